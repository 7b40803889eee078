"""Storing arrays: no catalog needed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from movierec import npz


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


# -- the unpacked, memory-mapped copy -------------------------------------------------------


def arrays_for_cache() -> dict[str, np.ndarray]:
    return {"ids": np.arange(7, dtype=np.int32), "names": np.asarray(["a", "bé"]), "empty": []}


def unpacked(path: Path) -> list[Path]:
    return sorted(p for p in (path.parent / npz.CACHE_DIR).glob(f"{path.stem}-*") if p.is_dir())


def test_a_first_read_unpacks_and_later_reads_map_the_copy(tmp_path: Path) -> None:
    path = tmp_path / "a.npz"
    npz.write(path, arrays_for_cache())
    first = npz.read(path)
    (folder,) = unpacked(path)
    assert (folder.parent / ".gitignore").read_text().strip().endswith("*")
    again = npz.read(path)
    for name, value in arrays_for_cache().items():
        np.testing.assert_array_equal(first[name], np.asarray(value))
        np.testing.assert_array_equal(again[name], np.asarray(value))
    assert type(again["ids"]) is np.ndarray and not again["ids"].flags.writeable  # mapped


def test_derived_arrays_are_kept_with_the_copy_and_redone_when_their_version_changes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.npz"
    npz.write(path, arrays_for_cache())
    calls = []

    def derive(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        calls.append(1)
        return {"twice": arrays["ids"] * 2}

    assert npz.read(path, derive, "1")["twice"].tolist() == [0, 2, 4, 6, 8, 10, 12]
    assert npz.read(path, derive, "1")["twice"].tolist() == [0, 2, 4, 6, 8, 10, 12]
    assert len(calls) == 1
    npz.read(path, derive, "2")
    assert len(calls) == 2
    npz.read(path)  # a reader deriving nothing has its own copy, and leaves the others be
    npz.read(path, derive, "2")
    assert len(calls) == 2 and len(unpacked(path)) == 3


def test_a_registered_derivation_is_added_to_a_copy_made_without_it(
    tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "a.npz"
    npz.write(path, arrays_for_cache())
    npz.read(path)
    monkeypatch.setattr(npz, "_DERIVATIONS", {})
    npz.derivation("ids", "7")(lambda arrays, name: arrays[name] + 1)
    got = npz.read(path)
    assert got[npz.derived_name("ids", "7")].tolist() == list(range(1, 8))
    assert not got[npz.derived_name("ids", "7")].flags.writeable  # mapped, kept
    assert len(unpacked(path)) == 1


def test_a_rebuilt_file_is_unpacked_again(tmp_path: Path) -> None:
    path = tmp_path / "a.npz"
    npz.write(path, arrays_for_cache())
    npz.read(path)
    npz.read(path, lambda arrays: {}, "1")
    npz.write(path, {"ids": np.arange(3)})
    assert npz.read(path)["ids"].tolist() == [0, 1, 2]
    assert len(unpacked(path)) == 1  # both copies of the old build went


def test_a_damaged_copy_is_made_again(tmp_path: Path) -> None:
    path = tmp_path / "a.npz"
    npz.write(path, arrays_for_cache())
    npz.read(path)
    (folder,) = unpacked(path)
    (folder / "ids.npy").unlink()
    assert npz.read(path)["ids"].tolist() == list(range(7))
    (folder / "ids.npy").write_bytes(b"garbage")
    assert npz.read(path)["ids"].tolist() == list(range(7))


def test_a_folder_that_cannot_be_written_means_decompressing(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "a.npz"
    npz.write(path, arrays_for_cache())

    def refuse(*_args: object) -> None:
        raise PermissionError("read-only")

    monkeypatch.setattr(npz, "_save_unpacked", refuse)
    got = npz.read(path, lambda arrays: {"extra": arrays["ids"]}, "1")
    assert got["ids"].tolist() == list(range(7)) and "extra" not in got
    assert unpacked(path) == []


def test_a_damaged_copy_is_replaced_not_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.npz"
    npz.write(path, arrays_for_cache())
    npz.read(path)
    (folder,) = unpacked(path)
    (folder / "ids.npy").write_bytes(b"garbage")
    npz.read(path)
    assert type(npz.read(path)["ids"]) is np.ndarray
    assert not npz.read(path)["ids"].flags.writeable  # mapped from a good copy again
