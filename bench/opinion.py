#!/usr/bin/env python3
"""What the learned second opinion (language/opinion.py) costs, as ratios against the bare
parse (issue 13, the speed issue's budget):

  load       reading data/opinion.json in a fresh process (the first `opinion:` pattern to
             meet a sentence does it once) vs loading the spaCy model in a fresh process
  per draft  rating every sentence of a draft (n-gram lookups and the token shares),
             after the parse, vs parsing the same drafts with bare `nlp.pipe`
  cache key  hashing the weights for the results-cache key (each run with a rule that
             uses the model; a cache hit pays this and nothing else)

    python bench/opinion.py                 # the corpus drafts, 5 repeats
    python bench/opinion.py --out bench/results-opinion.md
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _fresh(code: str) -> float:
    """Seconds a fresh Python spends on `code` (timed inside it, imports of the code included)."""
    out = subprocess.run(
        [sys.executable, "-c", f"import time; t = time.perf_counter()\n{code}\nprint(time.perf_counter() - t)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()

    from followup_lint.language import opinion
    from followup_lint.language import pipeline as nlp_mod
    from followup_lint.language.parsed import ParsedDraft
    from followup_lint.read.draft import read_path

    load_ours = statistics.median(
        _fresh("from followup_lint.language import opinion; opinion.load()") for _ in range(args.repeats)
    )
    load_model = statistics.median(
        _fresh("from followup_lint.language import pipeline; pipeline.load()") for _ in range(args.repeats)
    )

    nlp = nlp_mod.load()
    paths = sorted(
        p for p in (ROOT / "corpus").iterdir() if p.suffix in (".txt", ".md", ".eml") and p.name != "LABELS.md"
    )
    drafts = [read_path(p) for p in paths]
    texts = [d.text for d in drafts]
    opinion.load()
    parse_times, rate_times = [], []
    for _ in range(args.repeats):
        t = time.perf_counter()
        list(nlp.pipe(texts, batch_size=64))
        parse_times.append(time.perf_counter() - t)
        docs = [seg.doc for d in drafts for seg in ParsedDraft(d, nlp).segments(("subject", "body"))]
        for doc in docs:
            doc.user_data.pop("followup_lint_opinion", None)
        t = time.perf_counter()
        for doc in docs:
            opinion.rate(doc)
        rate_times.append(time.perf_counter() - t)
    parse, rate = statistics.median(parse_times), statistics.median(rate_times)

    hashes = []
    for _ in range(args.repeats):
        opinion.version.cache_clear()
        t = time.perf_counter()
        opinion.version()
        hashes.append(time.perf_counter() - t)
    size = (ROOT / "followup_lint" / opinion.RESOURCE).stat().st_size

    n = len(drafts)
    rows = [
        "| row | ours | floor | ratio |",
        "|---|---|---|---|",
        f"| opinion load (fresh process) | {load_ours * 1000:.0f} ms | spaCy model load {load_model * 1000:.0f} ms | {load_ours / load_model:.3f} |",
        f"| opinion per draft ({n} corpus drafts) | {rate / n * 1000:.2f} ms | bare parse {parse / n * 1000:.2f} ms | {rate / parse:.3f} |",
        f"| cache-key hash of the weights | {statistics.median(hashes) * 1000:.2f} ms | - | - |",
        f"| artefact size | {size / 1024:.0f} KiB | budget 5 MiB | {size / (5 * 1024 * 1024):.3f} |",
    ]
    text = "\n".join(rows)
    print(text)
    if args.out:
        args.out.write_text(
            "# The learned opinion's cost (bench/opinion.py)\n\n"
            "Medians of repeats on this machine; only the ratios compare across days.\n\n" + text + "\n",
            "utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
