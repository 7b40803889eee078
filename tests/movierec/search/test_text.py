import pytest

from movierec.search import text


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("¡Amélie!", "amelie"),
        ("  Toy   Story ", "toy story"),
        ("M*A*S*H", "m a s h"),
        ("Straße", "strasse"),
        ("The Godfather: Part II", "the godfather part 2"),
        ("Rocky IV", "rocky 4"),
        ("Malcolm X", "malcolm x"),
        ("Ｓｅ７ｅｎ", "se7en"),
        ("🎬", ""),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert text.fold(raw) == folded


def test_part_before_a_number_is_filler() -> None:
    assert text.title_key("The Godfather: Part II") == text.title_key("godfather 2")
    assert text.title_key("Harry Potter and the Deathly Hallows: Part 2").endswith("hallows 2")
    assert text.title_key("A Part of Me") == "part of me"  # not before a number: kept


def test_articles_are_optional_but_never_the_whole_title() -> None:
    assert text.title_key("The Dark Knight") == text.title_key("dark knight") == "dark knight"
    assert text.title_key("El secreto de sus ojos") == "secreto de sus ojos"
    assert text.title_key("The") == "the"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("titanic 1997", ("titanic", 1997)),
        ("1997 titanic", ("titanic", 1997)),
        ("blade runner 2049", ("blade runner 2049", None)),
        ("1984", ("1984", None)),
        ("apollo 13", ("apollo 13", None)),
    ],
)
def test_split_year(key: str, expected: tuple[str, int | None]) -> None:
    assert text.split_year(key) == expected


def test_name_suffixes() -> None:
    assert text.name_suffixes("robert de niro") == ["de niro", "niro"]
    assert text.name_suffixes("john f kennedy") == ["kennedy"]


@pytest.mark.parametrize(
    ("key", "rest"),
    [
        ("te hangover", "hangover"),  # a letter missing
        ("teh matrix", "matrix"),  # two swapped
        ("thse departed", "departed"),  # one too many
        ("tge lion king", "lion king"),  # one replaced
        ("hangover", None),  # one word: nothing to drop
        ("the hangover", None),  # a real article is the key's business (title_key)
        ("a hangover", None),
        ("three kings", None),  # two edits away
        ("t hangover", None),  # one letter is a word of its own
        ("tea party", None),
    ],
)
def test_a_mistyped_leading_the(key: str, rest: str | None) -> None:
    assert text.article_typo(key) == rest
