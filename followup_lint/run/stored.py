"""Stored builds: a config and its validated rule set, kept in the cache folder.

Reading the built-in pack and a config means parsing YAML, importing jsonschema, checking
every rule against the schema and every regex against regex_guard: about a third of a
second on each start, for the same result every time. A session with a store builds it
once and keeps it under `<cache folder>/builds/`, as JSON:

- keyed by the tool's code, the config file (or, without one, the folder it stands in
  for), --select/--ignore and the installed packages (the stat of each sys.path folder:
  installing or removing a package changes it);
- valid while every file it was read from has the same bytes: the config, the project word
  list beside it, and each rule pack folder (its listing and the bytes of its files). Those
  are hashed on every use (a few small files; stat alone would miss an edit within the
  file system's timestamp granularity), so an edited config, pack or rule file is re-read,
  re-validated and re-stored, with the same errors as without a store.

The phrase analyses of the rule packs (each phrase's tokens and lemmas, which take a
pipe() over ~1,500 phrases) are stored beside it, keyed by the code and the model.

Beside each build, a hit record (`run-*.json`): the day-independent part of the results
cache's run fingerprint for that config and rule set, and the few config values a hit reads
(max-file-size, fail-under, exclude), valid while the same files are. cli/hit.py finds a
draft's cache entry from it without decoding the build.

Nothing here imports YAML, jsonschema or spaCy: a run answered from the results cache
reads its config and rules from here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
from dataclasses import fields
from pathlib import Path

FORMAT = "1"
MAX_BYTES = 64 * 1024 * 1024  # a stored build is a few MB at most; more is not ours


# --- plain JSON for rule and config data (tuples, dates and non-string keys included) ----

# JSON as it is, except: a tuple is {"\0t": [...]}, a date {"\0date": "..."}, a mapping
# with keys that are not strings {"\0m": [[k, v], ...]}, a Path {"\0path": "..."}, and a
# mapping that has a key starting with NUL is wrapped as {"\0d": {...}}. Decoding is one
# json.loads with an object hook.
_TAG = "\0"


def _enc(obj):
    if isinstance(obj, dict):
        if all(isinstance(k, str) for k in obj):
            out = {k: _enc(v) for k, v in obj.items()}
            return {_TAG + "d": out} if any(k.startswith(_TAG) for k in obj) else out
        return {_TAG + "m": [[_enc(k), _enc(v)] for k, v in obj.items()]}
    if isinstance(obj, list):
        return [_enc(v) for v in obj]
    if isinstance(obj, tuple):
        return {_TAG + "t": [_enc(v) for v in obj]}
    if isinstance(obj, dt.datetime):
        return {_TAG + "dt": obj.isoformat()}
    if isinstance(obj, dt.date):
        return {_TAG + "date": obj.isoformat()}
    if isinstance(obj, Path):
        return {_TAG + "path": str(obj)}
    if obj is None or isinstance(obj, (str, bool, int, float)):
        return obj
    raise TypeError(f"cannot store {type(obj).__name__}")


def _hook(obj: dict):
    if len(obj) != 1:
        return obj
    ((tag, value),) = obj.items()
    if not tag.startswith(_TAG):
        return obj
    if tag == _TAG + "t":
        return tuple(value)
    if tag == _TAG + "m":
        return {(tuple(k) if isinstance(k, list) else k): v for k, v in value}
    if tag == _TAG + "date":
        return dt.date.fromisoformat(value)
    if tag == _TAG + "dt":
        return dt.datetime.fromisoformat(value)
    if tag == _TAG + "path":
        return Path(value)
    if tag == _TAG + "d":
        return value
    raise ValueError(f"unknown tag {tag!r}")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


# --- what a build was read from -----------------------------------------------------------


def _file_digest(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except FileNotFoundError:
        return "absent"
    except OSError as exc:
        return f"unreadable {exc.errno}"


def _folder_digest(folder: str) -> str:
    """A pack folder: its rule files' names and bytes (a file added, removed or edited)."""
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith((".yaml", ".yml")))
    except OSError as exc:
        return f"unreadable {exc.errno}"
    h = hashlib.sha256()
    for name in names:
        h.update(
            name.encode("utf-8", "surrogateescape") + b"\0" + _file_digest(os.path.join(folder, name)).encode() + b"\0"
        )
    return h.hexdigest()


def _stamped(deps) -> list:
    """[[kind, path, digest]] of a record's source files, as JSON keeps them."""
    return [[kind, path, _digest(kind, path)] for kind, path in deps]


def _unchanged(stamped) -> bool:
    """Are a record's source files still as _stamped found them?"""
    return all(_digest(kind, path) == digest for kind, path, digest in stamped)


def _digest(kind: str, path: str) -> str:
    return _folder_digest(path) if kind == "folder" else _file_digest(path)


def package_stamp() -> str:
    """The path, size, mtime and inode of every file of our package (not its bytecode)."""
    root = Path(__file__).resolve().parents[1]
    parts = []
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    stack.append(entry.path)
                continue
            try:
                info = entry.stat()
            except OSError:
                continue
            parts.append(f"{entry.path}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ino}")
    return _sha("\n".join(sorted(parts)))


def site_stamp() -> str:
    """Changes when a package is installed, upgraded or removed, or a folder joins the
    import path (the mtime of each folder on sys.path: installing adds and removes
    entries in it)."""
    parts = []
    # Every folder imports come from, PYTHONPATH's too, but not sys.path[0]: the script's
    # folder or the working directory, which changes whenever a file is saved there.
    # Nor the folder our own package is in (an editable install's repository), whose code
    # package_stamp() covers.
    ours = os.path.realpath(Path(__file__).resolve().parents[2])
    for entry in sys.path[1:]:
        if not entry or os.path.realpath(entry) == ours:
            continue
        try:
            info = os.stat(entry or ".")
        except OSError:
            continue
        parts.append(f"{entry}\0{info.st_mtime_ns}\0{info.st_ino}")
    return _sha("\n".join(parts))


class BuildStore:
    """Builds under `directory/builds/`, read and written as the cache's entries are
    (files 0600 in a 0700 folder, replaced atomically, ignored when torn or foreign)."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.folder = self.directory / "builds"
        self._code = None
        self._opened = None  # storage.private.PrivateFolder of builds/, once opened
        self._refused = False

    # --- keys ---------------------------------------------------------------------------

    def _code_key(self) -> str:
        if self._code is None:
            from followup_lint.run import fingerprints as cache

            self.vouch()
            self._code = _sha(f"{FORMAT}\0{cache.code_fingerprint()}\0{site_stamp()}\0{sys.version}")
        return self._code

    def vouch(self) -> None:
        """Fingerprint our code and the installed packages by stat + hash: while every file
        of the package and every site-packages folder has the stat it had, the fingerprints
        computed then from the bytes and the package metadata still hold (run/fingerprints.py's
        KNOWN), and a run answered from the cache need not read them again."""
        from followup_lint.run import fingerprints as cache

        stamp = _sha(
            "\0".join(
                [FORMAT, package_stamp(), site_stamp(), sys.version, os.environ.get("FOLLOWUP_LINT_SPACY_MODEL", "")]
            )
        )
        name = f"fingerprints-{stamp}.json"
        data = self._read(name)
        if not (
            isinstance(data, dict) and isinstance(data.get("code"), str) and isinstance(data.get("environment"), str)
        ):
            data = {"code": cache.code_fingerprint(), "environment": cache.environment_fingerprint()}
            self._write(name, data)
        cache.KNOWN.update(code=data["code"], environment=data["environment"])

    def key(self, config_file: str | None, select, ignore, root) -> str:
        where = os.path.abspath(config_file) if config_file else f"defaults in {os.path.abspath(root or '.')}"
        return _sha(json.dumps([self._code_key(), where, select, ignore]))

    # --- reading and writing ------------------------------------------------------------

    def _builds(self):
        """builds/ in a cache folder that storage/private.py accepts as ours, or None: a
        folder that is not ours, or that others can write in, is neither read nor written
        (the results cache says why, once)."""
        if self._opened is None and not self._refused:
            from followup_lint.storage.private import Refused, open_private

            try:
                top = open_private(self.directory)
                try:
                    self._opened = top.sub("builds")
                finally:
                    top.close()
            except (Refused, OSError):
                self._refused = True
        return self._opened

    def _read(self, name: str):
        folder = self._builds()
        raw = folder.read(name, MAX_BYTES) if folder is not None else None
        if raw is None:
            return None  # absent, or not a regular private file of ours
        try:
            return json.loads(raw, object_hook=_hook)
        except (ValueError, RecursionError):
            return None

    def _write(self, name: str, data) -> None:
        folder = self._builds()
        if folder is None:
            return
        try:
            folder.write(
                name, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
            )
        except (OSError, TypeError, ValueError):
            pass  # an unwritable cache folder only costs the next run the same build

    # --- config + rule set ----------------------------------------------------------------

    def load(self, config_file: str | None, select, ignore, root):
        """(Config, RuleSet) as stored, or None (absent, stale or unreadable)."""
        key = self.key(config_file, select, ignore, root)
        record = self._read(f"rules-{key}.json")
        if not isinstance(record, dict) or record.get("key") != key:
            return None
        try:
            if not _unchanged(record["deps"]):
                return None
            from followup_lint.model.rule import ProjectSettings, Rule
            from followup_lint.rulefiles.config import Config, RuleSet

            cfg = Config(**record["config"])
            rules = [Rule(**r) for r in record["rules"]]
            ruleset = RuleSet(
                rules, {r.id: r for r in rules}, ProjectSettings(**record["settings"]), folders=list(record["folders"])
            )
            ruleset.fingerprint = record.get("fingerprint")
        except (KeyError, TypeError, ValueError):
            return None
        return cfg, ruleset

    @staticmethod
    def _deps(config_file: str | None, cfg, ruleset) -> list:
        """The files a build was read from: the config, the word list beside it, each pack folder."""
        from followup_lint.rulefiles.config import WORDS_FILE

        deps = [("file", os.path.abspath(config_file))] if config_file else []
        deps.append(("file", os.path.abspath(Path(cfg.root) / WORDS_FILE)))
        return deps + [("folder", os.path.abspath(f)) for f in ruleset.folders]

    def save(self, config_file: str | None, select, ignore, root, cfg, ruleset) -> None:
        from followup_lint.run.fingerprints import rules_fingerprint

        deps = self._deps(config_file, cfg, ruleset)
        try:
            config = {f.name: getattr(cfg, f.name) for f in fields(cfg) if f.name != "_line"}
            record = {
                "key": self.key(config_file, select, ignore, root),
                "deps": _stamped(deps),
                "config": _enc(config),
                "rules": [_enc({f.name: getattr(r, f.name) for f in fields(r)}) for r in ruleset.rules],
                "settings": _enc({f.name: getattr(ruleset.settings, f.name) for f in fields(ruleset.settings)}),
                "folders": [str(f) for f in ruleset.folders],
                "fingerprint": rules_fingerprint(ruleset.rules),
            }
        except TypeError:
            return  # something in a rule we cannot write as JSON: build it each time
        self._write(f"rules-{record['key']}.json", record)

    # --- hit records: what a cache hit needs, without the rule set ------------------------

    def run_key(self, config_file: str | None, select, ignore, root) -> str:
        """The build's key and the installed versions (the results depend on the model too)."""
        from followup_lint.run.fingerprints import environment_fingerprint

        key = self.key(config_file, select, ignore, root)  # vouches for the environment too
        return _sha(json.dumps([key, environment_fingerprint(), "run"]))

    def save_run(self, config_file: str | None, select, ignore, root, cfg, ruleset, fixed: str, timing: bool) -> None:
        """The fixed part of the run fingerprint (run/cache.py) of this config and rule set
        and the few config values a hit reads, valid while the same files are (as a build)."""
        key = self.run_key(config_file, select, ignore, root)
        deps = self._deps(config_file, cfg, ruleset)
        try:
            record = {
                "key": key,
                "deps": _stamped(deps),
                "fixed": fixed,
                "timing": bool(timing),
                "max_file_size": int(cfg.max_file_size),
                "fail_under": cfg.fail_under,
                "exclude": [str(g) for g in cfg.exclude],
                "root": str(cfg.root),
            }
        except (TypeError, ValueError):
            return
        if self._read(f"run-{key}.json") != record:
            self._write(f"run-{key}.json", record)

    def load_run(self, config_file: str | None, select, ignore, root) -> dict | None:
        """The hit record of this config, or None (absent, stale, unreadable or not ours)."""
        key = self.run_key(config_file, select, ignore, root)
        record = self._read(f"run-{key}.json")
        try:
            if not isinstance(record, dict) or record["key"] != key or not isinstance(record["fixed"], str):
                return None
            if not _unchanged(record["deps"]):
                return None
            size, under = record["max_file_size"], record["fail_under"]
            if not isinstance(size, int) or not (under is None or isinstance(under, (int, float))):
                return None
            if not all(isinstance(g, str) for g in record["exclude"]) or not isinstance(record["root"], str):
                return None
        except (KeyError, TypeError, ValueError):
            return None
        return record

    # --- phrase analyses ------------------------------------------------------------------

    def _phrases_name(self, pipeline: str) -> str:
        from followup_lint.run.fingerprints import environment_fingerprint

        key = self._code_key()  # vouches for the environment's fingerprint too
        return f"phrases-{_sha(json.dumps([key, environment_fingerprint(), pipeline]))}.json"

    def load_phrases(self, pipeline: str) -> dict:
        data = self._read(self._phrases_name(pipeline))
        return data if isinstance(data, dict) else {}

    def save_phrases(self, pipeline: str, table: dict) -> None:
        self._write(self._phrases_name(pipeline), table)
