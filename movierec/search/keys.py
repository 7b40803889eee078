"""Search keys and who owns them: what each resolver looks typed text up in.

A title key ("dark knight") is owned by the films with that title, a name key ("de niro") by
everyone whose name folds to it or ends with it. The tables are flat arrays (see
:mod:`movierec.search.lookup`), built from the catalog by the ETL and stored in the runtime
snapshot; per-key Python objects would cost more than the names themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from movierec import npz, strings
from movierec.catalog import Catalog, Groups, People, factorize
from movierec.npz import Arrays
from movierec.search import text
from movierec.search.fuzzy import FuzzyIndex
from movierec.search.lookup import HashLookup, StringTable

__all__ = [
    "RESOLVERS",
    "SUFFIXES",
    "KeyTables",
    "alias_keys",
    "build_tables",
    "person_tables",
    "title_tables",
    "word_suffixes",
]

SUFFIXES = "1"  # version of the sorted word suffixes kept in the unpacked snapshot


def _grouped(
    owner_codes: npt.NDArray[np.int32], members: npt.NDArray[np.int64], n_owners: int
) -> Groups:
    """Unique (owner, member) pairs as groups, members ascending within an owner."""
    span = int(members.max(initial=0)) + 1
    pairs = np.sort(owner_codes.astype(np.int64) * span + members)
    if len(pairs):
        pairs = pairs[np.append(True, pairs[1:] != pairs[:-1])]
    owners, members = np.divmod(pairs, span)
    return Groups.build(owners, members, n_owners)


@dataclass(frozen=True)
class KeyTables:
    """Keys owned by entities (a key may have several owners, an entity several keys)."""

    keys: StringTable
    owners: Groups  # key id → entities
    exact: HashLookup  # key → key id
    squeezed: HashLookup  # key without spaces → key ids ("mash" → "m a s h")
    index: FuzzyIndex
    # every key's word suffixes in order (word_suffixes), when the snapshot was unpacked
    suffixes: npt.NDArray[np.int32] | None = None

    @classmethod
    def build(cls, pairs: Iterable[tuple[str, int]]) -> KeyTables:
        kept = [(key, entity) for key, entity in pairs if key]
        codes, unique = factorize([k for k, _ in kept])
        entities = np.fromiter((e for _, e in kept), dtype=np.int64, count=len(kept))
        keys = StringTable.of(unique)
        return cls(
            keys=keys,
            owners=_grouped(codes, entities, len(unique)),
            exact=HashLookup.of((key, i) for i, key in enumerate(unique)),
            squeezed=HashLookup.of((text.compact(key), i) for i, key in enumerate(unique)),
            index=FuzzyIndex.build(keys),
        )

    def arrays(self) -> Arrays:
        blob, offsets = self.keys.arrays()
        return {
            "keys_blob": blob,
            "keys_offsets": offsets,
            "owners_starts": self.owners.starts,
            "owners_values": self.owners.values,
            "exact_hashes": self.exact.hashes,
            "exact_ids": self.exact.ids,
            "squeezed_hashes": self.squeezed.hashes,
            "squeezed_ids": self.squeezed.ids,
            **self.index.arrays(),
        }

    @classmethod
    def from_arrays(cls, arrays: Arrays) -> KeyTables:
        blob = arrays["keys_blob"]
        separated = strings.separated_of(arrays, "keys_blob")
        keys = StringTable.from_arrays(blob, arrays["keys_offsets"], separated)
        return cls(
            keys=keys,
            owners=Groups(arrays["owners_starts"], arrays["owners_values"]),
            exact=HashLookup(arrays["exact_hashes"], arrays["exact_ids"]),
            squeezed=HashLookup(arrays["squeezed_hashes"], arrays["squeezed_ids"]),
            index=FuzzyIndex.from_arrays(keys, arrays),
            suffixes=arrays.get(npz.derived_name("keys_offsets", SUFFIXES)),
        )


def word_suffixes(keys: Sequence[str]) -> npt.NDArray[np.int32]:
    """Every key's word suffixes ("toy story", "story") sorted as strings, then by key: a
    (2, n) array of their key ids (row 0) and of the characters each skips (row 1). What
    typeahead bisects; sorting 400k suffixes costs ~0.5 s, so unpacked snapshots keep it."""
    entries: list[tuple[str, int, int]] = []
    for key_id, key in enumerate(keys):
        skip = 0
        for word in key.split(" "):
            entries.append((key[skip:], key_id, skip))
            skip += len(word) + 1
    entries.sort()
    order = np.empty((2, len(entries)), dtype=np.int32)
    order[0] = [key_id for _, key_id, _ in entries]
    order[1] = [skip for _, _, skip in entries]
    return order


@npz.derivation("title.keys_offsets", version=SUFFIXES)  # typeahead is for titles only
def _sorted_suffixes(arrays: Arrays, name: str) -> npt.NDArray[np.int32]:
    blob = arrays[name.removesuffix("offsets") + "blob"]
    return word_suffixes(StringTable.from_arrays(blob, arrays[name]).strings())


RESOLVERS = ("title", "actor", "director")


# "Toy story (juguetes)", "Seven (Se7en)": a parenthesised part people do not type
# (only after other words: "(500) días juntos" keeps its number)
_PARENTHESISED = re.compile(r"\s+[(\[][^()\[\]]*[)\]]")


def alias_keys(alias: str) -> list[str]:
    """The keys an alternative title answers to: as written, and without parenthesised parts."""
    keys = [text.title_key(alias)]
    bare = _PARENTHESISED.sub(" ", alias).strip()
    if bare and bare != alias:
        keys.append(text.title_key(bare))
    return list(dict.fromkeys(k for k in keys if k))


def title_tables(catalog: Catalog) -> KeyTables:
    """Title keys → film rows: each film's title, and its alternative titles as aliases
    ("el padrino", "la cite des enfants perdus"), so exact and fuzzy lookup find them alike."""
    pairs = [(text.title_key(title), row) for row, title in enumerate(catalog.titles)]
    # A film's own title outranks another film's alias: "red" stays RED (2010), not also Three
    # Colors: Red, whose a.k.a. it is; "godzilla" is the films called Godzilla. An alias equal
    # to some title is left out (the film is still found by its own title and other aliases).
    titled = {key for key, _ in pairs}
    for row, aliases in enumerate(catalog.alt_titles):
        own = pairs[row][0]
        for alias in aliases:
            pairs += [(k, row) for k in alias_keys(alias) if k == own or k not in titled]
    return KeyTables.build(pairs)


def person_tables(people: People) -> KeyTables:
    full = [text.fold(name) for name in people.names]
    pairs = [(key, person) for person, key in enumerate(full)]
    # surnames ("kubrick", "de niro") are keys too, owned by everyone who bears them
    pairs += [(s, p) for p, key in enumerate(full) for s in text.name_suffixes(key)]
    return KeyTables.build(pairs)


def build_tables(catalog: Catalog) -> dict[str, KeyTables]:
    """Every resolver's key tables, built from the catalog (what the snapshot stores)."""
    return {
        "title": title_tables(catalog),
        "actor": person_tables(catalog.actors),
        "director": person_tables(catalog.directors),
    }
