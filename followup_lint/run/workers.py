"""Linting many drafts: in batches (one nlp.pipe call per batch) and, for large runs,
in worker processes. Results come back in input order.

Where processes can be forked (Linux), the run's own process builds the Linter (and loads
spaCy) once, forks `jobs - 1` workers that inherit it, and lints its share beside them:
`jobs` processes lint, spaCy is loaded once, and the model's memory is shared copy-on-write.
Elsewhere each worker builds its session from the run's recipe (a spawned process).
"""

from __future__ import annotations

import os
from collections import deque

# Below this many drafts to lint, one process. With forked workers a second process costs
# a fork and the pickling of reports, not another spaCy load; bench/run.py's auto-vs-j1 rows
# measure it (docs/speed.md).
PARALLEL_MIN_DRAFTS = 64
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
            by_config.setdefault(config_path, []).append(
                (i, read_bytes(data, display, format=fmt, max_bytes=max_bytes))
            )
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


def _spawn_init(recipe: dict, storage: dict | None = None):
    # Each worker is one of `jobs` processes on as many cores: BLAS threads would only
    # compete with the other workers.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    _init(recipe, storage)


def run_workers(chunks, jobs: int, recipe: dict, session=None):
    """Yield (reports, stages) per chunk, in order. With `session` and fork available, this
    process lints beside jobs - 1 forked workers that inherit its Linter; otherwise each of
    `jobs` workers builds its session from `recipe` (Session.recipe())."""
    import multiprocessing

    if session is not None and "fork" in multiprocessing.get_all_start_methods():
        yield from _forked(chunks, jobs, session, multiprocessing.get_context("fork"))
        return
    from followup_lint.storage import cachedir

    with multiprocessing.get_context().Pool(
        jobs, initializer=_spawn_init, initargs=(recipe, cachedir.choice())
    ) as pool:
        yield from pool.imap(_work, chunks)


def _forked(chunks, jobs: int, session, context):
    # Build every Linter the chunks need before forking, so the workers inherit them.
    for config_path in dict.fromkeys(item[0] for chunk in chunks for item in chunk):
        session.linter_for(session.load_config(config_path)).warm()
    _state["session"] = session
    done: dict = {}
    todo = deque(range(len(chunks)))
    inflight: dict = {}
    out = 0
    with context.Pool(jobs - 1) as pool:
        while todo or inflight:
            # Workers take chunks from the front, this process from the back: they meet in
            # the middle whatever each one's speed.
            while todo and len(inflight) < 2 * (jobs - 1):
                i = todo.popleft()
                inflight[i] = pool.apply_async(_work, (chunks[i],))
            if todo:
                i = todo.pop()
                done[i] = _work(chunks[i])
            else:
                i = min(inflight)
                done[i] = inflight.pop(i).get()
            for i in [i for i, r in inflight.items() if r.ready()]:
                done[i] = inflight.pop(i).get()
            while out in done:
                yield done.pop(out)
                out += 1
