"""The semantic block's documents and topics (build time)."""

from __future__ import annotations

import numpy as np
import pytest

from movierec.recommend import features, semantic


def test_documents_hold_whole_keywords_genres_and_every_text(mini_catalog_dir) -> None:
    fields = features.read_fields(mini_catalog_dir)
    leads = ["A wizard's lead paragraph." if i == 0 else "" for i in range(len(fields.ids))]
    docs = semantic.documents(fields, leads)
    assert len(docs) == len(fields.ids)
    first = docs[0]
    assert {f"g:{g}" for g in fields.genres[0]} <= set(first)
    assert {f"k:{k}" for k in fields.keywords[0]} <= set(first)
    assert "wizard's" in first and "lead" in first  # the lead paragraph's words
    assert "a" not in first and "the" not in first  # English stop words are left out


def test_lead_paragraphs_come_from_the_extras(mini_catalog_dir, tmp_path) -> None:
    fields = features.read_fields(mini_catalog_dir)
    leads = semantic.lead_paragraphs(mini_catalog_dir, fields.ids)
    assert len(leads) == len(fields.ids)
    assert semantic.lead_paragraphs(tmp_path, fields.ids) == [""] * len(fields.ids)


def corpus() -> list[list[str]]:
    space = ["space", "ship", "alien", "planet", "crew", "star"]
    sea = ["ocean", "ship", "sailor", "storm", "island", "whale"]
    love = ["love", "wedding", "paris", "letter", "kiss", "dance"]
    rng = np.random.default_rng(1)
    docs = []
    for words in (space, sea, love) * 12:
        docs.append(list(rng.choice(words, 4, replace=False)))
    return [*docs, []]  # a film without words


def test_topics_are_unit_rows_that_group_films_about_the_same_thing() -> None:
    docs = corpus()
    rows = semantic.topics(docs, dim=4)
    assert rows.shape == (len(docs), 4) and rows.dtype == np.float32
    norms = np.linalg.norm(rows, axis=1)
    assert norms[:-1] == pytest.approx(np.ones(len(docs) - 1), abs=1e-5)
    assert not rows[-1].any()  # no words: a zero row
    same = rows[0] @ rows[3]  # two space films
    other = rows[0] @ rows[2]  # space and love
    assert same > other + 0.3


def test_topics_are_reproducible_and_quantise_to_int8() -> None:
    docs = corpus()
    first, again = semantic.topics(docs, 4), semantic.topics(docs, 4)
    assert np.array_equal(first, again)  # a fixed seed: same build, same bytes
    stored = semantic.quantise(first)
    assert stored.dtype == np.int8 and int(np.abs(stored).max()) <= semantic.QUANTUM
    back = semantic.dequantise(stored)
    assert np.abs(back - first).max() < 0.02


def test_a_catalog_too_small_for_topics_gets_none() -> None:
    assert semantic.topics([["one"], ["two"]]).shape == (2, 0)
