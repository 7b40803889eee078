"""The trigram shortlist and rapidfuzz scoring, on a handful of keys: no catalog needed."""

from __future__ import annotations

import numpy as np
import pytest

from movierec.search.fuzzy import FuzzyIndex, decode, query_grams
from movierec.search.keys import KeyTables

KEYS = ["dark knight", "dark knight rises", "godfather", "godfather 2", "pedro almodovar", "heat"]


@pytest.fixture(scope="module")
def index() -> FuzzyIndex:
    return FuzzyIndex.build(KEYS)


def best(index: FuzzyIndex, query: str) -> str:
    return index.keys[index.search(query)[0].key_id]


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("dark knigth", "dark knight"),
        ("godfather 2", "godfather 2"),
        ("godfater", "godfather"),
        ("almodovar", "pedro almodovar"),
        ("knight dark", "dark knight"),
    ],
)
def test_typos_fragments_and_word_order(index: FuzzyIndex, query: str, key: str) -> None:
    assert best(index, query) == key


def test_a_missing_number_costs(index: FuzzyIndex) -> None:
    scored = {index.keys[s.key_id]: s for s in index.search("godfather 2")}
    assert scored["godfather 2"].ratio > scored["godfather"].ratio


def test_nothing_in_common_is_nothing(index: FuzzyIndex) -> None:
    assert index.search("zzzz") == []
    assert len(index.shortlist("zzzz")) == 0


def test_results_are_sorted_best_first(index: FuzzyIndex) -> None:
    scored = index.search("dark")
    assert [s.best for s in scored] == sorted((s.best for s in scored), reverse=True)


def test_the_stored_form_gives_the_same_index(index: FuzzyIndex) -> None:
    again = FuzzyIndex.from_arrays(KEYS, index.arrays())
    for query in ("dark knigth", "godfater", "heat", "almodovar"):
        assert again.search(query) == index.search(query)
    assert len(query_grams("heat")) == len(set(query_grams("heat").tolist()))


def test_an_empty_index_answers_nothing() -> None:
    assert FuzzyIndex.build([]).search("heat") == []


def test_key_tables_file_owners_under_every_key() -> None:
    tables = KeyTables.build([("heat", 0), ("heat", 3), ("alien", 1), ("", 2), ("heat", 0)])
    assert list(tables.keys) == ["heat", "alien"]  # empty keys are dropped
    assert tables.owners[0].tolist() == [0, 3] and tables.owners[1].tolist() == [1]
    assert tables.exact.candidates("alien") == [1]
    again = KeyTables.from_arrays(tables.arrays())
    assert list(again.keys) == list(tables.keys)
    np.testing.assert_array_equal(again.owners.values, tables.owners.values)


def brute_shortlist(index: FuzzyIndex, query: str, limit: int) -> list[int]:
    """The `limit` best keys by trigram rank, ties by id, from every key's count."""
    grams = query_grams(query)
    all_postings = index.postings(np.arange(len(index._vocab)))
    shared = np.zeros(len(index.keys), dtype=np.int64)
    for gram in grams.tolist():
        column = int(np.searchsorted(index._vocab, gram))
        if column < len(index._vocab) and index._vocab[column] == gram:
            start, end = index._starts[column], index._starts[column + 1]
            shared[all_postings[start:end]] += 1
    candidates = np.flatnonzero(shared)
    ranks = shared[candidates] / len(grams) + 2 * shared[candidates] / (
        len(grams) + index._sizes[candidates]
    )
    return sorted(candidates[np.lexsort((candidates, -ranks))][:limit].tolist())


def random_keys(seed: int, n: int) -> list[str]:
    rng = np.random.default_rng(seed)
    words = ["dark", "knight", "god", "father", "heat", "alien", "star", "wars", "the", "a"]
    return [" ".join(rng.choice(words, size=rng.integers(1, 4)).tolist()) for _ in range(n)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_shortlist_is_the_best_ranked_keys_ties_by_id(seed: int) -> None:
    keys = random_keys(seed, 3000)  # many equal ranks: ties at the boundary are the test
    index = FuzzyIndex.build(keys)
    for query in ("dark knigth", "god father", "star", "heat alien wars", "zzz"):
        for limit in (1, 7, 256, 5000):
            assert sorted(index.shortlist(query, limit).tolist()) == brute_shortlist(
                index, query, limit
            )


def test_the_shortlist_holds_when_its_first_guess_at_shared_trigrams_is_too_high() -> None:
    """Long queries over long keys holding a fragment of them and short keys that are one:
    the limit-th best key often shares far fewer than a quarter of the query's trigrams, so
    the search must lower its threshold, often by more than one at once (by how far the rank
    it found says), and still give exactly the best keys."""
    rng = np.random.default_rng(5)
    letters = list("abcdefghijklmnopqrstuvwxyz")

    def noise(n: int) -> str:
        return "".join(rng.choice(letters, size=n))

    for _ in range(20):
        query = " ".join(noise(int(rng.integers(3, 9))) for _ in range(rng.integers(4, 10)))
        keys = []
        for _ in range(int(rng.integers(50, 1500))):
            start = int(rng.integers(0, len(query)))
            fragment = query[start : start + int(rng.integers(2, len(query) // 2 + 3))].strip()
            fragment = fragment or "x"
            if rng.random() < 0.5:  # many trigrams of its own: a low rank for what it shares
                keys.append(f"{noise(int(rng.integers(10, 60)))} {fragment} {noise(10)}")
            else:
                keys.append(fragment[: int(rng.integers(1, len(fragment) + 1))])
        index = FuzzyIndex.build(keys)
        for limit in (3, 10, 50, 200):
            assert sorted(index.shortlist(query, limit).tolist()) == brute_shortlist(
                index, query, limit
            )


def test_a_key_ranking_exactly_at_the_bound_is_not_passed_over() -> None:
    """A key sharing 6 trigrams whose rank equals the best a key sharing 3 can have: the
    search, first guessing 5 shared trigrams, must go below it (the bound is strict), or a
    key sharing 3 that ranks higher than it is missed."""
    query = "ab cdefghijklmnopqrs"
    greek = [chr(c) for c in range(0x3B1, 0x3C9)]
    tail = "".join(greek[i % 24] + greek[(i // 24) % 24] for i in range(41))
    keys = ["ab", "lmnopq", f"efghijkl {tail}"]
    index = FuzzyIndex.build(keys)
    assert brute_shortlist(index, query, 2) == [0, 1]
    assert sorted(index.shortlist(query, 2).tolist()) == [0, 1]


def test_posting_lists_decode_from_their_gaps() -> None:
    keys = random_keys(4, 500)
    index = FuzzyIndex.build(keys)
    decoded = index.postings(np.arange(len(index._vocab)))
    for column in range(len(index._vocab)):
        start, end = index._starts[column], index._starts[column + 1]
        ids = decoded[start:end]
        assert np.all(np.diff(ids) > 0)
        gram = int(index._vocab[column])
        assert all(gram in query_grams(keys[i]).tolist() for i in ids.tolist())
    single = index.postings(np.asarray([3]))
    np.testing.assert_array_equal(single, decoded[index._starts[3] : index._starts[4]])


def test_a_floor_drops_only_keys_below_it(index: FuzzyIndex) -> None:
    for query in ("dark knigth", "godfater 2", "almodovar", "knight dark"):
        everything = index.search(query)
        floored = index.search(query, floor=60.0)
        assert [s.key_id for s in floored] == [s.key_id for s in everything if s.best >= 60]
        for got, full in zip(floored, [s for s in everything if s.best >= 60], strict=True):
            assert (got.ratio, got.best) == (full.ratio, full.best)


def test_lists_decoded_when_unpacked_answer_the_same() -> None:
    keys = random_keys(5, 800)
    index = FuzzyIndex.build(keys)
    arrays = index.arrays()
    decoded = decode(arrays["postings"], arrays["starts"])
    np.testing.assert_array_equal(decoded, index.postings(np.arange(len(index._vocab))))
    unpacked = FuzzyIndex.from_arrays(keys, {**arrays, "postings.derived1": decoded})
    for query in ("dark knigth", "god father", "star", "zzz", "a"):
        assert unpacked.search(query) == index.search(query)


def test_the_unpacked_snapshot_keeps_the_lists_decoded(shipped_engine) -> None:
    index = shipped_engine._titles.tables.index
    if index._decoded is None:
        pytest.skip("the snapshot could not be unpacked here (read-only folder)")
    np.testing.assert_array_equal(index._decoded[:1000], decode(index._gaps, index._starts)[:1000])
