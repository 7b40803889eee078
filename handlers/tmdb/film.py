"""A TMDB film as the bot uses it: parsed defensively from the documented JSON, kept small.

``/movie/{id}?append_to_response=credits,keywords,translations`` answers one object (details,
plus ``credits.cast``/``credits.crew``, ``keywords.keywords`` and ``translations.translations``).
Only what a card, /score, /votos and a projection need is kept, so the cached form is a few
kilobytes even for a film with a cast of hundreds. Anything not shaped as documented is
:class:`Malformed`, which the client treats as a failed call.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from movierec.recommend.project import LiveFeatures

__all__ = ["Found", "LiveFilm", "Malformed", "parse_film", "parse_search"]

CAST_KEPT = 10
KEYWORDS_KEPT = 40
TEXT_KEPT = 1500  # characters of an overview


class Malformed(ValueError):
    """TMDB answered something that is not the documented shape."""


@dataclass(frozen=True)
class Found:
    """One /search/movie result."""

    tmdb_id: int
    title: str
    original_title: str
    year: int | None
    popularity: float
    vote_count: int


@dataclass(frozen=True)
class LiveFilm:
    tmdb_id: int
    title: str  # in English (the details are asked in en-US)
    original_title: str
    year: int | None
    release_date: str  # "YYYY-MM-DD" or ""
    genres: tuple[str, ...]
    overview: str
    tagline: str
    popularity: float
    vote_average: float
    vote_count: int
    runtime: int | None
    poster_path: str | None
    imdb_id: str | None
    collection: str | None
    directors: tuple[str, ...]
    cast: tuple[str, ...]  # billing order, the first CAST_KEPT
    keywords: tuple[str, ...]
    companies: tuple[str, ...]
    countries: tuple[str, ...]
    languages: tuple[str, ...]  # spoken languages, English names
    # "es-MX" → (title, overview): the Spanish translations only
    translations: dict[str, tuple[str, str]] = field(default_factory=dict)

    def localised(self, tmdb_language: str) -> tuple[str, str]:
        """(title, overview) in that language ("es-MX"), else any Spanish, else empty."""
        if tmdb_language in self.translations:
            return self.translations[tmdb_language]
        prefix = tmdb_language.split("-")[0]
        for code in sorted(self.translations):
            if code.startswith(prefix):
                return self.translations[code]
        return ("", "")

    def features(self) -> LiveFeatures:
        return LiveFeatures(
            genres=self.genres,
            keywords=self.keywords,
            directors=self.directors,
            cast=self.cast,
            collection=self.collection,
            companies=self.companies,
            origin=self.countries + self.languages,
            year=self.year,
            plot=f"{self.tagline} {self.overview}".strip(),
        )

    def dumps(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def loads(cls, text: str) -> LiveFilm:
        """From :meth:`dumps`; anything else (an older cache entry) is Malformed."""
        try:
            data = json.loads(text)
            data["translations"] = {k: tuple(v) for k, v in data["translations"].items()}
            for name in ("genres", "directors", "cast", "keywords", "companies", "countries"):
                data[name] = tuple(data[name])
            data["languages"] = tuple(data["languages"])
            return cls(**data)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise Malformed(f"cached film: {type(error).__name__}") from None


# -- the documented shapes ----------------------------------------------------------------------


def _dict(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Malformed(f"{what}: expected an object")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise Malformed(f"{what}: expected a list")
    return value


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    return float(value) if value == value and abs(value) < 1e12 else 0.0


def _id(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**31:
        raise Malformed(f"{what}: expected a positive integer id")
    return value


def _year(date: str) -> int | None:
    head = date[:4]
    return int(head) if len(head) == 4 and head.isdigit() and int(head) > 1800 else None


def _names(items: list[Any], key: str = "name") -> tuple[str, ...]:
    names = (_str(item.get(key)) for item in items if isinstance(item, dict))
    return tuple(dict.fromkeys(n for n in names if n))


def parse_search(data: Any) -> list[Found]:
    """``{"page": 1, "results": [{"id", "title", "original_title", "release_date", ...}]}``"""
    found = []
    for item in _list(_dict(data, "search").get("results"), "results"):
        if not isinstance(item, dict) or not _str(item.get("title")):
            continue
        found.append(
            Found(
                tmdb_id=_id(item.get("id"), "result id"),
                title=_str(item.get("title")),
                original_title=_str(item.get("original_title")),
                year=_year(_str(item.get("release_date"))),
                popularity=_number(item.get("popularity")),
                vote_count=int(_number(item.get("vote_count"))),
            )
        )
    return found


def parse_film(data: Any) -> LiveFilm:
    """The details object with credits, keywords and translations appended."""
    data = _dict(data, "movie")
    title = _str(data.get("title"))
    if not title:
        raise Malformed("movie: no title")
    credits = _dict(data.get("credits") or {}, "credits")
    cast = [c for c in _list(credits.get("cast"), "cast") if isinstance(c, dict)]
    cast.sort(key=lambda c: _number(c.get("order")))
    crew = [c for c in _list(credits.get("crew"), "crew") if isinstance(c, dict)]
    keywords = _dict(data.get("keywords") or {}, "keywords")
    translations: dict[str, tuple[str, str]] = {}
    wrapper = _dict(data.get("translations") or {}, "translations")
    for item in _list(wrapper.get("translations"), "translations"):
        if isinstance(item, dict) and item.get("iso_639_1") == "es":
            text = _dict(item.get("data") or {}, "translation data")
            code = f"es-{_str(item.get('iso_3166_1')).upper() or 'ES'}"
            translations[code] = (_str(text.get("title")), _str(text.get("overview"))[:TEXT_KEPT])
    collection = data.get("belongs_to_collection")
    runtime = _number(data.get("runtime"))
    date = _str(data.get("release_date"))
    return LiveFilm(
        tmdb_id=_id(data.get("id"), "movie id"),
        title=title,
        original_title=_str(data.get("original_title")) or title,
        year=_year(date),
        release_date=date[:10],
        genres=_names(_list(data.get("genres"), "genres")),
        overview=_str(data.get("overview"))[:TEXT_KEPT],
        tagline=_str(data.get("tagline"))[:TEXT_KEPT],
        popularity=_number(data.get("popularity")),
        vote_average=_number(data.get("vote_average")),
        vote_count=int(_number(data.get("vote_count"))),
        runtime=int(runtime) if runtime > 0 else None,
        poster_path=_str(data.get("poster_path")) or None,
        imdb_id=_str(data.get("imdb_id")) or None,
        collection=_str(collection.get("name")) or None if isinstance(collection, dict) else None,
        directors=_names([c for c in crew if c.get("job") == "Director"]),
        cast=_names(cast)[:CAST_KEPT],
        keywords=_names(_list(keywords.get("keywords"), "keywords"))[:KEYWORDS_KEPT],
        companies=_names(_list(data.get("production_companies"), "companies")),
        countries=_names(_list(data.get("production_countries"), "countries")),
        languages=_names(_list(data.get("spoken_languages"), "languages"), "english_name"),
        translations=translations,
    )
