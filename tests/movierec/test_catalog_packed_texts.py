"""The snapshot's compressed texts (the overviews): blocks decompressed on demand, same values."""

from __future__ import annotations

import pytest

from movierec.snapshot import PACK_BLOCK, PackedTexts


def packed(values: list[str | None]) -> PackedTexts:
    return PackedTexts(*PackedTexts.pack(values))


@pytest.mark.parametrize(
    "n", [0, 1, PACK_BLOCK - 1, PACK_BLOCK, PACK_BLOCK + 1, 3 * PACK_BLOCK + 7]
)
def test_every_value_comes_back(n: int) -> None:
    values = [None if i % 3 == 0 else f"película «{i}» ☃ 𝄞" * (i % 5) for i in range(n)]
    texts = packed(values)
    assert len(texts) == n
    assert list(texts) == values
    if n:
        assert texts[-1] == values[-1] and texts[n // 2] == values[n // 2]
        assert texts[1:n:2] == values[1:n:2]
    with pytest.raises(IndexError):
        texts[n]


def test_only_the_block_read_is_decompressed() -> None:
    texts = packed([f"text {i}" for i in range(4 * PACK_BLOCK)])
    assert texts[PACK_BLOCK + 3] == f"text {PACK_BLOCK + 3}"
    assert list(texts._blocks) == [1]


def test_packing_is_deterministic() -> None:
    values = [f"overview {i}" for i in range(PACK_BLOCK + 5)]
    first, again = PackedTexts.pack(values), PackedTexts.pack(values)
    assert [a.tobytes() for a in first] == [b.tobytes() for b in again]
