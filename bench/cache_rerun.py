"""Benchmark: the first run over 200 drafts against a re-run with a warm results cache.

    python bench/cache_rerun.py [N]

Copies the corpus drafts (made distinct where they repeat) into a temporary folder, runs
the installed `followup-lint` there with a fresh cache, then again, and prints both wall
times and their ratio. Judge the ratio: absolute times drift from day to day.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(n: int = 200) -> None:
    sources = sorted(p for p in (ROOT / "corpus").iterdir() if p.suffix in (".txt", ".md", ".eml") and p.stem.islower())
    exe = Path(sys.executable).with_name("followup-lint")
    with tempfile.TemporaryDirectory() as tmp:
        drafts = Path(tmp) / "drafts"
        drafts.mkdir()
        for i in range(n):
            src = sources[i % len(sources)]
            dest = drafts / f"{i:03d}-{src.name}"
            shutil.copy(src, dest)
            if i >= len(sources) and src.suffix != ".eml":  # a repeat: make its bytes differ
                dest.write_text(dest.read_text(encoding="utf-8") + f"\nP.S. Draft {i}.\n", encoding="utf-8")
        env = {**os.environ, "FOLLOWUP_LINT_CACHE_DIR": str(Path(tmp) / "cache")}
        times = []
        for label in ("first run (empty cache)", "re-run (warm cache)"):
            start = time.perf_counter()
            proc = subprocess.run([str(exe), "--quiet", "drafts"], cwd=tmp, env=env, capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            assert proc.returncode in (0, 1), proc.stderr
            print(f"{label:<26} {times[-1]:6.2f} s")
        print(f"{len(list(drafts.iterdir()))} drafts; warm re-run is {times[0] / times[1]:.1f}x faster")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
