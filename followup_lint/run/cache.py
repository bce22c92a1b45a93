"""The results cache: a draft linted again with nothing changed is read back, not parsed.

In a pre-commit hook or a CI job most drafts did not change since the last run. An entry
is keyed by everything a report depends on: the file's bytes and path, the tool's version
and code, the spaCy and model versions, every rule in effect (built-in and packs, with
config overrides applied), the effective config, the context flags, and today's date when
an enabled timing rule reads it. A full hit never constructs a Linter, so spaCy is not even
imported.

The cache holds findings that quote private drafts: its folder is created readable by the
user only (0700, entries 0600) and carries a `.gitignore` of `*`, so a cache folder inside
a repository is never committed.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import os
import re
import tempfile
import time
from dataclasses import asdict, fields
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from followup_lint import __version__
from followup_lint.model.draft import DraftError
from followup_lint.model.findings import FileReport, Finding, Fix, Problem
from followup_lint.read.draft import format_for, read_bytes, read_file_bytes, read_path

FORMAT = "1"                      # bump when the entry layout changes


MAX_AGE = 30 * 24 * 3600          # entries unused this long are removed


PRUNE_EVERY = 24 * 3600


_GITIGNORE = "# Created by followup-lint: cached findings quote your drafts; keep them out of git.\n*\n"


_CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                 "# This file marks a cache directory created by followup-lint (https://bford.info/cachedir/).\n")


def _plain(obj):
    # What differs from one process to the next must not reach a key: a set's order, an
    # object's address.
    if isinstance(obj, (set, frozenset)):
        return sorted(obj, key=repr)
    return re.sub(r" at 0x[0-9A-Fa-f]+", "", repr(obj))


def _digest(obj) -> str:
    try:
        text = json.dumps(obj, sort_keys=True, default=_plain, ensure_ascii=False)
    except TypeError:  # keys of mixed types cannot be sorted
        text = repr(obj)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The tool's version and the bytes of its code and data files: an editable install
    changes without its version number changing."""
    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _dist_version(name: str) -> str:
    try:
        return metadata.version(name)
    except (metadata.PackageNotFoundError, ValueError):
        return "absent"


@lru_cache(maxsize=1)
def environment_fingerprint() -> str:
    """The installed versions of everything we depend on (spaCy, textstat, optional checkers)
    and of the model package the pipeline will load, read from package metadata: neither
    spaCy nor the model is imported."""
    from followup_lint.language import pipeline as nlp  # its spaCy imports are inside functions

    try:
        requirements = metadata.requires("followup-lint") or []
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        requirements = ["spacy"]
    names = sorted({re.match(r"[A-Za-z0-9._-]+", r).group(0) for r in requirements if "extra == 'test'" not in r})
    override = os.environ.get("FOLLOWUP_LINT_SPACY_MODEL")
    model = None
    for name in (override,) if override else nlp.MODEL_PACKAGES:
        try:
            if importlib.util.find_spec(name) is not None:
                model = name
                break
        except (ImportError, ValueError):
            continue
    versions = {name: _dist_version(name) for name in names}
    versions["model"] = f"{model} {_dist_version(model)}" if model else "none"
    return _digest(versions)


def rules_fingerprint(rules) -> str:
    # Every field of every rule in effect, overrides applied; `lines` only locates errors.
    return _digest([{f.name: getattr(r, f.name) for f in fields(r) if f.name != "lines"} for r in rules])


def config_fingerprint(cfg) -> str:
    data = {f.name: getattr(cfg, f.name) for f in fields(cfg) if not f.name.startswith("_")}
    data["root"] = str(Path(cfg.root).resolve())
    return _digest(data)


def run_fingerprint(cfg, rules, overrides: dict | None, today: dt.date | None = None, settings=None) -> str:
    """Everything but the draft itself that one config's reports depend on; `settings`: the
    rule set's ProjectSettings (the word list beside the config is read into them)."""
    parts = {
        "settings": asdict(settings) if settings is not None else None,
        "format": FORMAT,
        "code": code_fingerprint(),
        "environment": environment_fingerprint(),
        "rules": rules_fingerprint(rules),
        "config": config_fingerprint(cfg),
        "context": {k: v for k, v in (overrides or {}).items() if v is not None},
        "today": today,
    }
    if any(r.type == "timing" for r in rules):
        # A timing rule measures from today unless the draft or a flag gives the date.
        parts["today"] = today or dt.date.today()
    return _digest(parts)


def entry_key(run: str, display: str, data: bytes) -> str:
    # The path matters too: per-file-ignores and the reported path depend on it.
    where = f"{display}\0{os.path.abspath(display)}"
    return hashlib.sha256(f"{run}\0{where}\0".encode("utf-8", "surrogateescape") + hashlib.sha256(data).digest()).hexdigest()


def _dump(report: FileReport) -> dict:
    out = {f.name: getattr(report, f.name) for f in fields(report) if f.name not in ("text", "findings")}
    out["error"] = None if report.error is None else str(report.error)  # the text the user saw
    out["findings"] = [asdict(f) for f in report.findings]
    return out


def _load(data: dict) -> FileReport:
    findings = [Finding(**dict(f, fix=f["fix"] and Fix.from_dict(f["fix"]))) for f in data.pop("findings")]
    error = data.pop("error")
    return FileReport(**data, error=error if error is None else Problem.parse(error, data["path"]), findings=findings)


class Cache:
    """Entries are JSON files named by their key under `directory/results/`."""

    def __init__(self, directory: Path, warn=None):
        self.directory = Path(directory)
        self.results = self.directory / "results"
        self.warn = warn
        self._ready = False
        self._broken = False

    def get(self, key: str) -> FileReport | None:
        path = self.results / f"{key}.json"
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
            if data.get("key") != key:
                return None
            report = _load(data["report"])
        except (OSError, ValueError, KeyError, TypeError):  # absent, torn or from another layout
            return None
        try:
            os.utime(path)  # used entries are not pruned
        except OSError:
            pass
        return report

    def put(self, key: str, report: FileReport) -> None:
        if self._broken or not self._prepare():
            return
        text = json.dumps({"key": key, "report": _dump(report)}, ensure_ascii=False, default=str)
        try:
            fd, tmp = tempfile.mkstemp(dir=self.results, prefix=".tmp-", suffix=".json")  # mode 0600
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, self.results / f"{key}.json")
        except OSError as exc:
            self._give_up(exc)

    def _prepare(self) -> bool:
        if self._ready:
            return True
        try:
            for d in (self.directory, self.results):
                if not d.is_dir():
                    d.mkdir(mode=0o700, parents=True, exist_ok=True)
                    os.chmod(d, 0o700)  # mkdir's mode is filtered by the umask
            for name, content in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
                marker = self.directory / name
                if not marker.exists():
                    fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                    with os.fdopen(fd, "w", encoding="utf-8") as fh:
                        fh.write(content)
            self._prune()
        except OSError as exc:
            self._give_up(exc)
            return False
        self._ready = True
        return True

    def _prune(self) -> None:
        stamp = self.directory / ".pruned"
        now = time.time()
        try:
            if now - stamp.stat().st_mtime < PRUNE_EVERY:
                return
        except FileNotFoundError:
            pass
        for entry in self.results.iterdir():
            try:
                if now - entry.stat().st_mtime > MAX_AGE:
                    entry.unlink()
            except OSError:
                continue
        stamp.touch(mode=0o600)
        os.utime(stamp)

    def _give_up(self, exc: OSError) -> None:
        self._broken = True
        if self.warn:
            self.warn(f"{self.directory}: results are not cached ({exc.strerror or exc}); "
                      "pass --cache-dir DIR or set FOLLOWUP_LINT_CACHE_DIR to a writable folder, or --no-cache")


class CachedLinting:
    """Lints files through the cache, with the front end's session; the Linter (and so
    spaCy) is only asked for on a miss."""

    def __init__(self, cache: Cache | None, session, need_text=False):
        self.cache, self.session, self.need_text = cache, session, need_text
        self._runs: dict = {}
        self.hits = self.misses = 0

    def _run(self, cfg) -> str:
        if id(cfg) not in self._runs:
            ruleset = self.session.ruleset_for(cfg)
            self._runs[id(cfg)] = run_fingerprint(cfg, ruleset.rules, self.session.overrides, self.session.today,
                                                 ruleset.settings)
        return self._runs[id(cfg)]

    def lint_many(self, items, jobs: int | None = 1, progress=None) -> list[FileReport]:
        """Lint [(cfg, path, display)] in input order: cache hits first, then the misses in
        batches (one nlp.pipe call each) or, with jobs > 1, in worker processes."""
        from followup_lint.run import workers as parallel

        results: list = [None] * len(items)
        misses = []   # (index, cfg, display, data, key, draft)
        for i, (cfg, path, display) in enumerate(items):
            data = key = None
            try:  # bounded, and regular files only: /dev/zero has st_size 0 and never ends
                data = read_file_bytes(os.fsdecode(os.fspath(path)), display, cfg.max_file_size)
            except DraftError:
                pass  # the reader says what is wrong when the draft is linted
            if data is not None and self.cache is not None:
                key = entry_key(self._run(cfg), display, data)
                hit = self.cache.get(key)
                if hit is not None:
                    self.hits += 1
                    if self.need_text:  # the source lines under each finding on a terminal
                        try:
                            hit.text = self._read(path, display, data, cfg.max_file_size).text
                        except DraftError:
                            pass
                    results[i] = hit
                    if progress:
                        progress(1)
                    continue
            misses.append((i, cfg, path, display, data, key))
        self.misses += len(misses)
        if jobs is None:
            jobs = parallel.auto_jobs(len(misses))
        if jobs > 1 and len(misses) > parallel.BATCH:
            self._lint_in_workers(misses, results, jobs, progress)
        else:
            for start in range(0, len(misses), parallel.BATCH):
                self._lint_batch(misses[start:start + parallel.BATCH], results, progress)
        return results

    def _finish(self, results, i, key, report, progress):
        if key is not None:
            self.cache.put(key, report)
        if not self.need_text:
            report.text = None  # reports of a big run should not hold every draft
        results[i] = report
        if progress:
            progress(1)

    def _lint_batch(self, batch, results, progress):
        by_cfg: dict = {}
        for i, cfg, path, display, data, key in batch:
            try:
                draft = self._read(path, display, data, cfg.max_file_size)
            except DraftError as exc:
                self._finish(results, i, key, FileReport(path=display, error=Problem.of(exc)), progress)
                continue
            by_cfg.setdefault(id(cfg), (cfg, []))[1].append((i, key, draft))
        for cfg, entries in by_cfg.values():
            reports = self.session.linter_for(cfg).lint_drafts([d for _, _, d in entries])
            for (i, key, _), report in zip(entries, reports):
                self._finish(results, i, key, report, progress)

    def _lint_in_workers(self, misses, results, jobs, progress):
        from followup_lint.run import workers as parallel

        chunks, where = [], []
        for start in range(0, len(misses), parallel.BATCH):
            part = misses[start:start + parallel.BATCH]
            chunk = []
            for i, cfg, path, display, data, key in part:
                if data is None:  # unreadable or too big: let the reader say why, here
                    try:
                        self._read(path, display, data, cfg.max_file_size)
                    except DraftError as exc:
                        self._finish(results, i, key, FileReport(path=display, error=Problem.of(exc)), progress)
                        continue
                chunk.append((cfg.path, display, data, format_for(os.fspath(path)), cfg.max_file_size))
                where.append((i, key))
            chunks.append(chunk)
        slots = iter(where)
        self.stages = {}
        for reports, stages in parallel.run_workers(chunks, jobs, self.session.recipe()):
            for k, v in stages.items():
                self.stages[k] = self.stages.get(k, 0.0) + v
            for report in reports:
                i, key = next(slots)
                self._finish(results, i, key, report, progress)

    @staticmethod
    def _read(path, display, data, max_bytes):
        # The bytes that were hashed are the bytes linted, even if the file changes meanwhile.
        if data is None:
            return read_path(path, display=display, max_bytes=max_bytes)
        return read_bytes(data, display, format=format_for(os.fspath(path)), max_bytes=max_bytes)
