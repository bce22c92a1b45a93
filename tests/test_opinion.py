"""The learned second opinion (language/opinion.py, issue 13): an `opinion:` pattern in a
rule pack fires through the CLI and quotes the words that weigh most inside the sentence;
the weights ship as package data, their hash is part of the results-cache key only when a
rule uses them, and nothing is loaded when no enabled rule does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_lint.cli.main import lint_command
from followup_lint.cli.rules import rules_group
from followup_lint.language import opinion
from followup_lint.language import pipeline as nlp_mod
from followup_lint.rulefiles.config import Config, build_ruleset, load
from followup_lint.run import cache as cache_mod

ROOT = Path(__file__).resolve().parent.parent
RULE = """\
id: tone-check
title: A learned look at the tone
severity: warning
type: forbid
message: "{match!r} reads as hostile toward the reader."
rationale: "The learned second opinion on hostile wording, asked with a high threshold."
source: "tests/test_opinion.py: the opinion pattern kind through a rule pack"
patterns:
  - opinion: {label: hostile, min: 0.8}
examples:
  fires:
    - "Your recruiters are a pack of useless clowns."
  passes:
    - "Thank you for showing me around the warehouse on Tuesday."
"""
HOSTILE = "Your recruiters are a pack of useless clowns and everybody knows it."
POLITE = "Thank you again for the tour of the depot; I enjoyed meeting the night shift."


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "house").mkdir()
    (tmp_path / "house" / "tone-check.yaml").write_text(RULE)
    (tmp_path / ".followup-lint.yaml").write_text("packs: [./house]\n")
    (tmp_path / "rude.txt").write_text(f"Hi Sam,\n\n{POLITE} {HOSTILE}\n\nBest,\nJo\n")
    (tmp_path / "fine.txt").write_text(f"Hi Sam,\n\n{POLITE}\n\nBest,\nJo\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _json(result) -> dict:
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def test_an_opinion_pattern_fires_on_the_words_that_weigh_most(project):
    result = CliRunner().invoke(lint_command, ["--no-cache", "--select", "house", "--format", "json", "rude.txt"])
    findings = _json(result)["files"][0]["findings"]
    assert [f["rule"] for f in findings] == ["house/tone-check"]
    text = (project / "rude.txt").read_text()
    start = text.index(HOSTILE)
    quoted = findings[0]["message"].split("'")[1]
    # The quote is a few words of the hostile sentence, not the whole sentence or the polite one.
    assert quoted and quoted in HOSTILE and len(quoted.split()) <= opinion.WINDOW
    line_start = text.rfind("\n", 0, start) + 1
    assert findings[0]["line"] == text.count("\n", 0, start) + 1
    assert findings[0]["column"] - 1 >= start - line_start

    fine = CliRunner().invoke(lint_command, ["--no-cache", "--select", "house", "--format", "json", "fine.txt"])
    assert _json(fine)["files"][0]["findings"] == []


def test_the_rule_examples_hold_through_rules_test(project):
    result = CliRunner().invoke(rules_group, ["test", "house"])
    assert result.exit_code == 0, result.output


def test_an_unknown_label_is_refused_with_its_line(project):
    (project / "house" / "tone-check.yaml").write_text(RULE.replace("label: hostile", "label: rude"))
    result = CliRunner().invoke(lint_command, ["--no-cache", "fine.txt"])
    assert result.exit_code == 2
    assert "tone-check.yaml:9" in result.output


def test_the_finding_span_is_the_largest_share_inside_the_sentence():
    nlp = nlp_mod.load()
    doc = nlp(f"{POLITE} {HOSTILE}")
    spans = opinion.find(doc, "hostile", 0.5)
    assert len(spans) == 1
    span = spans[0]
    sent = span.sent
    assert sent.text == HOSTILE and 1 <= len(span) <= opinion.WINDOW
    # No other run of up to WINDOW tokens in the sentence has a larger share of the logit.
    model = opinion.load()
    norms, index = opinion.sentence_tokens(sent)
    shares = model.token_shares(norms, doc.tensor[index])[:, model.labels.index("hostile")]
    best = max(shares[i : j + 1].sum() for i in range(len(norms)) for j in range(i, min(i + 3, len(norms))))
    where = [index.index(t.i) for t in span]
    assert shares[where[0] : where[-1] + 1].sum() == pytest.approx(best, abs=1e-5)


def test_probabilities_are_the_shares_plus_bias():
    nlp = nlp_mod.load()
    doc = nlp(HOSTILE)
    ((_, probs),) = opinion.rate(doc)
    assert probs["hostile"] > 0.8 and set(probs) == set(opinion.LABELS)


def test_the_shipped_model_is_small_and_has_the_schema_labels():
    data = resources.files("followup_lint").joinpath(opinion.RESOURCE).read_bytes()
    assert len(data) < 5 * 1024 * 1024
    model = json.loads(data)
    assert tuple(model["labels"]) == opinion.LABELS
    assert model["meta"]["trained_by"] == "tools/train_opinion.py"
    schema = json.loads(resources.files("followup_lint").joinpath("schema/rule.schema.json").read_text("utf-8"))
    assert tuple(schema["$defs"]["pattern"]["properties"]["opinion"]["properties"]["label"]["enum"]) == opinion.LABELS


def test_its_version_is_in_the_cache_key_only_when_a_rule_uses_it(project, monkeypatch):
    cfg = Config(root=project)
    with_opinion = build_ruleset(load(project / ".followup-lint.yaml")).rules
    without = [r for r in with_opinion if not opinion.used_by([r])]
    assert len(without) < len(with_opinion)
    before = cache_mod.run_fingerprint(cfg, with_opinion, {}), cache_mod.run_fingerprint(cfg, without, {})
    monkeypatch.setattr(opinion, "version", lambda: "retrained")
    after = cache_mod.run_fingerprint(cfg, with_opinion, {}), cache_mod.run_fingerprint(cfg, without, {})
    assert before[0] != after[0]  # new weights: every draft is linted again
    assert before[1] == after[1]  # rules that do not ask the model keep their entries


# Lints a draft and reports whether the model's weights were read.
LOADED = """
import sys
from followup_lint.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
mod = sys.modules.get("followup_lint.language.opinion")
sys.stderr.write("\\nopinion loaded: %s\\n" % bool(mod and mod.load.cache_info().currsize))
"""


@pytest.mark.slow
@pytest.mark.parametrize("select, loaded", [(["--select", "house"], True), (["--ignore", "house"], False)])
def test_the_model_is_read_only_when_an_enabled_rule_asks(project, tmp_path, select, loaded):
    env = {**os.environ, "NO_COLOR": "1", "FOLLOWUP_LINT_CACHE_DIR": str(tmp_path / "cache")}
    rules = build_ruleset(load(project / ".followup-lint.yaml")).rules
    if any(opinion.used_by([r]) for r in rules if not r.id.startswith("house/")):
        select = ["--select", "thanks-missing"] if not loaded else select  # the built-in pack uses it too
    for run in (1, 2):  # the second run is answered from the results cache
        proc = subprocess.run(
            [sys.executable, "-c", LOADED, *select, "rude.txt"], cwd=project, env=env, capture_output=True, text=True
        )
        last = proc.stderr.rstrip().splitlines()[-1]
        assert last == f"opinion loaded: {loaded and run == 1}", proc.stderr
