"""Films outside the catalog ranked through the recommender's columns (recommend/project.py)."""

from __future__ import annotations

import numpy as np
import pytest

from movierec.recommend import features as build_features
from movierec.recommend.project import CAST_DECAY, CAST_DEPTH, LiveFeatures, Projector
from movierec.results import Invalid


@pytest.fixture(scope="module")
def projector(shipped_engine) -> Projector:
    return Projector(shipped_engine.catalog, shipped_engine._recommender.index)


def film_features(engine, movie_id: int) -> LiveFeatures:
    """A catalog film described as TMDB would describe it (what the catalog keeps of it)."""
    c = engine.catalog
    row = c.row(movie_id)
    return LiveFeatures(
        genres=tuple(c.genres[row]),
        directors=tuple(c.director_names(row)),
        cast=tuple(c.cast_names(row)),
        collection=c.collection[row],
        year=int(c.years[row]),
    )


def test_the_builds_constants_are_mirrored() -> None:
    assert (CAST_DEPTH, CAST_DECAY) == (build_features.CAST_DEPTH, build_features.CAST_DECAY)


def test_block_weights_are_recovered_from_the_rows(projector) -> None:
    projector.query(LiveFeatures(genres=("Drama",)))
    weights = projector._weights
    expected = build_features.DEFAULT_WEIGHTS
    for name, weight in weights.items():  # relative to genres, as the build set them
        assert weight == pytest.approx(expected[name] / expected["genres"], rel=0.02), name


def test_the_query_is_a_unit_vector_over_known_columns(projector) -> None:
    query = projector.query(
        LiveFeatures(
            genres=("Drama", "No Such Genre"),
            directors=("Nobody Anyone Knows",),
            plot="A physicist builds a bomb.",
        )
    )
    assert query and np.isclose(sum(v * v for v in query.values()), 1.0)
    labels = {projector.index.labels[c] for c in query}
    assert "Drama" in labels and "No Such Genre" not in labels
    assert "Nobody Anyone Knows" not in labels


def test_a_catalog_film_described_from_outside_finds_itself(shipped_engine, projector) -> None:
    """Projection agrees with the build: a well-known film's own fields rank it near the top."""
    tried = 0
    for candidate in shipped_engine.popular(10):
        features = film_features(shipped_engine, candidate.key)
        if not features.directors:
            continue
        tried += 1
        picks = projector.similar(features, 10)
        assert not isinstance(picks, Invalid)
        assert candidate.key in [p.movie_id for p in picks], candidate.label
        scores = [p.score for p in picks]
        assert scores == sorted(scores, reverse=True)
    assert tried >= 5


def test_reasons_name_what_is_shared(shipped_engine, projector) -> None:
    film = shipped_engine.popular(1)[0].key
    director = shipped_engine.card(film).directors[0]
    picks = projector.similar(LiveFeatures(directors=(director,), genres=("Drama",)), 5)
    assert not isinstance(picks, Invalid)
    top = picks[0]
    assert director in shipped_engine.card(top.movie_id).directors
    assert ("director", (director,)) in [(r.kind, r.values) for r in top.reasons]
    assert 0 < top.similarity <= 1


def test_the_collection_cap_holds(shipped_engine, projector) -> None:
    c = shipped_engine.catalog
    collections = [x for x in c.collection if x is not None]
    biggest = max(set(collections), key=collections.count)
    picks = projector.similar(LiveFeatures(collection=biggest), 10)
    assert not isinstance(picks, Invalid)
    assert sum(c.collection[c.row(p.movie_id)] == biggest for p in picks) <= 2


def test_nothing_known_is_invalid_not_an_error(projector) -> None:
    assert projector.similar(LiveFeatures(), 5) == Invalid("no_features")
    assert projector.similar(LiveFeatures(genres=("Zzz",), cast=("Nobody",)), 5) == Invalid(
        "no_features"
    )
    for k in (0, -1, 51, True, 2.5):
        assert projector.similar(LiveFeatures(genres=("Drama",)), k) == Invalid("bad_k")


@pytest.mark.shipped
def test_oppenheimer_like_features_lead_with_nolan(shipped_engine) -> None:
    features = LiveFeatures(
        genres=("Drama", "History"),
        keywords=("nuclear weapons", "physicist", "biography", "atomic bomb"),
        directors=("Christopher Nolan",),
        cast=("Cillian Murphy", "Emily Blunt", "Matt Damon"),
        companies=("Syncopy", "Universal Pictures"),
        origin=("United Kingdom", "United States of America", "English"),
        year=2023,
    )
    picks = shipped_engine.similar_to_features(features, 5)
    assert not isinstance(picks, Invalid)
    assert "Christopher Nolan" in shipped_engine.card(picks[0].movie_id).directors
