"""Arrays and strings to and from ``.npz`` files, reproducibly (fixed zip timestamps).

The committed ``.npz`` files are compressed (``data/`` stays small), but decompressing them is
most of a start-up. So :func:`read` unpacks a file once into a cache folder beside it
(``.unpacked/``, ignored by git through its own ``.gitignore``) and from then on maps the
plain ``.npy`` files into memory: a start reads no more than it touches, and pages nobody
touches never count against the process's memory. The cache is keyed by the members' CRCs
and sizes recorded in the zip, so a rebuilt file is unpacked again; a folder that cannot be
written (a read-only image) just means decompressing every time, as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

__all__ = [
    "CACHE_DIR",
    "Arrays",
    "NpzError",
    "cache_folder",
    "derivation",
    "derived_name",
    "read",
    "unpack",
    "write",
]

# Arrays by name, as stored: each reader knows what dtype it wrote under each name.
Arrays: TypeAlias = dict[str, npt.NDArray[Any]]
Derive: TypeAlias = Callable[[Arrays], Arrays]

CACHE_DIR = ".unpacked"
CACHE_VERSION = 1
_COMPLETE = "complete.json"
# Arrays any unpacked copy derives from stored arrays named "<anything><suffix>": suffix →
# (version, function of the arrays and the stored name → the derived array, named
# "<name>.derived"). Registered by the modules that read them (see ``derivation``).
Derivation: TypeAlias = Callable[[Arrays, str], "npt.NDArray[Any] | None"]
_DERIVATIONS: dict[str, tuple[str, Derivation]] = {}


class NpzError(Exception):
    """The file is missing, unreadable or not what this version writes."""


def write(path: Path, arrays: Mapping[str, npt.ArrayLike]) -> None:
    """np.savez_compressed, but with fixed zip timestamps: same inputs, same bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asarray(array), allow_pickle=False)


def derivation(suffix: str, version: str) -> Callable[[Derivation], Derivation]:
    """Register a function deriving ``derived_name(name, version)`` from every stored array
    ``name`` ending in ``suffix`` (None: nothing for that one), kept in unpacked copies:
    computed once per file (added to a copy made before the registration), mapped after."""

    def register(function: Derivation) -> Derivation:
        _DERIVATIONS[suffix] = (version, function)
        return function

    return register


def derived_name(name: str, version: str) -> str:
    return f"{name}.derived{version}"


def _registered(arrays: Arrays) -> Arrays:
    """The registered derivations these arrays do not hold yet."""
    derived = {}
    for suffix, (version, function) in sorted(_DERIVATIONS.items()):
        for name in [n for n in arrays if n.endswith(suffix)]:
            if derived_name(name, version) in arrays:
                continue
            value = function(arrays, name)
            if value is not None:
                derived[derived_name(name, version)] = value
    return derived


def _unreadable(path: Path, exc: BaseException) -> NpzError:
    return NpzError(f"{path}: unreadable ({exc}); run `make data`")


_READ_ERRORS = (OSError, EOFError, ValueError, KeyError, zipfile.BadZipFile)


def _decompress(path: Path) -> Arrays:
    try:
        with np.load(path, allow_pickle=False) as stored:
            return {name: stored[name] for name in stored.files}
    except _READ_ERRORS as exc:
        raise _unreadable(path, exc) from None


def cache_folder(path: Path, derived_version: str = "") -> Path:
    """Where ``path`` is (or would be) unpacked: named after what the zip holds (a rebuilt file
    gets a new folder) and after what the reader derives (each reader its own copy). Raises
    NpzError when ``path`` is not a readable zip."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [(i.filename, i.CRC, i.file_size) for i in archive.infolist()]
    except _READ_ERRORS as exc:
        raise _unreadable(path, exc) from None
    content = hashlib.sha256(json.dumps(members).encode()).hexdigest()[:12]
    derived = hashlib.sha256(json.dumps([CACHE_VERSION, derived_version]).encode()).hexdigest()
    return path.parent / CACHE_DIR / f"{path.stem}-{content}-{derived[:8]}"


def _plain(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    return array.view(np.ndarray) if isinstance(array, np.memmap) else array


def _mapped(folder: Path) -> Arrays | None:
    """The unpacked arrays, memory-mapped read-only; None when the folder is not complete."""
    try:
        names = json.loads((folder / _COMPLETE).read_text(encoding="utf-8"))
        arrays = {}
        for name in names:
            loaded = np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            arrays[name] = _plain(loaded)
        return arrays
    except (*_READ_ERRORS, json.JSONDecodeError, TypeError):
        return None


def _save_unpacked(folder: Path, arrays: Arrays) -> None:
    """Write the arrays as .npy files into ``folder``, atomically (a temporary folder renamed);
    a concurrent start that got there first wins. Older unpacked builds of the file go."""
    parent = folder.parent
    parent.mkdir(exist_ok=True)
    ignore = parent / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# unpacked copies of the .npz files (movierec.npz): never commit\n*\n")
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=parent))
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; the bot may run as another user
        for name, array in arrays.items():
            np.save(staging / f"{name}.npy", np.asarray(array), allow_pickle=False)
        (staging / _COMPLETE).write_text(json.dumps(sorted(arrays)), encoding="utf-8")
        try:
            os.replace(staging, folder)
        except OSError:
            if _mapped(folder) is not None:  # a concurrent start made it first: keep theirs
                shutil.rmtree(staging, ignore_errors=True)
                return
            shutil.rmtree(folder, ignore_errors=True)  # a damaged copy
            os.replace(staging, folder)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    # copies of another build of the file go (a process still mapping one keeps its pages)
    stem, content, _derived = folder.name.rsplit("-", 2)
    for old in parent.glob(f"{stem}-*-*"):
        old_stem, old_content, _old_derived = old.name.rsplit("-", 2)
        if old_stem == stem and old_content != content and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


def _topped_up(folder: Path, mapped: Arrays) -> Arrays:
    """The copy with the registered derivations it lacks added (a copy made by a process that
    had not registered them); as it is when the folder cannot be written."""
    missing = _registered(mapped)
    if not missing:
        return mapped
    try:
        for name, array in missing.items():
            staging = folder / f".{name}.npy.tmp"
            with staging.open("wb") as file:  # a file, not a name: np.save would add .npy
                np.save(file, np.asarray(array), allow_pickle=False)
            os.replace(staging, folder / f"{name}.npy")
        listing = folder / f".{_COMPLETE}.tmp"
        listing.write_text(json.dumps(sorted({*mapped, *missing})), encoding="utf-8")
        os.replace(listing, folder / _COMPLETE)
    except OSError:
        return mapped
    return _mapped(folder) or mapped


def unpack(path: Path, derive: Derive | None = None, derived_version: str = "") -> Path | None:
    """Unpack ``path`` into its cache folder now (what :func:`read` does on a first start);
    the folder, or None when it cannot be written."""
    folder = cache_folder(path, derived_version)
    mapped = _mapped(folder)
    if mapped is not None:
        _topped_up(folder, mapped)
        return folder
    arrays = _decompress(path)
    derived = {**(derive(arrays) if derive else {}), **_registered(arrays)}
    try:
        _save_unpacked(folder, {**arrays, **derived})
    except OSError:
        return None
    return folder


def read(path: Path, derive: Derive | None = None, derived_version: str = "") -> Arrays:
    """The arrays of ``path``, memory-mapped from its unpacked copy (made now if missing).

    ``derive`` adds arrays computed from the stored ones, kept in the unpacked copy too (so
    they are computed once per build), as do the registered derivations (``derivation``);
    when the copy cannot be written they are left out, and the caller computes what it needs
    itself. ``derived_version`` names what ``derive``
    computes: change it when that changes.
    """
    folder = cache_folder(path, derived_version)
    mapped = _mapped(folder)
    if mapped is not None:
        return _topped_up(folder, mapped)
    arrays = _decompress(path)
    derived = {**(derive(arrays) if derive else {}), **_registered(arrays)}
    with contextlib.suppress(OSError):
        _save_unpacked(folder, {**arrays, **derived})
        mapped = _mapped(folder)
        if mapped is not None:  # the mapped copy: the decompressed one can go now
            return mapped
    return arrays
