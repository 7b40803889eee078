"""Every text users see exists in both languages, for every code the domain can answer."""

from __future__ import annotations

import typing

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers import texts
from handlers.actions import ACTIONS
from movierec.results import InvalidReason, ReasonKind


def test_both_languages_have_the_same_texts() -> None:
    assert set(texts.TEXTS["es"]) == set(texts.TEXTS["en"])


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_every_domain_code_has_words(lang: str) -> None:
    for reason in typing.get_args(InvalidReason):
        assert f"invalid_{reason}" in texts.TEXTS[lang], reason
    for kind in typing.get_args(ReasonKind):
        assert f"reason_{kind}" in texts.TEXTS[lang], kind


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_every_action_has_its_prompt_and_menu_text(lang: str) -> None:
    for action in ACTIONS:
        assert action.prompt in texts.TEXTS[lang]
        if getattr(action, lang):
            assert f"menu_{action.name}" in texts.TEXTS[lang]


def test_plural_texts_come_in_pairs() -> None:
    for key in texts.TEXTS["en"]:
        if key.endswith("_one"):
            assert key.removesuffix("_one") + "_other" in texts.TEXTS["en"]


@given(st.floats(min_value=0, max_value=1e12, allow_nan=False), st.integers(0, 3))
def test_spanish_numbers_swap_the_separators(value: float, decimals: int) -> None:
    english = texts.number("en", value, decimals)
    spanish = texts.number("es", value, decimals)
    assert spanish == english.replace(",", "_").replace(".", ",").replace("_", ".")
    assert float(english.replace(",", "")) == pytest.approx(value, abs=10**-decimals)


def test_values_are_escaped_once_and_html_fragments_not_again() -> None:
    value = "Bill & Ted <3"
    fragment = texts.say("en", "reason_companies", values=value)
    assert fragment == "studio: Bill &amp; Ted &lt;3"
    line = texts.say("en", "recommend_line", n=1, title="A & B", year=1990, why=fragment)
    assert "A &amp; B" in line and "Bill &amp; Ted &lt;3" in line and "&amp;amp;" not in line


def test_lone_surrogates_become_replacement_characters() -> None:
    assert texts.escape("\ud800 x") == "\ufffd x"
    assert texts.escape("🎬 é") == "🎬 é"


def test_unknown_stored_languages_are_not_spoken() -> None:
    assert texts.known_language("pt") is None and texts.known_language(None) is None
    assert texts.known_language("es") == "es"


@pytest.mark.parametrize(
    ("lang", "parts", "expected"),
    [
        ("es", ["Heat", "Alien"], "Heat y Alien"),
        ("es", ["Heat", "Alien", "Ronin"], "Heat, Alien y Ronin"),
        ("es", ["Heat", "Interstellar"], "Heat e Interstellar"),
        ("es", ["Heat", "Ícaro"], "Heat e Ícaro"),
        ("es", ["Heat", "Historia"], "Heat e Historia"),
        ("es", ["Heat", "Hielo"], "Heat y Hielo"),  # a diphthong: no i sound
        ("en", ["Heat", "Interstellar"], "Heat and Interstellar"),
        ("en", ["Heat"], "Heat"),
    ],
)
def test_a_listing_joins_with_the_languages_and(lang, parts, expected) -> None:
    assert texts.listing(lang, parts, parts[-1]) == expected
