"""The words /descubrir understands, Spanish and English, folded (lower case, no accents).

Kept in the domain, not in the edge's texts: the parser must not import the Telegram side, and
these are input vocabulary, not things the bot says. Genre values are the catalog's own TMDB
(English) names; language values are ISO 639-1 codes as in TMDB's ``original_language``.
"""

from __future__ import annotations

__all__ = [
    "COUNTRY_LANGUAGES",
    "DECADE_WORDS",
    "GENRE_WORDS",
    "GOOD_WORDS",
    "LANGUAGE_WORDS",
    "LONG_WORDS",
    "POPULAR_WORDS",
    "SHORT_WORDS",
    "SPOKEN_NAMES",
    "STOPWORDS",
    "UNSEEN_WORDS",
]

# TMDB genre → phrases that name it (singular, plural, feminine: people type all of them)
GENRE_WORDS: dict[str, tuple[str, ...]] = {
    "Action": ("accion", "action", "de accion"),
    "Adventure": ("aventura", "aventuras", "adventure", "adventures"),
    "Animation": (
        "animacion", "animada", "animadas", "animado", "animados", "dibujos animados",
        "animation", "animated", "cartoon", "cartoons",
    ),
    "Comedy": ("comedia", "comedias", "comedy", "comedies", "comica", "comicas", "funny"),
    "Crime": ("crimen", "crimenes", "policiaca", "policiacas", "policial", "crime", "gangster"),
    "Documentary": ("documental", "documentales", "documentary", "documentaries", "docu"),
    "Drama": ("drama", "dramas", "dramatica", "dramaticas", "dramatic"),
    "Family": ("familia", "familiar", "familiares", "family", "para ninos", "for kids"),
    "Fantasy": ("fantasia", "fantasias", "fantastica", "fantasticas", "fantasy"),
    "Foreign": ("extranjera", "extranjeras", "foreign"),
    "History": ("historia", "historica", "historicas", "history", "historical"),
    "Horror": ("terror", "miedo", "de miedo", "horror", "scary"),
    "Music": ("musica", "musical", "musicales", "music", "musicals"),
    "Mystery": ("misterio", "misterios", "mystery", "mysteries"),
    "Romance": ("romance", "romances", "romantica", "romanticas", "romantico", "romantic"),
    "Science Fiction": (
        "ciencia ficcion", "ciencia-ficcion", "cienciaficcion", "ficcion cientifica",
        "science fiction", "science-fiction", "sci-fi", "sci fi", "scifi", "sf",
    ),
    "TV Movie": ("pelicula de tv", "telefilm", "telefilms", "tv movie", "tv movies"),
    "Thriller": ("suspense", "suspenso", "thriller", "thrillers"),
    "War": ("belica", "belicas", "belico", "guerra", "de guerra", "war"),
    "Western": ("western", "westerns", "del oeste", "vaqueros", "cowboy", "cowboys"),
}  # fmt: skip

# ISO code → adjectives and language names that select it
LANGUAGE_WORDS: dict[str, tuple[str, ...]] = {
    "fr": ("francesa", "francesas", "frances", "franceses", "french"),
    "es": ("espanola", "espanolas", "espanol", "spanish", "castellano"),
    "de": ("alemana", "alemanas", "aleman", "german"),
    "it": ("italiana", "italianas", "italiano", "italian"),
    "ja": ("japonesa", "japonesas", "japones", "japanese", "anime"),
    "ko": ("coreana", "coreanas", "coreano", "korean"),
    "zh": ("china", "chinas", "chino", "chinese", "mandarin"),
    "cn": ("cantonesa", "cantones", "cantonese", "hongkonesa"),
    "ru": ("rusa", "rusas", "ruso", "russian", "sovietica", "soviet"),
    "hi": ("hindi", "india", "indias", "bollywood", "indian"),
    "pt": ("portuguesa", "portugues", "brasilena", "brasilenas", "portuguese", "brazilian"),
    "sv": ("sueca", "suecas", "sueco", "swedish"),
    "fi": ("finlandesa", "finlandes", "finnish"),
    "nl": ("holandesa", "holandes", "neerlandesa", "dutch"),
    "da": ("danesa", "danesas", "danes", "danish"),
    "no": ("noruega", "noruegas", "noruego", "norwegian"),
    "pl": ("polaca", "polacas", "polaco", "polish"),
    "tr": ("turca", "turcas", "turco", "turkish"),
    "el": ("griega", "griegas", "griego", "greek"),
    "he": ("hebrea", "israeli", "hebreo", "hebrew"),
    "fa": ("persa", "irani", "iranies", "persian", "iranian", "farsi"),
    "ar": ("arabe", "arabes", "arabic"),
    "cs": ("checa", "checas", "checo", "czech"),
    "hu": ("hungara", "hungaras", "hungaro", "hungarian"),
    "ro": ("rumana", "rumanas", "rumano", "romanian"),
    "th": ("tailandesa", "tailandes", "thai"),
    "ta": ("tamil",),
    "te": ("telugu",),
    "en": ("inglesa", "ingles", "english", "en ingles", "in english"),
}

# The first spoken language's native name (as TMDB writes it) → ISO code: the fallback for
# films without ``original_language`` (most of those released before August 2008 here).
SPOKEN_NAMES: dict[str, str] = {
    "English": "en", "Français": "fr", "Italiano": "it", "日本語": "ja", "Deutsch": "de",
    "Español": "es", "Pусский": "ru", "हिन्दी": "hi", "한국어/조선말": "ko", "普通话": "zh",
    "广州话 / 廣州話": "cn", "svenska": "sv", "Português": "pt", "suomi": "fi",
    "Nederlands": "nl", "Dansk": "da", "العربية": "ar", "Český": "cs", "Polski": "pl",
    "Türkçe": "tr", "Magyar": "hu", "ελληνικά": "el", "فارسی": "fa", "Norsk": "no",
    "தமிழ்": "ta", "עִבְרִית": "he", "Română": "ro", "ภาษาไทย": "th", "తెలుగు": "te",
}  # fmt: skip

# Production country → its main language: when several languages are spoken in a film without
# ``original_language``, the one of a producing country is the likelier original ([REC]: Spain).
COUNTRY_LANGUAGES: dict[str, str] = {
    "United States of America": "en", "United Kingdom": "en", "Canada": "en",
    "Australia": "en", "Ireland": "en", "New Zealand": "en", "France": "fr", "Germany": "de",
    "Austria": "de", "Italy": "it", "Japan": "ja", "Spain": "es", "Mexico": "es",
    "Argentina": "es", "Chile": "es", "Russia": "ru", "Soviet Union": "ru", "India": "hi",
    "Hong Kong": "cn", "China": "zh", "Taiwan": "zh", "Sweden": "sv", "South Korea": "ko",
    "Denmark": "da", "Finland": "fi", "Netherlands": "nl", "Poland": "pl", "Brazil": "pt",
    "Portugal": "pt", "Czech Republic": "cs", "Norway": "no", "Hungary": "hu", "Greece": "el",
    "Turkey": "tr", "Israel": "he", "Romania": "ro", "Thailand": "th", "Iran": "fa",
}  # fmt: skip

SHORT_WORDS = ("corta", "cortas", "corto", "cortos", "breve", "breves", "short", "quick")
LONG_WORDS = ("larga", "largas", "largo", "largos", "long", "epica", "epicas", "epic")
GOOD_WORDS = (
    "buena", "buenas", "bueno", "buenos", "buenisima", "buenisimas", "mejor", "mejores",
    "excelente", "excelentes", "obra maestra", "bien valorada", "bien valoradas",
    "bien puntuada", "bien puntuadas", "good", "great", "best", "excellent", "masterpiece",
    "top", "top rated", "well rated", "highly rated", "acclaimed", "aclamada", "aclamadas",
)  # fmt: skip
POPULAR_WORDS = (
    "popular", "populares", "conocida", "conocidas", "famosa", "famosas", "taquillera",
    "taquilleras", "famous", "well known", "well-known", "mainstream", "blockbuster",
    "blockbusters",
)  # fmt: skip
UNSEEN_WORDS = (
    "que no he visto", "no he visto", "no vista", "no vistas", "sin ver", "que no haya visto",
    "i have not seen", "i haven't seen", "i havent seen", "have not seen", "haven't seen",
    "havent seen", "not seen", "unseen", "new to me",
)  # fmt: skip
DECADE_WORDS: dict[str, int] = {
    "veinte": 1920, "treinta": 1930, "cuarenta": 1940, "cincuenta": 1950, "sesenta": 1960,
    "setenta": 1970, "ochenta": 1980, "noventa": 1990, "twenties": 1920, "thirties": 1930,
    "forties": 1940, "fifties": 1950, "sixties": 1960, "seventies": 1970, "eighties": 1980,
    "nineties": 1990, "dosmil": 2000,
}  # fmt: skip

# Words that carry no filter: articles, "a film", "I want", "from the"... in both languages.
_STOPWORDS = """
    a al algo alguna algun algunas alguno an and any anos ano con de del decada decadas dame
    el en entre es esta este estas estos for from give i in la las lo los me mi movie movies
    muestrame of on or para pelicula peliculas peli pelis please por porfa quiero que recomienda
    recomiendame show some something the to un una unas uno unos ver watch with y years year
    film films want like cine cinema era ones one
"""
STOPWORDS = frozenset(_STOPWORDS.split())
