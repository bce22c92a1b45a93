"""Linting many drafts: in batches (one nlp.pipe call per batch) and, for large runs,
in worker processes. Each worker loads the pipeline once; results come back in input order.
"""

from __future__ import annotations

import os

# Below this many drafts to lint, starting workers (each loads spaCy, 1-2 s and ~250 MB)
# costs more than it saves.
PARALLEL_MIN_DRAFTS = 150
BATCH = 32

_state: dict = {}


def auto_jobs(n_drafts: int) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores if n_drafts >= PARALLEL_MIN_DRAFTS and cores > 1 else 1


def _init(recipe: dict, storage: dict | None = None):
    from followup_lint.run.session import Session
    from followup_lint.storage import cachedir

    if storage is not None:  # --cache-dir / --no-cache reach the syllable table in a worker too
        cachedir.configure(**storage)
    _state["session"] = Session(**recipe)


def _linter(config_path):
    session = _state["session"]
    return session.linter_for(session.load_config(config_path))


def _work(chunk):
    """chunk: [(config_path, display, data, fmt, max_bytes)] -> (reports, stage seconds)."""
    from followup_lint.model.draft import DraftError
    from followup_lint.model.findings import FileReport, Problem
    from followup_lint.read.draft import read_bytes

    out, by_config = [None] * len(chunk), {}
    for i, (config_path, display, data, fmt, max_bytes) in enumerate(chunk):
        try:
            by_config.setdefault(config_path, []).append((i, read_bytes(data, display, format=fmt, max_bytes=max_bytes)))
        except DraftError as exc:
            out[i] = FileReport(path=display, error=Problem.of(exc))
    stages: dict = {}
    for config_path, items in by_config.items():
        linter = _linter(config_path)
        for (i, _), report in zip(items, linter.lint_drafts([d for _, d in items])):
            report.text = None  # not shown by a worker's caller; keeps the pipe small
            out[i] = report
        for k, v in linter.stages.items():
            stages[k] = stages.get(k, 0.0) + v
        linter.stages.clear()
    return out, stages


def run_workers(chunks, jobs: int, recipe: dict):
    """Yield (reports, stages) per chunk, in order; each worker builds its session from
    `recipe` (Session.recipe())."""
    import multiprocessing

    from followup_lint.storage import cachedir

    with multiprocessing.get_context().Pool(jobs, initializer=_init, initargs=(recipe, cachedir.choice())) as pool:
        yield from pool.imap(_work, chunks)
