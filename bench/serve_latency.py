#!/usr/bin/env python3
"""Page latency: in a real browser, the median time from the last keystroke to the
underlines for that text being on screen, minus the page's coalescing delay, beside a bare
`nlp(text)` on the same draft in the same run.

    python bench/serve_latency.py            # 40 keystrokes (about half a minute)
    python bench/serve_latency.py --runs 100 --json out.json

The server is `followup-lint serve`'s own app (uvicorn on a loopback port, in a thread of
this process); the browser is Debian's headless Chromium driven by Selenium through the
system chromedriver. Each run is one real keystroke in the email field (an "x" typed at
the end, then deleted); the page stamps the input event and the animation frame in which
the new underlines are painted (`performance.now()` both), so WebDriver's own round trips
are not in the number. The page waits LINT_DELAY_MS after a keystroke before asking (a
burst of typing costs one lint); that fixed wait is subtracted. The floor is the same spaCy
pipeline the server uses, called on the same text in this process, alternately with the
keystrokes. Same 150-word draft as bench/lsp_latency.py. Target: ratio <= 2.5.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

from lsp_latency import DRAFT  # noqa: E402  (the same draft as the editor benchmark)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
HEADLESS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in HEADLESS + ["--window-size=1280,1000"]:
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)


SHOWN = """
const done = arguments[0];
const s = window.followupLint;
const ready = () => s.shown && s.shown.edits === s.edits && !s.pending;
if (ready()) { done(s.shown.at - s.inputAt); return; }
const check = () => {
  if (!ready()) return;
  window.removeEventListener("followup-lint-shown", check);
  done(s.shown.at - s.inputAt);
};
window.addEventListener("followup-lint-shown", check);
"""


def wait_shown(driver) -> float:
    """ms from the keystroke's input event to the frame showing that text's underlines
    (waited for inside the page: no polling from here to compete for the CPU)."""
    return float(driver.execute_async_script(SHOWN))


def measure(runs: int) -> dict:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from followup_lint.serve import engine
    from followup_lint.serve.server import in_thread

    folder = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    started = time.perf_counter()
    source = engine.open_source(folder, None)
    load = time.perf_counter() - started
    nlp = engine.nlp_load()
    nlp(DRAFT)
    driver = browser()
    driver.set_script_timeout(60)
    try:
        with in_thread(source) as running:
            driver.get(running.url + "#/")
            driver.execute_script("sessionStorage.removeItem('followup-lint-draft')")
            body = driver.find_element(By.ID, "draft-body")
            driver.execute_script(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'))",
                body,
                DRAFT.rstrip("\n"),
            )
            wait_shown(driver)
            delay = driver.execute_script("return window.followupLint.delay")
            body.click()
            body.send_keys(Keys.CONTROL, Keys.END)
            for i in range(6):  # warm the server's and the page's own paths
                body.send_keys("x" if i % 2 == 0 else Keys.BACKSPACE)
                wait_shown(driver)
            shown, parses = [], []
            for i in range(runs):
                body.send_keys("x" if i % 2 == 0 else Keys.BACKSPACE)
                shown.append(wait_shown(driver) / 1000)
                text = DRAFT.rstrip("\n") + ("x" if i % 2 == 0 else "")
                t0 = time.perf_counter()
                nlp(text)
                parses.append(time.perf_counter() - t0)
            findings = sorted(
                f["rule"] for f in driver.execute_script("return window.followupLint.result.res.findings")
            )
            marks = len(driver.find_elements(By.CSS_SELECTOR, "#body-backdrop mark"))
            stats = json.loads(
                driver.execute_async_script(
                    "const done = arguments[1]; fetch('/api/stats', {headers: {'X-Followup-Token': arguments[0]}})"
                    ".then(r => r.text()).then(done)",
                    running.token,
                )
            )
    finally:
        driver.quit()
    delay_s = delay / 1000
    edit, parse = statistics.median(shown), statistics.median(parses)
    return {
        "runs": runs,
        "findings": findings,
        "underlines": marks,
        "linter_start_s": round(load, 2),
        "coalescing_delay_ms": delay,
        "median_keystroke_to_underline_ms": round(edit * 1000, 1),
        "median_minus_delay_ms": round((edit - delay_s) * 1000, 1),
        "median_bare_nlp_ms": round(parse * 1000, 1),
        "ratio": round((edit - delay_s) / parse, 2),
        "mean_lint_in_server_ms": round(stats["lintSeconds"] / max(stats["lintRuns"], 1) * 1000, 1),
        "server_lint_runs": stats["lintRuns"],
        "superseded": stats["superseded"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--json", metavar="FILE", help="Also write the numbers here.")
    args = parser.parse_args()
    result = measure(args.runs)
    print(f"findings: {', '.join(result['findings'])} ({result['underlines']} underlines in the email field)")
    print(
        f"median keystroke -> underline on screen: {result['median_keystroke_to_underline_ms']} ms over {result['runs']} keystrokes"
    )
    print(
        f"  minus the page's coalescing delay ({result['coalescing_delay_ms']} ms): {result['median_minus_delay_ms']} ms"
    )
    print(
        f"  of which linting (Linter.lint_draft in the server, mean): {result['mean_lint_in_server_ms']} ms; "
        f"the page, HTTP and painting: {round(result['median_minus_delay_ms'] - result['mean_lint_in_server_ms'], 1)} ms"
    )
    print(f"median bare nlp(text), same run:          {result['median_bare_nlp_ms']} ms")
    print(f"ratio: {result['ratio']}x (target <= 2.5x)")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
