"""The fixed query set: what people type, and the film or person they mean."""

from movierec.results import Role

# (category, typed, expected title)
TITLES = [
    ("exact", "Toy Story", "Toy Story"),
    ("exact", "Pulp Fiction", "Pulp Fiction"),
    ("exact", "The Matrix", "The Matrix"),
    ("exact", "Forrest Gump", "Forrest Gump"),
    ("exact", "Inception", "Inception"),
    ("exact", "Jurassic Park", "Jurassic Park"),
    ("exact", "The Shawshank Redemption", "The Shawshank Redemption"),
    ("exact", "Amélie", "Amélie"),
    ("typo", "the dark knigth", "The Dark Knight"),
    ("typo", "jurasic park", "Jurassic Park"),
    ("typo", "inseption", "Inception"),
    ("typo", "forest gump", "Forrest Gump"),
    ("typo", "the shawshenk redemption", "The Shawshank Redemption"),
    ("typo", "pulp fiction 1994", "Pulp Fiction"),
    ("accent", "amelie", "Amélie"),
    ("accent", "PENÉLOPE", None),
    ("ambiguous", "Hamlet", "Hamlet"),
    ("ambiguous", "titanic", "Titanic"),
    ("ambiguous", "harry potter", None),
    ("punctuation", "(500) Days of Summer", "(500) Days of Summer"),
    ("punctuation", "*batteries not included", "Batteries not Included"),
    ("punctuation", "Se7en", "Se7en"),
    ("punctuation", "M*A*S*H", "M*A*S*H"),
    ("punctuation", "[REC]", "[REC]"),
    ("punctuation", "Face/Off", "Face/Off"),
]
# (role, category, typed, expected name)
PEOPLE: list[tuple[Role, str, str, str]] = [
    ("actor", "exact", "Tom Hanks", "Tom Hanks"),
    ("actor", "exact", "Meryl Streep", "Meryl Streep"),
    ("actor", "typo", "tom hank", "Tom Hanks"),
    ("actor", "typo", "scarlet johanson", "Scarlett Johansson"),
    ("actor", "typo", "brad pit", "Brad Pitt"),
    ("actor", "accent", "penelope cruz", "Penélope Cruz"),
    ("director", "exact", "John Lasseter", "John Lasseter"),
    ("director", "accent", "pedro almodovar", "Pedro Almodóvar"),
    ("director", "surname", "spielberg", "Steven Spielberg"),
    ("director", "typo", "kubrik", "Stanley Kubrick"),
    ("director", "typo", "michael man", "Michael Mann"),
]
