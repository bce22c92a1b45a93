"""The fast syllable table gives textstat exactly the grades it computes from cmudict."""

import json
import subprocess
import sys
from pathlib import Path

from followup_lint.language.readability import flesch_kincaid_grade
from followup_lint.read.draft import read_path

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_grades_identical_to_textstat_with_cmudict():
    texts = [read_path(p).region_text("body") for p in sorted(CORPUS.glob("[abc]-*.txt"))[:40]]
    texts.append("Notwithstanding the considerable organizational complexity, I remain enthusiastic. Qwzxv blorft!")
    original = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, sys, textstat; "
            "print(json.dumps([textstat.flesch_kincaid_grade(t) for t in json.load(sys.stdin)]))",
        ],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
    )
    assert [flesch_kincaid_grade(t) for t in texts] == json.loads(original.stdout)


def test_syllable_table_is_built_once_and_kept(tmp_path):
    import os

    code = "from followup_lint.language.readability import flesch_kincaid_grade as g; print(g('Organisational clarity helps.'))"
    env = {**os.environ, "FOLLOWUP_LINT_CACHE_DIR": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("cmudict-syllables-")]
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert first.stdout == second.stdout
