"""Storing arrays and strings: no catalog needed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from movierec import npz

texts = st.lists(st.none() | st.text(max_size=12), max_size=30)


@given(texts)
def test_strings_round_trip_with_none_apart_from_empty(values: list[str | None]) -> None:
    blob, offsets = npz.pack_strings(values)
    assert blob.dtype == np.uint8 and offsets.dtype == np.int64
    assert npz.unpack_strings(blob, offsets) == values


def test_the_packing_is_one_blob_and_offsets() -> None:
    blob, offsets = npz.pack_strings(["ab", None, "", "é"])
    assert blob.tobytes() == "abé".encode()
    assert offsets.tolist() == [0, 2, -3, 2, 3]  # a None ends at -(end + 1)


def test_write_is_reproducible_and_read_gives_it_back(tmp_path: Path) -> None:
    arrays = {"ids": np.arange(5, dtype=np.int32), "score": np.linspace(0, 1, 3)}
    npz.write(tmp_path / "a.npz", arrays)
    npz.write(tmp_path / "b.npz", arrays)
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    back = npz.read(tmp_path / "a.npz")
    assert set(back) == {"ids", "score"}
    np.testing.assert_array_equal(back["ids"], arrays["ids"])
    assert back["ids"].dtype == np.int32


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 broken", b"not a zip at all"])
def test_an_unreadable_file_is_one_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.npz"
    path.write_bytes(content)
    with pytest.raises(npz.NpzError, match="run `make data`"):
        npz.read(path)
    with pytest.raises(npz.NpzError):
        npz.read(tmp_path / "missing.npz")


def test_objects_are_never_unpickled(tmp_path: Path) -> None:
    path = tmp_path / "evil.npz"
    np.savez(path, payload=np.array([{"a": 1}], dtype=object))
    with pytest.raises(npz.NpzError):
        npz.read(path)
