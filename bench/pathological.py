#!/usr/bin/env python3
"""Bounded time and memory on every input (issue 14): pathological shapes beside ordinary
prose of the same byte count.

    pip install -e '.[bench]'                                  # psutil (peak RSS of the tree)
    python bench/pathological.py                               # 10 KB, 50 KB and 1 MB, 60 s timeout
    python bench/pathological.py --sizes 10K,50K               # skip the size limit
    python bench/pathological.py --sizes 10K,50K,1M --timeout-at-limit 15 --out bench/pathological-baseline.md
    python bench/pathological.py --shapes 'run-!,emoji' --sizes 10K

Each cell times `followup-lint --no-cache --quiet --exit-zero FILE` (a fresh process, the
model load included) with a timeout (default 60 s; a cell that hits it is TIMEOUT and its
process group is killed), and records the peak RSS of the largest process (wait4's
ru_maxrss, so it is right even for a killed run). Ordinary prose of the same byte count is
the corpus's .txt drafts concatenated (and, for the .eml shapes, that prose as the plain
text part of an .eml); the ratio column is shape time / prose time (target: <= 3x).

The prose scaling row times prose at 100 KB and at 1 MB (target: <= 12x) and gives the
peak RSS at 1 MB (target: under 1 GB).

A shape that timed out at one size is not run at the larger sizes (it is shown as
"skipped") unless --no-skip is given: the larger file can only take longer.
Times include the fixed start-up (2-3 s); judge ratios, not absolute seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FL = str(Path(sys.executable).parent / "followup-lint")
LIMIT = 1_000_000  # followup_lint.draft.DEFAULT_MAX_BYTES, the default max-file-size
MB = 1024 * 1024

HEAD = "Hi Dana,\n\nThank you"
TAIL = "\n\nBest regards,\nJo Rivera\n"


def fill(unit: str, size: int, head: str = HEAD, tail: str = TAIL) -> bytes:
    """head + unit repeated + tail, exactly `size` bytes (whole characters; padded with spaces)."""
    room = size - len(head.encode()) - len(tail.encode())
    ub = unit.encode()
    body = unit * max(0, room // len(ub))
    data = (head + body).encode()
    data += b" " * (size - len(data) - len(tail.encode()))
    return data + tail.encode()


def lines(make_line, size: int) -> bytes:
    out, n, i = [HEAD.encode() + b".\n"], len(HEAD) + 2, 0
    tail = TAIL.encode()
    while True:
        line = (make_line(i) + "\n").encode()
        if n + len(line) + len(tail) > size:
            break
        out.append(line)
        n += len(line)
        i += 1
    data = b"".join(out)
    return data + b" " * (size - len(data) - len(tail)) + tail


def prose_text(size: int) -> str:
    """Corpus .txt drafts concatenated (repeated as needed), exactly `size` bytes."""
    parts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    blob = "\n\n".join(parts)
    text = (blob + "\n\n") * (size // max(1, len(blob.encode())) + 1)
    data = text.encode()[:size]
    text = data.decode("utf-8", "ignore")
    return text + " " * (size - len(text.encode()))  # a cut multi-byte char becomes spaces (bytes, not characters)


def eml(body_part: bytes, ctype: str, size: int) -> bytes:
    head = (
        "From: Jo Rivera <jo@example.com>\nTo: Dana Lee <dana@example.com>\nSubject: Thank you\n"
        "Date: Wed, 18 Mar 2026 17:42:09 -0400\nMIME-Version: 1.0\n"
        f"Content-Type: {ctype}; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
    ).encode()
    room = size - len(head)
    return head + body_part[:room].ljust(room)


def eml_blockquote(size: int) -> bytes:
    inner = b"<p>Thank you for the interview. I am keen on the role.</p>"
    end = b"</body></html>\n"
    room = size - 400 - len(inner) - len(end)
    n = room // len(b"<blockquote></blockquote>")
    html = b"<html><body>" + b"<blockquote>" * n + inner + b"</blockquote>" * n + end
    return eml(html, "text/html", size)


def eml_prose(size: int) -> bytes:
    return eml(prose_text(size).encode(), "text/plain", size)


RUN = lambda ch: lambda size: fill(ch, size)  # noqa: E731

# name -> (builder(size) -> bytes, suffix, prose baseline: "txt" or "eml")
SHAPES = {
    **{
        f"run-{ch}": (RUN(ch), ".txt", "txt")
        for ch in ["!", "?", ")", '"', ",", "'", ":", ".", "-", "[", "@", "*", "#", "_"]
    },
    "emoji-run": (RUN("😀"), ".txt", "txt"),
    "emoji-zwj-run": (RUN("👩‍👩‍👧"), ".txt", "txt"),
    "cjk-no-spaces": (RUN("ありがとうございました"), ".txt", "txt"),
    "huge-word": (lambda size: fill("a", size, head="Hi Dana,\n\nThank you for the interview. "), ".txt", "txt"),
    "huge-url": (lambda size: fill("a/b", size, head="Hi Dana,\n\nThank you. See https://example.com/"), ".txt", "txt"),
    "alt-!?": (RUN("!?"), ".txt", "txt"),
    "alt-a!": (RUN("a!"), ".txt", "txt"),
    "alt-a.": (RUN("a."), ".txt", "txt"),
    "alt-(a)": (RUN("(a)"), ".txt", "txt"),
    "one-letter-words": (RUN(" a"), ".txt", "txt"),
    "space-run": (RUN(" "), ".txt", "txt"),
    "long-line-no-stop": (RUN(" thank you for the interview and the tour"), ".txt", "txt"),
    "long-line-prose": (
        lambda size: fill(
            " Thank you for the interview on Monday, I am keen on the role and happy to send references.", size
        ),
        ".txt",
        "txt",
    ),
    "many-short-lines": (lambda size: lines(lambda i: "ok", size), ".txt", "txt"),
    "many-paragraphs": (lambda size: lines(lambda i: "Thanks.\n", size), ".txt", "txt"),
    "deep-quote-lines": (lambda size: lines(lambda i: ">" * 60 + " thanks for your time", size), ".txt", "txt"),
    "quote-ladder": (lambda size: lines(lambda i: "> " * (i % 300) + "ok", size), ".txt", "txt"),
    "eml-nested-blockquote": (eml_blockquote, ".eml", "eml"),
}


def parse_size(s: str) -> int:
    s = s.strip().upper()
    if s in ("MAX", "LIMIT"):
        return LIMIT
    mult = {"K": 1000, "KB": 1000, "M": 1_000_000, "MB": 1_000_000}
    for suffix in ("KB", "MB", "K", "M"):
        if s.endswith(suffix):
            return int(float(s[: -len(suffix)]) * mult[suffix])
    return int(s)


def human(n: int) -> str:
    return "1 MB (limit)" if n == LIMIT else (f"{n / 1_000_000:g} MB" if n >= 1_000_000 else f"{n / 1000:g} KB")


def run(path: Path, timeout: float, env) -> dict:
    """{'wall', 'rss' (bytes), 'rc', 'timeout'} of one followup-lint run."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [FL, "--no-cache", "--quiet", "--exit-zero", str(path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    peak = [0]
    done = threading.Event()

    def sampler():  # the tree's largest process; wait4 covers what this misses
        try:
            import psutil

            root = psutil.Process(proc.pid)
        except Exception:
            return
        while not done.is_set():
            try:
                for p in [root, *root.children(recursive=True)]:
                    peak[0] = max(peak[0], p.memory_info().rss)
            except Exception:
                pass
            done.wait(0.1)

    threading.Thread(target=sampler, daemon=True).start()
    err = []
    reader = threading.Thread(target=lambda: err.append(proc.stderr.read()), daemon=True)
    reader.start()
    timed_out = False
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.02)
    wall = time.perf_counter() - start
    done.set()
    reader.join(1)
    proc.returncode = os.waitstatus_to_exitcode(status)
    rc = None if timed_out else proc.returncode
    return {
        "wall": wall,
        "rss": max(usage.ru_maxrss * 1024, peak[0]),
        "rc": rc,
        "timeout": timed_out,
        "stderr": (err[0] if err else b"").decode(errors="replace")[-300:],
    }


def fmt_time(r) -> str:
    if r is None:
        return "-"
    if r.get("skipped"):
        return "skipped"
    return f"TIMEOUT (>{r['wall']:.0f} s)" if r["timeout"] else f"{r['wall']:.1f} s"


def fmt_ratio(r, base) -> str:
    if r is None or base is None or r.get("skipped"):
        return "-"
    if base["timeout"]:
        return "prose TIMEOUT"
    ratio = r["wall"] / base["wall"]
    return f"≥ {ratio:.1f}×" if r["timeout"] else f"{ratio:.1f}×"


def fmt_rss(r) -> str:
    return "-" if r is None or r.get("skipped") else f"{r['rss'] / MB:.0f} MB" + (" (at kill)" if r["timeout"] else "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--sizes", default="10K,50K,1M", help="comma-separated byte counts: 10K, 50K, 1M (= the 1,000,000-byte limit)"
    )
    ap.add_argument("--shapes", default="", help="comma-separated shape names (default: all); see --list")
    ap.add_argument("--list", action="store_true", help="list the shapes and exit")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per run (default 60)")
    ap.add_argument(
        "--timeout-at-limit", type=float, default=None, help="seconds per run at the size limit (default: --timeout)"
    )
    ap.add_argument("--no-skip", action="store_true", help="run larger sizes of a shape even after it timed out")
    ap.add_argument("--no-scaling", action="store_true", help="skip the prose scaling row (100 KB vs 1 MB)")
    ap.add_argument("--out", default="", help="also write the markdown here")
    ap.add_argument("--json", dest="json_out")
    args = ap.parse_args()
    if args.list:
        print("\n".join(SHAPES))
        return
    sizes = sorted(parse_size(s) for s in args.sizes.split(",") if s.strip())
    names = [s.strip() for s in args.shapes.split(",") if s.strip()] or list(SHAPES)
    unknown = [n for n in names if n not in SHAPES]
    if unknown:
        raise SystemExit(f"unknown shape(s): {', '.join(unknown)} (see --list)")
    limit_timeout = args.timeout_at_limit or args.timeout

    def timeout_for(size):
        return limit_timeout if size >= LIMIT else args.timeout

    work = Path(tempfile.mkdtemp(prefix="fl-patho-"))
    env = {**os.environ, "NO_COLOR": "1", "FOLLOWUP_LINT_CACHE_DIR": str(work / "cache")}
    results = {}  # (shape, size) -> run
    prose = {}  # (kind, size) -> run

    def measure(label, data: bytes, suffix, timeout):
        path = work / f"{label}{suffix}"
        path.write_bytes(data)
        r = run(path, timeout, env)
        r["bytes"] = len(data)
        path.unlink()
        status = "TIMEOUT" if r["timeout"] else f"{r['wall']:.1f} s rc={r['rc']}"
        print(f"  {label:<34} {status:<16} {r['rss'] / MB:6.0f} MB", flush=True)
        if r["rc"] not in (0, 1, None):
            print(f"    stderr: {r['stderr'].strip()[-200:]}", flush=True)
        return r

    try:
        timed_out = set()
        for size in sizes:
            print(f"{human(size)} (timeout {timeout_for(size):g} s)", flush=True)
            for kind in sorted({SHAPES[n][2] for n in names}):
                data = prose_text(size).encode() if kind == "txt" else eml_prose(size)
                prose[(kind, size)] = measure(f"prose-{kind}-{size}", data, "." + kind, timeout_for(size))
            for name in names:
                build, suffix, _ = SHAPES[name]
                if name in timed_out and not args.no_skip:
                    results[(name, size)] = {"skipped": True}
                    continue
                r = measure(f"{name}-{size}", build(size), suffix, timeout_for(size))
                results[(name, size)] = r
                if r["timeout"]:
                    timed_out.add(name)

        scaling = None
        if not args.no_scaling:
            print("prose scaling (100 KB vs 1 MB)", flush=True)
            small = prose.get(("txt", 100_000)) or measure(
                "prose-txt-100000", prose_text(100_000).encode(), ".txt", args.timeout
            )
            big = prose.get(("txt", LIMIT)) or measure(
                f"prose-txt-{LIMIT}", prose_text(LIMIT).encode(), ".txt", limit_timeout
            )
            scaling = (small, big)

        import platform

        cols = sizes
        out = [
            f"Measured {time.strftime('%Y-%m-%d')} by `python bench/pathological.py {' '.join(sys.argv[1:])}` on "
            f"{len(os.sched_getaffinity(0))} usable cores (Python {platform.python_version()}, commit {git_head()}). "
            f"One run per cell; each cell is a fresh `followup-lint --no-cache` process (start-up included), "
            f"timeout {args.timeout:g} s"
            + (f" ({limit_timeout:g} s at the 1 MB limit)" if limit_timeout != args.timeout else "")
            + ". Ratio = time / time of ordinary prose of the same byte count (target ≤ 3×). "
            "RSS = peak of the largest process.",
            "",
        ]
        head = "| shape | " + " | ".join(f"{human(s)}: time | ratio | RSS" for s in cols) + " |"
        out += [head, "|---|" + "---|---|---|" * len(cols)]
        for kind in sorted({SHAPES[n][2] for n in names}):
            cells = []
            for s in cols:
                p = prose[(kind, s)]
                cells += [fmt_time(p), "1.0×", fmt_rss(p)]
            out.append(
                f"| **prose ({'corpus .txt drafts' if kind == 'txt' else 'the same, as an .eml'})** | "
                + " | ".join(cells)
                + " |"
            )
        for name in names:
            cells = []
            for s in cols:
                r = results[(name, s)]
                cells += [fmt_time(r), fmt_ratio(r, prose[(SHAPES[name][2], s)]), fmt_rss(r)]
            out.append(f"| `{name}` | " + " | ".join(cells) + " |")
        if scaling:
            small, big = scaling
            if small["timeout"]:
                ratio = "100 KB TIMEOUT"
            else:
                ratio = (
                    f"≥ {big['wall'] / small['wall']:.1f}×" if big["timeout"] else f"{big['wall'] / small['wall']:.1f}×"
                )
            out += [
                "",
                "| prose scaling | 100 KB | 1 MB (limit) | ratio (target ≤ 12×) | peak RSS at 1 MB (target < 1 GB) |",
                "|---|---|---|---|---|",
                f"| corpus .txt drafts concatenated | {fmt_time(small)} | {fmt_time(big)} | {ratio} | {fmt_rss(big)} |",
            ]
        table = "\n".join(out) + "\n"
        print()
        print(table)
        if args.out:
            Path(args.out).write_text(table, encoding="utf-8")
        if args.json_out:
            Path(args.json_out).write_text(
                json.dumps(
                    {f"{k[0]}@{k[1]}": v for k, v in results.items()}
                    | {f"prose-{k[0]}@{k[1]}": v for k, v in prose.items()},
                    indent=2,
                )
            )
    finally:
        import shutil

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
