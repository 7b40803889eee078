"""The recommender on the catalog under test: correctness properties and bad requests.

Expected lists come from :func:`reference_scores`, cosine × prior computed here with plain
numpy from the stored matrix; only the worked examples are facts of the shipped catalog. The
fast paths (precomputed reasons, ranking by column, pages) must answer exactly what the
original code answers: :mod:`tests.movierec.recommend.seed_recommender` keeps it as the oracle.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pyarrow.parquet as pq
import pytest

from movierec import catalog as catalog_module
from movierec.catalog import Catalog
from movierec.recommend import index as similarity_index
from movierec.recommend import study
from movierec.recommend.index import TOP_N, Csr, IndexLoadError, SimilarityIndex
from movierec.recommend.recommender import COLLECTION_CAP, MAX_K, Recommender
from movierec.results import Filters, Invalid, Recommendation
from tests.conftest import SHIPPED_DATA
from tests.movierec.recommend.seed_recommender import SeedRecommender

# the builder scores in float32, the reference in float64: equal up to summation order
NEAR_TIE = 1e-4


@pytest.fixture(scope="module")
def rec(shipped_engine) -> Recommender:
    index = similarity_index.load(SHIPPED_DATA / similarity_index.FILE_NAME)
    return Recommender(shipped_engine.catalog, index)


@pytest.fixture(scope="module")
def sample_ids(rec: Recommender) -> list[int]:
    rows = np.flatnonzero(np.diff(rec.index.matrix.indptr) > 0)
    picked = np.random.default_rng(7).choice(rows, size=min(200, len(rows)), replace=False)
    return [int(rec.catalog.ids[r]) for r in picked]


def recommended(found: list[Recommendation] | Invalid) -> list[Recommendation]:
    assert not isinstance(found, Invalid), found
    return found


def popular_ids(rec: Recommender, n: int) -> list[int]:
    """The ``n`` most-voted films that have features."""
    has_features = np.diff(rec.index.matrix.indptr) > 0
    order = np.argsort(-rec.catalog.vote_count, kind="stable")
    return [int(rec.catalog.ids[r]) for r in order[has_features[order]][:n]]


def reference_scores(index: SimilarityIndex, rows: list[int]) -> np.ndarray:
    """Cosine with the (summed) seeds × prior for every film, seeds excluded (-inf): the sparse
    rows and the dense blocks' rows (scaled, side by side) as one float64 vector per film."""
    matrix = index.matrix.to_scipy()
    query = np.asarray(matrix[rows].sum(axis=0), dtype=np.float64).ravel()
    dense = study.dense_matrix(index)
    if dense is None:
        dense = np.zeros((len(index.ids), 0))
    dense = dense.astype(np.float64)
    dense_query = dense[rows].sum(axis=0)
    norm = np.sqrt(query @ query + dense_query @ dense_query)
    cosine = (matrix.astype(np.float64) @ query + dense @ dense_query) / norm
    scores = cosine * index.prior.astype(np.float64)
    scores[rows] = -np.inf
    return scores


def reference_list(
    catalog: Catalog, scores: np.ndarray, k: int, allowed: np.ndarray | None = None
) -> list[int]:
    """Rows of the best ``k`` related films, at most COLLECTION_CAP of one collection."""
    candidates = np.flatnonzero(scores > 0)
    if allowed is not None:
        candidates = candidates[allowed[candidates]]
    ranked = candidates[np.lexsort((candidates, -scores[candidates]))]
    picked: list[int] = []
    per_collection: dict[str, int] = {}
    for row in ranked.tolist():
        saga = catalog.collection[row]
        if saga is not None:
            if per_collection.get(saga, 0) == COLLECTION_CAP:
                continue
            per_collection[saga] = per_collection.get(saga, 0) + 1
        picked.append(row)
        if len(picked) == k:
            break
    return picked


def assert_same_ranking(scores: np.ndarray, got: list[int], expected: list[int]) -> None:
    """Same length, and position by position the same score: rows may differ only at ties."""
    assert len(got) == len(expected)
    np.testing.assert_allclose(scores[got], scores[expected], atol=NEAR_TIE)


def test_a_film_is_never_recommended_to_itself(rec, sample_ids) -> None:
    for movie_id in sample_ids:
        assert movie_id not in [r.movie_id for r in recommended(rec.similar(movie_id, k=MAX_K))]


def test_stored_neighbours_equal_the_reference_ranking(rec, sample_ids) -> None:
    assert rec.index.neighbours is not None
    for movie_id in sample_ids[:60]:
        row = rec.catalog.row(movie_id)
        stored = rec.index.neighbours_of(row)
        scores = reference_scores(rec.index, [row])
        related = np.flatnonzero(scores > 0)
        best = related[np.lexsort((related, -scores[related]))][:TOP_N].tolist()
        assert_same_ranking(scores, stored, best)


def test_lists_follow_the_reference_ranking(rec, sample_ids) -> None:
    for movie_id in sample_ids[:60]:
        row = rec.catalog.row(movie_id)
        got = [rec.catalog.row(r.movie_id) for r in recommended(rec.similar(movie_id, k=10))]
        scores = reference_scores(rec.index, [row])
        assert_same_ranking(scores, got, reference_list(rec.catalog, scores, 10))


def test_sequels_are_capped(rec) -> None:
    c = rec.catalog
    sagas: dict[str, list[int]] = {}
    for row, saga in enumerate(c.collection):
        if saga:
            sagas.setdefault(saga, []).append(row)
    big = [rows for rows in sagas.values() if len(rows) > COLLECTION_CAP]
    if not big:
        pytest.skip("no collection longer than the cap in this catalog")
    for rows in big[:30]:
        recs = rec.similar(int(c.ids[rows[0]]), k=10)
        counts: dict[str, int] = {}
        for r in recommended(recs):
            saga = c.collection[c.row(r.movie_id)]
            if saga:
                counts[saga] = counts.get(saga, 0) + 1
        assert max(counts.values(), default=0) <= COLLECTION_CAP


def test_the_cap_is_tunable(rec) -> None:
    c = rec.catalog
    uncapped = Recommender(c, rec.index, collection_cap=MAX_K)

    def of_saga(recommender: Recommender, row: int) -> int:
        recs = recommended(recommender.similar(int(c.ids[row]), 5))
        return [c.collection[c.row(r.movie_id)] for r in recs].count(c.collection[row])

    # a film whose uncapped list is full of its own saga (Harry Potter, in the shipped one)
    seed = next(
        (row for row, saga in enumerate(c.collection) if saga and of_saga(uncapped, row) > 2),
        None,
    )
    if seed is None:
        pytest.skip("no film whose list fills up with its own collection")
    assert of_saga(Recommender(c, rec.index, collection_cap=COLLECTION_CAP), seed) == 2
    assert of_saga(Recommender(c, rec.index, collection_cap=1), seed) == 1


def test_similarity_is_symmetric_bounded_and_one_for_itself(rec, sample_ids) -> None:
    half = len(sample_ids) // 2
    for a, b in zip(sample_ids[:half], sample_ids[half : 2 * half], strict=True):
        value = rec.similarity(a, b)
        assert isinstance(value, float) and 0.0 <= value <= 1.0
        assert value == pytest.approx(rec.similarity(b, a), abs=1e-6)
        scores = reference_scores(rec.index, [rec.catalog.row(a)])
        prior = float(rec.index.prior[rec.catalog.row(b)])
        assert value * prior == pytest.approx(max(scores[rec.catalog.row(b)], 0.0), abs=NEAR_TIE)
    for a in sample_ids[:20]:
        assert rec.similarity(a, a) == 1.0


def test_the_list_is_ordered_by_score(rec, sample_ids) -> None:
    for movie_id in sample_ids[:50]:
        scores = [r.score for r in recommended(rec.similar(movie_id, k=10))]
        assert np.all(np.diff(scores) <= NEAR_TIE)


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
        for r in recommended(rec.similar(movie_id, k=5)):
            theirs = features_of(rec, keywords, origins, r.movie_id)
            assert r.reasons, "a recommendation always shares something"
            for reason in r.reasons:
                if reason.kind != "plot":  # plot words are stems of both overviews
                    assert set(reason.values) <= mine[reason.kind] & theirs[reason.kind]
                    checked += 1
    assert checked > 0


@pytest.mark.shipped
def test_worked_examples(rec) -> None:
    # the README's examples: Heat's first five are crime films its audience also liked (the
    # collaborative block); Michael Mann's The Insider is still in its first ten
    heat = recommended(rec.similar(949, k=10))
    assert [r.title for r in heat][:2] == ["Carlito's Way", "Pulp Fiction"]
    assert {"The Usual Suspects", "The Silence of the Lambs"} <= {r.title for r in heat[:5]}
    assert any(
        (x.kind, x.values) == ("director", ("Michael Mann",)) for r in heat for x in r.reasons
    )
    dark_knight = [r.title for r in recommended(rec.similar(155))]
    assert {"Batman Begins", "The Dark Knight Rises", "Inception"} <= set(dark_knight)
    toy_story = [r.title for r in recommended(rec.similar(862))]
    assert toy_story[:3] == ["Toy Story 2", "A Bug's Life", "Toy Story 3"]


def test_a_cosine_is_the_shared_features_plus_the_dense_blocks(rec, sample_ids) -> None:
    matrix = rec.index.matrix.to_scipy()
    dense_rows = study.dense_matrix(rec.index)
    if dense_rows is None:
        pytest.skip("an index without dense blocks")
    dense_rows = dense_rows.astype(np.float64)
    seeds = [rec.catalog.row(m) for m in sample_ids[:20]]
    for seed in seeds:
        for other in seeds:
            if other == seed:
                continue
            expected = float(matrix[seed].multiply(matrix[other]).sum())
            expected += float(dense_rows[seed] @ dense_rows[other])
            got = rec.similarity(int(rec.catalog.ids[seed]), int(rec.catalog.ids[other]))
            assert got == pytest.approx(min(max(expected, 0.0), 1.0), abs=1e-5)


def genre_mask(catalog: Catalog, genre: str) -> np.ndarray:
    return np.array([genre in names for names in catalog.genres])


def test_filters_follow_the_reference_ranking(rec) -> None:
    c = rec.catalog
    seed = popular_ids(rec, 1)[0]
    genre = c.genres[c.row(seed)][0]
    votes = int(np.median(c.vote_count))
    filters = Filters(year_from=int(np.median(c.years)), genre=genre, min_votes=votes)
    got = recommended(rec.similar(seed, k=10, filters=filters))
    allowed = genre_mask(c, genre) & (c.years >= filters.year_from) & (c.vote_count >= votes)
    scores = reference_scores(rec.index, [c.row(seed)])
    expected = reference_list(c, scores, 10, allowed)
    assert_same_ranking(scores, [c.row(r.movie_id) for r in got], expected)
    for r in got:
        row = c.row(r.movie_id)
        assert r.year >= filters.year_from and genre in c.genres[row]
        assert c.vote_count[row] >= votes


def test_a_genre_is_a_catalog_genre_in_any_case(rec) -> None:
    c = rec.catalog
    seed = popular_ids(rec, 1)[0]
    related = [c.genres[c.row(r.movie_id)] for r in recommended(rec.similar(seed, k=MAX_K))]
    genre = next((names[0] for names in related if names), None)
    if genre is None:
        pytest.skip("no related film with a genre")
    exact = recommended(rec.similar(seed, k=10, filters=Filters(genre=genre)))
    assert exact and all(genre in c.genres[c.row(r.movie_id)] for r in exact)
    assert rec.similar(seed, k=10, filters=Filters(genre=genre.upper())) == exact


@pytest.mark.parametrize("genre", ["animación", "ciencia ficción", "no such genre"])
def test_a_genre_the_catalog_does_not_have_is_a_typed_result(rec, genre) -> None:
    # TMDB's genres are English: the Spanish names belong to the renderer, not the filter
    seed = popular_ids(rec, 1)[0]
    assert rec.similar(seed, filters=Filters(genre=genre)) == Invalid("unknown_genre")


def test_filters_that_exclude_everything_give_an_empty_list(rec) -> None:
    seed = popular_ids(rec, 1)[0]
    future = int(rec.catalog.years.max()) + 1
    assert rec.similar(seed, filters=Filters(year_from=future)) == []


def test_multi_film_queries(rec) -> None:
    a, b = popular_ids(rec, 2)
    rows = [rec.catalog.row(a), rec.catalog.row(b)]
    both = recommended(rec.similar_to_many([a, b], k=10))
    scores = reference_scores(rec.index, rows)
    got = [rec.catalog.row(r.movie_id) for r in both]
    assert_same_ranking(scores, got, reference_list(rec.catalog, scores, 10))
    twice = recommended(rec.similar_to_many([a, a], k=5))
    assert [r.movie_id for r in twice] == [r.movie_id for r in recommended(rec.similar(a, k=5))]


@pytest.mark.parametrize("k", [0, -1, MAX_K + 1, 2.5, "5", True, None])
def test_bad_k(rec, k) -> None:
    assert rec.similar(popular_ids(rec, 1)[0], k=k) == Invalid("bad_k")


@pytest.mark.parametrize("movie_id", [-1, 0, 10**12, "862", None, 3.5])
def test_unknown_ids(rec, movie_id) -> None:
    seed = popular_ids(rec, 1)[0]
    assert rec.similar(movie_id) == Invalid("unknown_movie")
    assert rec.similarity(seed, movie_id) == Invalid("unknown_movie")
    assert rec.similar_to_many([seed, movie_id]) == Invalid("unknown_movie")


def test_no_films_is_a_typed_result(rec) -> None:
    assert rec.similar_to_many([]) == Invalid("no_movie")


def test_a_film_without_features_is_a_typed_result(mini_catalog_dir) -> None:
    catalog = catalog_module.load(mini_catalog_dir)
    index = similarity_index.load(mini_catalog_dir / similarity_index.FILE_NAME)
    matrix = index.matrix.to_scipy().copy()
    row = catalog.row(301)
    matrix.data[matrix.indptr[row] : matrix.indptr[row + 1]] = 0
    matrix.eliminate_zeros()
    # what was derived from the old matrix goes with it
    changed = dataclasses.replace(index, matrix=Csr.of(matrix), columns=None, explained=None)
    blank = Recommender(catalog, changed)
    assert blank.similar(301) == Invalid("no_features")
    assert blank.similarity(862, 301) == Invalid("no_features")
    assert 301 not in [r.movie_id for r in recommended(blank.similar(862, k=4))]


def test_an_index_for_another_catalog_is_refused(rec) -> None:
    other = dataclasses.replace(rec.index, ids=rec.index.ids + 1)
    with pytest.raises(IndexLoadError):
        Recommender(rec.catalog, other)


# -- the fast paths answer exactly what the original code answers ------------------------


@pytest.fixture(scope="module")
def seed_rec(rec) -> SeedRecommender:
    return SeedRecommender(rec.catalog, rec.index)


def test_lists_equal_the_original_code(rec, seed_rec, sample_ids) -> None:
    # stored neighbours, precomputed reasons for the first slots, computed ones after them
    for movie_id in sample_ids:
        for k in (1, 5, 12, MAX_K):
            assert rec.similar(movie_id, k) == seed_rec.similar(movie_id, k), (movie_id, k)


def test_lists_without_the_unpacked_extras_are_the_same(rec, sample_ids) -> None:
    # an index read straight from the .npz (no unpacked copy): reasons and columns computed
    bare = Recommender(rec.catalog, dataclasses.replace(rec.index, columns=None, explained=None))
    assert rec.index.explained is not None and rec.index.columns is not None
    for movie_id in sample_ids[:60]:
        assert bare.similar(movie_id, 10) == rec.similar(movie_id, 10)
        assert bare.similar(movie_id, 5, Filters(min_votes=10)) == rec.similar(
            movie_id, 5, Filters(min_votes=10)
        )


def test_ranking_on_the_fly_equals_the_original_code(rec, seed_rec, sample_ids) -> None:
    c = rec.catalog
    genres = sorted({g for names in c.genres for g in names})
    years = sorted(set(c.years.tolist()))
    for i, movie_id in enumerate(sample_ids[:80]):
        filters = Filters(
            year_from=years[i % len(years)] if i % 2 else None,
            year_to=years[-1 - i % len(years)] if i % 5 == 1 else None,
            genre=genres[i % len(genres)] if genres and i % 3 else None,
            min_votes=[0, 10, 100, 1000][i % 4],
        )
        for k in (5, 20):
            got = rec.similar(movie_id, k, filters)
            assert got == seed_rec.similar(movie_id, k, filters), (movie_id, filters)


def test_several_films_equal_the_original_code(rec, seed_rec, sample_ids) -> None:
    for i in range(0, 60, 3):
        seeds = sample_ids[i : i + 1 + i % 4]
        assert rec.similar_to_many(seeds, 10) == seed_rec.similar_to_many(seeds, 10)


def test_similarity_equals_the_original_code(rec, seed_rec, sample_ids) -> None:
    for a, b in zip(sample_ids, reversed(sample_ids), strict=True):
        assert rec.similarity(a, b) == seed_rec.similarity(a, b)


def test_a_page_is_the_slice_of_the_longer_list(rec, seed_rec, sample_ids) -> None:
    for movie_id in sample_ids[:60]:
        for offset, count in ((0, 5), (5, 5), (20, 5), (45, 5), (10, 3)):
            page = rec.page(movie_id, offset, count)
            longer = seed_rec.similar(movie_id, min(offset + count + 1, MAX_K))
            assert not isinstance(page, Invalid) and not isinstance(longer, Invalid)
            assert page == (longer[offset : offset + count], len(longer) > offset + count)


@pytest.mark.parametrize(("offset", "count"), [(-1, 5), (0, 0), (46, 5), (0, MAX_K + 1)])
def test_a_page_out_of_range_is_a_typed_result(rec, offset, count) -> None:
    assert rec.page(popular_ids(rec, 1)[0], offset, count) == Invalid("bad_page")


def test_stored_genres_equal_the_catalog_genres(rec) -> None:
    if rec.index.genres is None:
        pytest.skip("an index built before genres were stored: the catalog's are used")
    catalog_only = Recommender(rec.catalog, dataclasses.replace(rec.index, genres=None))
    stored, derived = rec._genre_masks(), catalog_only._genre_masks()
    assert stored.keys() == derived.keys()
    for name, mask in stored.items():
        np.testing.assert_array_equal(mask, derived[name])


def test_a_fresh_build_stores_genres_and_explains_alike(mini_catalog_dir) -> None:
    catalog = catalog_module.load(mini_catalog_dir)
    index = similarity_index.load(mini_catalog_dir / similarity_index.FILE_NAME)
    assert index.genres is not None and index.explained is not None
    fast = Recommender(catalog, index)
    slow = Recommender(catalog, dataclasses.replace(index, genres=None, explained=None))
    assert fast._genre_masks().keys() == slow._genre_masks().keys()
    for name, mask in fast._genre_masks().items():
        np.testing.assert_array_equal(mask, slow._genre_masks()[name])
    oracle = SeedRecommender(catalog, index)
    for movie_id in catalog.ids.tolist():
        if fast._has_features[catalog.row(movie_id)]:
            assert fast.similar(movie_id, 5) == slow.similar(movie_id, 5)
            assert fast.similar(movie_id, 5) == oracle.similar(movie_id, 5)


def test_neighbours_of_some_rows_are_those_rows_of_the_full_build(rec) -> None:
    from movierec.recommend import build

    matrix = rec.index.matrix.to_scipy()[:600]
    prior = rec.index.prior[:600]
    everything = build.top_neighbours(matrix, prior)
    np.testing.assert_array_equal(
        build.top_neighbours(matrix, prior, rows=range(100, 300)), everything[100:300]
    )


def test_the_engine_pages_as_it_did(shipped_engine, seed_rec, sample_ids) -> None:
    # Engine.recommendations asks for one page now; it used to slice a list of (n + 1) pages
    for movie_id in sample_ids[:40]:
        for page in (0, 1, 4, 9):
            got = shipped_engine.recommendations(movie_id, page, 5)
            longer = seed_rec.similar(movie_id, min(5 * (page + 1) + 1, TOP_N))
            assert not isinstance(got, Invalid) and not isinstance(longer, Invalid)
            assert got.items == tuple(longer[5 * page : 5 * page + 5])
            assert got.more == (len(longer) > 5 * page + 5) and got.offset == 5 * page
