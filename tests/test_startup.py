"""Start-up stays cheap where no draft is linted: these commands must not import spaCy,
textstat or the language server (import time is most of a cold run)."""

import subprocess
import sys

import pytest

HEAVY = ("spacy", "textstat", "pygls", "thinc", "language_tool_python")
PROBE = """
import sys
from followup_lint.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = [m for m in {heavy!r} if m in sys.modules]
print("HEAVY:" + ",".join(heavy))
"""


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["--list-rules"],
        ["--list-rules", "--format", "json"],
        ["--explain", "pushy"],
        ["schedule", "--interview-date", "2026-11-10"],
        ["eval", "--help"],
        ["rules", "--help"],
    ],
)
def test_no_heavy_imports(args, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    line = [l for l in proc.stdout.splitlines() if l.startswith("HEAVY:")][-1]
    assert line == "HEAVY:", f"{args} imported {line[6:]}"


def test_parallel_jobs_give_the_same_report_in_input_order(tmp_path):
    import json

    texts = [
        "Hi Sam,\n\nThank you for the interview. I'm keen on the role.\n\nJo\n",
        "Hi Sam,\n\nHave you made a decision yet? I need this job!!\n\nJo\n",
        "Hey Sam,\n\nthx for the chat lol, gonna be great\n\nJo\n",
    ]
    for i in range(40):
        (tmp_path / f"d{i:02d}.txt").write_text(texts[i % 3] + f"\nref {i}\n")
    exe = [sys.executable, "-m", "followup_lint", "--no-cache", "--format", "json", "--exit-zero", str(tmp_path)]
    one = json.loads(subprocess.run(exe + ["-j", "1"], capture_output=True, text=True, check=True).stdout)
    two = json.loads(subprocess.run(exe + ["-j", "2"], capture_output=True, text=True, check=True).stdout)
    assert [f["path"] for f in two["files"]] == sorted(f["path"] for f in two["files"])
    assert one["files"] == two["files"]
