"""The recommender on the shipped index: correctness properties and bad requests."""

from __future__ import annotations

import dataclasses

import numpy as np
import pyarrow.parquet as pq
import pytest

from movierec import catalog as catalog_module
from movierec.recommend import index as similarity_index
from movierec.recommend import recommender
from movierec.recommend.recommender import COLLECTION_CAP, MAX_K, Recommender, RecommendError
from tests.conftest import SHIPPED_DATA


@pytest.fixture(scope="module")
def rec(shipped_engine) -> Recommender:
    return Recommender.load(SHIPPED_DATA, catalog=shipped_engine.catalog)


@pytest.fixture(scope="module")
def sample_ids(rec: Recommender) -> list[int]:
    has_features = np.diff(rec.index.matrix.indptr) > 0
    rows = np.flatnonzero(has_features)
    picked = np.random.default_rng(7).choice(rows, size=200, replace=False)
    return [int(rec.catalog.ids[r]) for r in picked]


def test_a_film_is_never_recommended_to_itself(rec, sample_ids) -> None:
    for movie_id in sample_ids:
        assert movie_id not in [r.movie_id for r in rec.similar(movie_id, k=MAX_K)]


def test_sequels_are_capped(rec) -> None:
    c = rec.catalog
    sagas = {}
    for row, saga in enumerate(c.collection):
        if saga:
            sagas.setdefault(saga, []).append(row)
    big = [rows for rows in sagas.values() if len(rows) >= 6]
    assert big, "the catalog has long collections to test with"
    for rows in big[:30]:
        seed = int(c.ids[rows[0]])
        recs = rec.similar(seed, k=10)
        per_saga = {}
        for r in recs:
            saga = c.collection[c.row(r.movie_id)]
            if saga:
                per_saga[saga] = per_saga.get(saga, 0) + 1
        assert max(per_saga.values(), default=0) <= COLLECTION_CAP


def test_the_cap_is_tunable(rec) -> None:
    c = rec.catalog
    seed = int(c.ids[c.titles.index("Harry Potter and the Chamber of Secrets")])

    def sagas(cap: int) -> int:
        recs = Recommender(c, rec.index, collection_cap=cap).similar(seed, 5)
        return [c.collection[c.row(r.movie_id)] for r in recs].count("Harry Potter Collection")

    assert sagas(50) > COLLECTION_CAP  # uncapped, the sequels fill the list
    assert sagas(COLLECTION_CAP) == COLLECTION_CAP
    assert sagas(1) == 1


def test_similarity_is_symmetric_bounded_and_one_for_itself(rec, sample_ids) -> None:
    pairs = list(zip(sample_ids[:100], sample_ids[100:], strict=True))
    for a, b in pairs:
        value = rec.similarity(a, b)
        assert 0.0 <= value <= 1.0
        assert value == pytest.approx(rec.similarity(b, a), abs=1e-6)
    for a in sample_ids[:20]:
        assert rec.similarity(a, a) == 1.0


def test_stored_neighbours_equal_the_on_the_fly_ranking(rec, sample_ids) -> None:
    for movie_id in sample_ids[:60]:
        row = rec.catalog.row(movie_id)
        stored = [int(rec.catalog.ids[r]) for r in rec.index.neighbours[row] if r >= 0]
        live = rec.ranking(movie_id, len(stored))
        # float16 storage and summation order may swap near-ties; nothing else may differ
        scores = rec.index.neighbour_scores[row][: len(stored)]
        for i, (a, b) in enumerate(zip(stored, live, strict=True)):
            if a != b:
                assert abs(float(scores[i]) - float(scores[min(i + 1, len(scores) - 1)])) < 2e-3
        assert len(set(stored) ^ set(live)) <= 2


def test_the_list_is_ordered_by_score(rec, sample_ids) -> None:
    for movie_id in sample_ids[:50]:
        scores = [r.score for r in rec.similar(movie_id, k=10)]
        assert scores == sorted(scores, reverse=True) or np.allclose(
            scores, sorted(scores, reverse=True), atol=2e-3
        )


@pytest.fixture(scope="module")
def keywords() -> dict[int, set[str]]:
    table = pq.read_table(SHIPPED_DATA / "keywords.parquet").to_pylist()
    return {r["movie_id"]: set(r["keywords"]) for r in table}


@pytest.fixture(scope="module")
def origins() -> dict[int, set[str]]:
    columns = ["id", "production_countries", "spoken_languages"]
    table = pq.read_table(SHIPPED_DATA / "movies.parquet", columns=columns).to_pylist()
    return {r["id"]: set(r["production_countries"]) | set(r["spoken_languages"]) for r in table}


def features_of(rec, keywords, origins, movie_id: int) -> dict[str, set[str]]:
    c = rec.catalog
    row = c.row(movie_id)
    return {
        "director": set(c.director_names(row)),
        "cast": set(c.cast_names(row)),
        "genres": set(c.genres[row]),
        "collection": {c.collection[row]} if c.collection[row] else set(),
        "companies": set(c.companies[row]),
        "era": {f"{int(c.years[row]) // 10 * 10}s"},
        "keywords": keywords.get(movie_id, set()),
        "origin": origins[movie_id],
    }


def test_reasons_name_features_both_films_really_share(rec, keywords, origins, sample_ids) -> None:
    checked = 0
    for movie_id in sample_ids[:80]:
        mine = features_of(rec, keywords, origins, movie_id)
        for r in rec.similar(movie_id, k=5):
            theirs = features_of(rec, keywords, origins, r.movie_id)
            assert r.reasons, "a recommendation always shares something"
            for reason in r.reasons:
                if reason.kind != "plot":  # plot words are stems of both overviews
                    assert set(reason.values) <= mine[reason.kind] & theirs[reason.kind]
                    checked += 1
    assert checked > 300


def test_worked_examples(rec) -> None:
    heat = rec.similar(949)
    assert any(
        (x.kind, x.values) == ("director", ("Michael Mann",)) for r in heat for x in r.reasons
    )
    dark_knight = [r.title for r in rec.similar(155)]
    assert {"Batman Begins", "The Dark Knight Rises"} <= set(dark_knight)
    assert [r.title for r in rec.similar(862)][:2] == ["Toy Story 2", "Toy Story 3"]


def test_filters(rec) -> None:
    recs = rec.similar(862, k=10, year_from=2005, year_to=2012, genre="animación", min_votes=0)
    assert recs == [] or all(2005 <= r.year <= 2012 for r in recs)
    recs = rec.similar(862, k=10, year_from=2005, genre="Animation", min_votes=500)
    assert len(recs) == 10
    for r in recs:
        row = rec.catalog.row(r.movie_id)
        assert r.year >= 2005 and "Animation" in rec.catalog.genres[row]
        assert rec.catalog.vote_count[row] >= 500


def test_multi_film_queries(rec) -> None:
    both = rec.similar_to_many([348, 949], k=10)  # Alien and Heat
    ids = [r.movie_id for r in both]
    assert 348 not in ids and 949 not in ids and len(ids) == 10
    twice = rec.similar_to_many([949, 949], k=5)
    assert [r.movie_id for r in twice] == [r.movie_id for r in rec.similar(949, k=5)]


@pytest.mark.parametrize("k", [0, -1, MAX_K + 1, 2.5, "5", True, None])
def test_bad_k(rec, k) -> None:
    with pytest.raises(RecommendError) as error:
        rec.similar(862, k=k)
    assert error.value.reason == "bad_k"


@pytest.mark.parametrize("movie_id", [-1, 0, 10**12, "862", None, 3.5])
def test_unknown_ids(rec, movie_id) -> None:
    with pytest.raises(RecommendError) as error:
        rec.similar(movie_id)
    assert error.value.reason == "unknown_movie"
    with pytest.raises(RecommendError):
        rec.similarity(862, movie_id)


def test_empty_and_unknown_filter_requests(rec) -> None:
    with pytest.raises(RecommendError) as error:
        rec.similar_to_many([])
    assert error.value.reason == "no_movie"
    with pytest.raises(RecommendError) as error:
        rec.similar(862, colour="red")
    assert error.value.reason == "bad_filter"


def test_module_level_api_uses_the_shipped_catalog() -> None:
    recs = recommender.similar(862, k=3)
    assert len(recs) == 3 and all(isinstance(r, recommender.Recommendation) for r in recs)
    assert recommender.similarity(862, 862) == 1.0


def test_a_film_without_features_is_a_typed_error(mini_catalog_dir) -> None:
    catalog = catalog_module.load(mini_catalog_dir)
    index = similarity_index.load(mini_catalog_dir / similarity_index.FILE_NAME)
    matrix = index.matrix.copy()
    row = catalog.row(301)
    matrix.data[matrix.indptr[row] : matrix.indptr[row + 1]] = 0
    matrix.eliminate_zeros()
    blank = Recommender(catalog, dataclasses.replace(index, matrix=matrix))
    with pytest.raises(RecommendError) as error:
        blank.similar(301)
    assert error.value.reason == "no_features"
    assert 301 not in [r.movie_id for r in blank.similar(862, k=4)]


def test_an_index_for_another_catalog_is_refused(rec, mini_catalog_dir) -> None:
    catalog = catalog_module.load(mini_catalog_dir)
    with pytest.raises(similarity_index.IndexError_):
        Recommender(catalog, rec.index)
