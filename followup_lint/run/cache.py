"""The results cache: a draft linted again with nothing changed is read back, not parsed.

In a pre-commit hook or a CI job most drafts did not change since the last run. An entry
is keyed by everything a report depends on: the file's bytes and path, the tool's version
and code, the spaCy and model versions, every rule in effect (built-in and packs, with
config overrides applied), the effective config, the context flags, and today's date when
an enabled timing rule reads it. A full hit never constructs a Linter, so spaCy is not even
imported.

The cache holds findings that quote private drafts: its folder is created readable by the
user only (0700, entries 0600) and carries a `.gitignore` of `*`, so a cache folder inside
a repository is never committed. storage/private.py decides whether a folder is ours and
safe; every entry read back is validated as untrusted input.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import time
from array import array
from dataclasses import asdict, fields
from pathlib import Path

from followup_lint.model.draft import DraftError
from followup_lint.model.findings import SEVERITY_ORDER, FileReport, Finding, Fix, Problem

# The fingerprints a key is made of (re-exported: code, environment, rules).
from followup_lint.run.fingerprints import (  # noqa: F401
    _digest,
    code_fingerprint,
    entry_key,
    environment_fingerprint,
    rules_fingerprint,
)

FORMAT = "1"  # bump when the entry layout changes


MAX_AGE = 30 * 24 * 3600  # entries unused this long are removed


PRUNE_EVERY = 24 * 3600


ENTRY = re.compile(r"[0-9a-f]{64}\.json")  # an entry's name (its key); the only names pruned
KEY = re.compile(r"[0-9A-Za-z_-]{1,128}")  # get/put take no other key: a plain file name, always
STALE_TMP = re.compile(r"\.tmp-[0-9a-f]{16}")  # a write cut short (storage.private's temporary names)
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # an entry holds one report; more is not ours


def config_fingerprint(cfg) -> str:
    data = {f.name: getattr(cfg, f.name) for f in fields(cfg) if not f.name.startswith("_")}
    data["root"] = str(Path(cfg.root).resolve())
    return _digest(data)


def run_fingerprint(
    cfg, rules, overrides: dict | None, today: dt.date | None = None, settings=None, rules_fp: str | None = None
) -> str:
    """Everything but the draft itself that one config's reports depend on; `settings`: the
    rule set's ProjectSettings (the word list beside the config is read into them);
    `rules_fp`: the rules' fingerprint when a stored build (stored.py) computed it."""
    fixed = fixed_run_fingerprint(cfg, rules, overrides, settings, rules_fp)
    return dated_run(fixed, today, any(r.type == "timing" for r in rules))


def fixed_run_fingerprint(cfg, rules, overrides: dict | None, settings=None, rules_fp: str | None = None) -> str:
    """run_fingerprint's part that holds from day to day. A stored build keeps it (stored.py's
    hit record) so a cache hit (cli/hit.py) finds its entry without the rule set."""
    parts = {
        "settings": asdict(settings) if settings is not None else None,
        "format": FORMAT,
        "code": code_fingerprint(),
        "environment": environment_fingerprint(),
        "rules": rules_fingerprint(rules, rules_fp),
        "config": config_fingerprint(cfg),
        "context": {k: v for k, v in (overrides or {}).items() if v is not None},
    }
    from followup_lint.language import opinion

    if opinion.used_by(rules):  # the learned opinion's weights, by hash (language/opinion.py)
        parts["opinion"] = opinion.version()
    return _digest(parts)


def dated_run(fixed: str, today: dt.date | None, timing: bool) -> str:
    """The run fingerprint from its fixed part and the day: a timing rule measures from
    today unless the draft or a flag gives the date."""
    if timing:
        today = today or dt.date.today()
    return _digest({"fixed": fixed, "today": today})


def _dump(report: FileReport) -> dict:
    out = {f.name: getattr(report, f.name) for f in fields(report) if f.name not in ("text", "findings")}
    out["error"] = None if report.error is None else str(report.error)  # the text the user saw
    out["findings"] = [asdict(f) for f in report.findings]
    return out


def _load(data) -> FileReport | None:
    """The report an entry holds, or None unless every field has the type and range a report
    of ours has: an entry is untrusted input."""
    if not isinstance(data, dict) or set(data) - _REPORT_FIELDS or not isinstance(data.get("path"), str):
        return None
    findings = data.get("findings")
    if not isinstance(findings, list) or not all(_valid_finding(f) for f in findings):
        return None
    for name, kinds in _REPORT_TYPES.items():
        if name in data and not isinstance(data[name], kinds):
            return None
    for name in ("notes", "kind_evidence"):
        if not all(isinstance(x, str) for x in data.get(name, [])):
            return None
    score = data.get("score")
    if score is not None and (isinstance(score, bool) or not 0 <= score <= 100):
        return None
    try:
        error = data.get("error")
        return FileReport(
            **{
                **data,
                "error": None if error is None else Problem.parse(error, data["path"]),
                "findings": [Finding(**dict(f, fix=f.get("fix") and Fix.from_dict(f["fix"]))) for f in findings],
            }
        )
    except (TypeError, KeyError):
        return None


_REPORT_FIELDS = {f.name for f in fields(FileReport)} - {"text"}
_REPORT_TYPES = {
    "kind": str,
    "kind_source": str,
    "score": (int, type(None)),
    "verdict": (str, type(None)),
    "notes": list,
    "error": (str, type(None)),
    "kind_evidence": list,
    "send_date": (str, type(None)),
}
_FINDING_FIELDS = {f.name for f in fields(Finding)}
_FINDING_TYPES = {
    "rule": str,
    "severity": str,
    "weight": (int, float),
    "message": str,
    "suggestion": str,
    "start": int,
    "end": int,
    "line": int,
    "column": int,
    "end_line": int,
    "end_column": int,
    "region": (str, type(None)),
    "decoded": bool,
    "title": str,
    "fix": (dict, type(None)),
    "source_rule": (str, type(None)),
}
_EDIT_TYPES = {
    "start": int,
    "end": int,
    "line": int,
    "column": int,
    "end_line": int,
    "end_column": int,
    "replacement": str,
}


def _valid_finding(f) -> bool:
    if not isinstance(f, dict) or set(f) - _FINDING_FIELDS or not {"rule", "severity", "weight", "message"} <= set(f):
        return False
    for name, kinds in _FINDING_TYPES.items():
        if name in f and (not isinstance(f[name], kinds) or (kinds is int and isinstance(f[name], bool))):
            return False
    if f["severity"] not in SEVERITY_ORDER or not all(f.get(n, 1) >= 0 for n in ("start", "end", "line", "column")):
        return False
    fix = f.get("fix")
    if fix is not None:
        edits = fix.get("edits")
        if (
            not isinstance(fix.get("title"), str)
            or not isinstance(fix.get("safe"), bool)
            or set(fix) - {"title", "safe", "edits"}
            or not isinstance(edits, list)
        ):
            return False
        for e in edits:
            if (
                not isinstance(e, dict)
                or set(e) != set(_EDIT_TYPES)
                or not all(isinstance(e[k], t) and not isinstance(e[k], bool) for k, t in _EDIT_TYPES.items())
            ):
                return False
    return True


class Cache:
    """Entries are JSON files named by their key under `directory/results/`, in a folder of
    ours (storage/private.py says what that takes). Nothing outside `results/` entries and
    the markers is ever read, written or deleted; a folder that is not ours is refused, one
    that others can write in is not used."""

    def __init__(self, directory: Path, warn=None):
        self.directory = Path(directory)
        self.results = self.directory / "results"
        self.warn = warn
        self._folder = None  # storage.private.PrivateFolder of results/, once opened
        self._ready = False
        self._broken = False

    def open(self) -> None:
        """Open (creating it) the folder now. Raises storage.private.NotOurs for a folder
        that holds other things; any other problem warns once and runs without a cache."""
        self._prepare()

    def get(self, key: str) -> FileReport | None:
        if not (isinstance(key, str) and KEY.fullmatch(key)) or self._broken or not self._prepare():
            return None
        raw = self._folder.read(f"{key}.json", MAX_ENTRY_BYTES)
        if raw is None:
            return None
        try:
            data = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError):  # torn, or not JSON
            return None
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        report = _load(data.get("report"))
        if report is not None:
            self._folder.touch(f"{key}.json")  # used entries are not pruned
        return report

    def put(self, key: str, report: FileReport) -> None:
        if not (isinstance(key, str) and KEY.fullmatch(key)) or self._broken or not self._prepare():
            return
        text = json.dumps({"key": key, "report": _dump(report)}, ensure_ascii=False, default=str)
        try:
            self._folder.write(f"{key}.json", text.encode("utf-8", "surrogatepass"))
        except OSError as exc:
            self._give_up(exc)

    def _prepare(self) -> bool:
        from followup_lint.storage.private import NotOurs, Refused, open_private

        if self._ready:
            return True
        if self._broken:
            return False
        try:
            top = open_private(self.directory)
            try:
                self._folder = top.sub("results")
                self._prune(top)
            finally:
                top.close()
        except NotOurs:
            self._broken = True
            raise
        except Refused as exc:
            self._broken = True
            if self.warn:
                self.warn(f"{exc}; results are not cached (--cache-dir DIR picks another folder, --no-cache none)")
            return False
        except OSError as exc:
            self._give_up(exc)
            return False
        self._ready = True
        return True

    def _prune(self, top) -> None:
        now = time.time()
        last = top.mtime(".pruned")
        if last is not None and now - last < PRUNE_EVERY:
            return
        for name, st in list(self._folder.files()):
            if (ENTRY.fullmatch(name) or STALE_TMP.fullmatch(name)) and now - st.st_mtime > MAX_AGE:
                self._folder.remove(name)
        if last is None:
            top.create(".pruned", b"")
        top.touch(".pruned")

    def _give_up(self, exc: OSError) -> None:
        self._broken = True
        if self.warn:
            self.warn(
                f"{self.directory}: results are not cached ({exc.strerror or exc}); "
                "pass --cache-dir DIR or set FOLLOWUP_LINT_CACHE_DIR to a writable folder, or --no-cache"
            )


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
            fixed = fixed_run_fingerprint(
                cfg, ruleset.rules, self.session.overrides, ruleset.settings, getattr(ruleset, "fingerprint", None)
            )
            timing = any(r.type == "timing" for r in ruleset.rules)
            self._runs[id(cfg)] = dated_run(fixed, self.session.today, timing)
            self.session.note_run(cfg, fixed, timing)  # what the next hit needs (cli/hit.py)
        return self._runs[id(cfg)]

    def lint_many(self, items, jobs: int | None = 1, progress=None) -> list[FileReport]:
        """Lint [(cfg, path, display)]: their reports in input order (iter_many, as a list)."""
        return list(self.iter_many(items, jobs, progress))

    def iter_many(self, items, jobs: int | None = 1, progress=None):
        """Lint [(cfg, path, display)] and yield their reports in input order, each as soon
        as it and those before it are done, keeping none after it is yielded (a run over
        10,000 drafts streams them to its report): cache hits first, then the misses in
        batches (one nlp.pipe call each) or, with jobs > 1, in worker processes."""
        from followup_lint.read.files import read_file_bytes
        from followup_lint.run import workers as parallel

        results: list = [None] * len(items)
        # The misses, by their index in `items`: read again when linted, not kept meanwhile,
        # and 8 bytes each however long the run.
        misses = array("q")
        for i, (cfg, path, display) in enumerate(items):
            data = None
            if self.cache is not None:
                try:  # bounded, and regular files only: /dev/zero has st_size 0 and never ends
                    data = read_file_bytes(os.fsdecode(os.fspath(path)), display, cfg.max_file_size)
                except DraftError:
                    pass  # the reader says what is wrong when the draft is linted
            if data is not None:
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
            misses.append(i)
        self.misses += len(misses)
        if jobs is None:
            if len(misses) >= parallel.PARALLEL_MIN_DRAFTS:
                # Load the model first: auto then judges how busy the cores are over a
                # second or more of this run, not over its first few imports.
                for cfg in {id(items[i][0]): items[i][0] for i in misses}.values():
                    self.session.linter_for(cfg)
            jobs = parallel.auto_jobs(len(misses))
        if jobs > 1 and len(misses) > parallel.BATCH:
            steps = self._lint_in_workers(items, misses, results, jobs, progress)
        else:
            steps = self._lint_batches(items, misses, results, progress)
        done = 0
        for _ in itertools.chain([None], steps):
            while done < len(results) and results[done] is not None:
                yield results[done]
                results[done] = None
                done += 1

    def _finish(self, results, i, key, report, progress):
        if key is not None:
            self.cache.put(key, report)
        if not self.need_text:
            report.text = None  # reports of a big run should not hold every draft
        results[i] = report
        if progress:
            progress(1)

    def _chunk(self, items, indices) -> list:
        """The chunk (run/workers.py lint_chunk) of these items: paths, not drafts, so no draft
        is held here while others are linted."""
        return [
            (
                cfg.path,
                display,
                os.fsdecode(os.fspath(path)),
                self._run(cfg) if self.cache is not None else None,
                cfg.max_file_size,
            )
            for cfg, path, display in (items[i] for i in indices)
        ]

    def _lint_batches(self, items, misses, results, progress):
        """Lint the misses a batch at a time (one nlp.pipe call each), yielding after each."""
        from followup_lint.run import workers as parallel

        session = self.session
        for start in range(0, len(misses), parallel.BATCH):
            part = misses[start : start + parallel.BATCH]
            reports, keys = parallel.lint_chunk(
                self._chunk(items, part), lambda config_path: session.linter_for(session.load_config(config_path))
            )
            for i, report, key in zip(part, reports, keys):
                self._finish(results, i, key, report, progress)
            yield

    def _lint_in_workers(self, items, misses, results, jobs, progress):
        from followup_lint.run import workers as parallel

        starts = range(0, len(misses), parallel.BATCH)
        chunks = _Chunks(lambda start: self._chunk(items, misses[start : start + parallel.BATCH]), starts)
        configs = {id(items[i][0]): items[i][0].path for i in misses}.values()
        slots = iter(misses)
        self.stages = {}
        for reports, keys, stages in parallel.run_workers(chunks, jobs, self.session.recipe(), self.session, configs):
            for k, v in stages.items():
                self.stages[k] = self.stages.get(k, 0.0) + v
            for report, key in zip(reports, keys):
                self._finish(results, next(slots), key, report, progress)
            yield

    @staticmethod
    def _read(path, display, data, max_bytes):
        from followup_lint.read.draft import format_for, read_bytes, read_path

        # The bytes that were hashed are the bytes linted, even if the file changes meanwhile.
        if data is None:
            return read_path(path, display=display, max_bytes=max_bytes)
        return read_bytes(data, display, format=format_for(os.fspath(path)), max_bytes=max_bytes)


class _Chunks:
    """The run's chunks as a sequence whose items are made when asked for (`make(start)`):
    the worker pool hands out a few at a time, so a run of 10,000 drafts need not hold
    every chunk's tuples from the start."""

    def __init__(self, make, starts: range):
        self.make, self.starts = make, starts

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i):
        return self.make(self.starts[i])

    def __iter__(self):
        return map(self.make, self.starts)
