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
# measure it (bench/results.md).
PARALLEL_MIN_DRAFTS = 64
BATCH = 32
# `--jobs` auto adds a process for each core that is free, counting a core as free when
# at most this much of it is busy with other processes' work. A worker on a core that
# another process keeps busy gets a share of it, while the run still pays the worker's fork,
# its copy-on-write faults and the pickling of its reports, and the two halves of the work
# finish apart: on the shared 2-core machine of bench/results.md two processes beside one
# busy neighbour took longer than one (auto 1.13x and 1.16x of -j 1 at 300 and 1,000
# drafts), as `make -l` knows; on a quiet one it took 0.55x. So: a further process only
# for a core that is at least half idle (a worker that gets half a core still pays for
# itself: the workers and this process take chunks from either end and meet where they
# meet).
BUSY_TOLERANCE = 0.5
# The shortest look at the machine that says how busy it is now (clock ticks are 10 ms).
MIN_WINDOW = 0.3

_state: dict = {}
_mark: tuple | None = None  # (time, busy CPU seconds of the usable cores, our CPU seconds)


def _usable_cores() -> set | None:
    return os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None


def _cpu_sample(cpus) -> tuple | None:
    """(monotonic time, CPU seconds the cores in `cpus` have been busy, CPU seconds this
    process has used), from /proc/stat (Linux); None elsewhere."""
    import time

    try:
        with open("/proc/stat", "rb") as fh:
            lines = fh.read().splitlines()
        tick = os.sysconf("SC_CLK_TCK")
        busy, seen = 0, 0
        for line in lines:
            if line[:3] == b"cpu" and line[3:4].isdigit():
                name, *values = line.split()
                if int(name[3:]) in cpus:
                    v = [int(x) for x in values[:8]]  # user nice system idle iowait irq softirq steal
                    busy += sum(v) - v[3] - v[4]
                    seen += 1
    except (OSError, ValueError, IndexError, AttributeError):
        return None
    if not cpus or seen != len(cpus):
        return None
    used = os.times()
    return time.monotonic(), busy / tick, used.user + used.system


def mark_load() -> None:
    """Note how busy the usable cores are (the CLI calls this as it starts), so that
    `--jobs` auto can tell how much of them other processes used meanwhile."""
    global _mark
    cpus = _usable_cores()
    _mark = _cpu_sample(cpus) if cpus else None


def busy_elsewhere(cores: int) -> float:
    """How many of the usable cores other processes keep busy now: measured over the time
    since mark_load() (this process's own CPU time taken out) when that is long enough,
    else the last minute's load average (which also counts this process and lags)."""
    cpus = _usable_cores()
    now = _cpu_sample(cpus) if cpus and _mark else None
    if now is not None and now[0] - _mark[0] >= MIN_WINDOW:
        window = now[0] - _mark[0]
        others = (now[1] - _mark[1]) - (now[2] - _mark[2])
        return min(max(others / window, 0.0), float(cores))
    try:
        return min(os.getloadavg()[0], float(cores))
    except (OSError, AttributeError):
        return 0.0


def auto_jobs(n_drafts: int, busy: float | None = None) -> int:
    """Processes for `--jobs` auto: one below PARALLEL_MIN_DRAFTS drafts or on one usable
    core, else this process plus one per further core that is (nearly) free."""
    cpus = _usable_cores()
    cores = len(cpus) if cpus is not None else (os.cpu_count() or 1)
    if n_drafts < PARALLEL_MIN_DRAFTS or cores <= 1:
        return 1
    if busy is None:
        busy = busy_elsewhere(cores)
    jobs = max(1, min(cores, int(cores - busy + BUSY_TOLERANCE)))
    _state["auto"] = (jobs, cores, busy)  # FOLLOWUP_LINT_STAGES reports the choice
    return jobs


def _init(recipe: dict, storage: dict | None = None):
    from followup_lint.run.session import Session
    from followup_lint.storage import cachedir

    if storage is not None:  # --cache-dir / --no-cache reach the syllable table in a worker too
        cachedir.configure(**storage)
    _state["session"] = Session(**recipe)


def _linter(config_path):
    session = _state["session"]
    return session.linter_for(session.load_config(config_path))


def lint_chunk(chunk, linter_for):
    """chunk: [(config path, display, file path, run fingerprint or None, max_bytes)] ->
    (reports, their cache keys (None without a run fingerprint or a readable file)), with
    linter_for(config path) -> Linter. Each draft is read here, so its key is made of the
    bytes linted: in a worker, and in the run's own process (run/cache.py)."""
    from followup_lint.model.draft import DraftError
    from followup_lint.model.findings import FileReport, Problem
    from followup_lint.read.draft import read_path_and_bytes
    from followup_lint.run import memory
    from followup_lint.run.fingerprints import entry_key

    out, keys, by_config = [None] * len(chunk), [None] * len(chunk), {}
    for i, (config_path, display, fs_path, run, max_bytes) in enumerate(chunk):
        data, draft = read_path_and_bytes(fs_path, display, max_bytes)
        keys[i] = entry_key(run, display, data) if run is not None and data is not None else None
        if isinstance(draft, DraftError):
            out[i] = FileReport(path=display, error=Problem.of(draft))
            continue
        by_config.setdefault(config_path, []).append((i, draft))
    for config_path, items in by_config.items():
        for (i, _), report in zip(items, linter_for(config_path).lint_drafts([d for _, d in items])):
            out[i] = report
    memory.drafts_linted(len(chunk))
    return out, keys


def _work(chunk):
    """lint_chunk in a worker (or this process beside them): (reports, keys, the stage
    seconds of the Linters it used)."""
    used: dict = {}

    def linter_for(config_path):
        used[config_path] = linter = _linter(config_path)
        return linter

    reports, keys = lint_chunk(chunk, linter_for)
    for report in reports:
        report.text = None  # not shown by a worker's caller; keeps the pipe small
    stages: dict = {}
    for linter in used.values():
        for k, v in linter.stages.items():
            stages[k] = stages.get(k, 0.0) + v
        linter.stages.clear()
    return reports, keys, stages


def _spawn_init(recipe: dict, storage: dict | None = None):
    # Each worker is one of `jobs` processes on as many cores: BLAS threads would only
    # compete with the other workers.
    from followup_lint.language.pipeline import one_blas_thread

    one_blas_thread()
    _init(recipe, storage)


def run_workers(chunks, jobs: int, recipe: dict, session=None, configs=()):
    """Yield (reports, keys, stages) per chunk (_work's answer), in order. `chunks`: a
    sequence (its items may be made when indexed). With `session` and fork available, this
    process lints beside jobs - 1 forked workers that inherit its Linters, built first for
    `configs` (the chunks' config paths); otherwise each of `jobs` workers builds its
    session from `recipe` (Session.recipe())."""
    import multiprocessing

    if session is not None and "fork" in multiprocessing.get_all_start_methods():
        yield from _forked(chunks, jobs, session, configs, multiprocessing.get_context("fork"))
        return
    from followup_lint.storage import cachedir

    with multiprocessing.get_context().Pool(
        jobs, initializer=_spawn_init, initargs=(recipe, cachedir.choice())
    ) as pool:
        yield from pool.imap(_work, chunks)


def _forked(chunks, jobs: int, session, configs, context):
    # Build every Linter the chunks need before forking, so the workers inherit them.
    for config_path in configs:
        session.linter_for(session.load_config(config_path)).warm()
    _state["session"] = session
    todo = deque(range(len(chunks)))
    inflight: dict = {}
    out = 0
    done: dict = {}  # the workers' results, which arrive about in order
    with context.Pool(jobs - 1) as pool, _Parked() as parked:
        while todo or inflight:
            # Workers take chunks from the front, this process from the back: they meet in
            # the middle whatever each one's speed. What this process lints waits for its
            # turn to be yielded, parked outside memory (_Parked).
            while todo and len(inflight) < 2 * (jobs - 1):
                i = todo.popleft()
                inflight[i] = pool.apply_async(_work, (chunks[i],))
            if todo:
                i = todo.pop()
                parked.put(i, _work(chunks[i]))
            else:
                i = min(inflight)
                done[i] = inflight.pop(i).get()
            for i in [i for i, r in inflight.items() if r.ready()]:
                done[i] = inflight.pop(i).get()
            while out in done or out in parked:
                yield done.pop(out) if out in done else parked.take(out)
                out += 1


class _Parked:
    """Chunk results that wait for their turn, pickled into a spooled temporary file (in
    memory up to 1 MB, then an unnamed file deleted as it is made): this process lints
    from the back of the run, so without this it held the reports of half the run until
    the end (+60 MB at 10,000 drafts)."""

    MEMORY = 1024 * 1024

    def __enter__(self):
        import tempfile

        self.file = tempfile.SpooledTemporaryFile(self.MEMORY)
        self.where: dict = {}  # chunk index -> (offset, length)
        return self

    def __exit__(self, *exc):
        self.file.close()
        return False

    def __contains__(self, i) -> bool:
        return i in self.where

    def put(self, i, result) -> None:
        import pickle

        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        self.file.seek(0, 2)
        self.where[i] = (self.file.tell(), len(data))
        self.file.write(data)

    def take(self, i):
        import pickle

        offset, length = self.where.pop(i)
        self.file.seek(offset)
        return pickle.loads(self.file.read(length))
