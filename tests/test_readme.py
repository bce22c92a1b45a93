"""The README against the tool (issue 18, item 15): the rules table and weights are the
built-in rules' (read now, so a new rule shows up here), the corpus size is the corpus's,
every flag of `followup-lint --help` and every subcommand is mentioned. Timing ratios are
bench/'s to generate, never asserted here."""

import re
import runpy
from pathlib import Path

import yaml
from click.testing import CliRunner

from followup_lint.cli.main import SUBCOMMANDS, lint_command
from followup_lint.rulefiles.loader import builtin_rules

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
TOOL = runpy.run_path(str(ROOT / "tools" / "readme_table.py"))
REGENERATE = "run `python tools/readme_table.py --write`"


def test_rules_table_lists_exactly_the_built_in_rules_with_their_severities():
    rows = TOOL["readme_rows"](README)
    rules = {r.id: r for r in builtin_rules()}
    assert len(rows) == len({rid for rid, _, _ in rows}), "a rule is listed twice"
    assert {rid for rid, _, _ in rows} == set(rules), f"the table and rules/ differ: {REGENERATE}"
    for rid, severity, _ in rows:
        assert severity == rules[rid].severity, (
            f"{rid} is {rules[rid].severity}, the README says {severity}: {REGENERATE}"
        )
    assert TOOL["between"](README, TOOL["TABLE"]) == TOOL["table"](list(rules.values()), README), REGENERATE


def test_option_defaults_quoted_in_the_table_are_the_rules():
    """ "more than 150 words (`max_words`)": the number beside an option is its default."""
    rules = {r.id: r for r in builtin_rules()}
    checked = 0
    for rid, _, when in TOOL["readme_rows"](README):
        for number, option in re.findall(r"(\d+)[^`|\d]*\(`(\w+)`\)", when):
            assert option in rules[rid].options, f"{rid}: no option {option}"
            assert int(number) == rules[rid].options[option], (
                f"{rid}: {option} is {rules[rid].options[option]}, not {number}"
            )
            checked += 1
    assert checked >= 3


def test_score_weights_are_the_rules():
    assert TOOL["between"](README, TOOL["WEIGHTS"]) == TOOL["weights"](builtin_rules(), README), REGENERATE


def test_the_generator_leaves_an_up_to_date_readme_alone():
    assert TOOL["render"](README) == README, REGENERATE


def test_corpus_size():
    labels = yaml.safe_load((ROOT / "corpus" / "labels.yaml").read_text(encoding="utf-8"))
    drafts = [p for p in (ROOT / "corpus").iterdir() if p.suffix in (".txt", ".md", ".eml") and p.name != "LABELS.md"]
    assert len(labels) == len(drafts)
    quoted = re.findall(r"`corpus/` holds (\d+) labelled drafts", README)
    assert quoted == [str(len(labels))], quoted
    assert not re.search(r"\b(\d+) (labelled )?drafts in the corpus", README)
    for size in re.findall(r"(\d+)-draft corpus", README):  # "0.94 on the 242-draft corpus"
        assert size == str(len(labels)), f"the README quotes a {size}-draft corpus; it holds {len(labels)}"


def test_every_flag_of_the_help_is_mentioned():
    help_text = CliRunner().invoke(lint_command, ["--help"], terminal_width=200).output
    flags = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", help_text.split("Commands")[0]))
    assert {"--format", "--force-exclude", "--today"} <= flags
    missing = sorted(f for f in flags if not re.search(re.escape(f) + r"(?![a-z-])", README))
    assert not missing, f"flags in --help the README never mentions: {missing}"


def test_every_subcommand_is_mentioned():
    missing = [name for name in SUBCOMMANDS if f"followup-lint {name}" not in README]
    assert not missing, missing


def test_snippets_name_no_release_that_does_not_exist():
    section = README.split("## pre-commit and CI", 1)[1].split("\n## ", 1)[0]
    config = yaml.safe_load(re.findall(r"```yaml\n(.*?)```", section, re.S)[0])
    rev = config["repos"][0]["rev"]
    assert not re.fullmatch(r"v?\d+(\.\d+)*", rev), f"rev {rev!r} names a tag; none is tagged yet"
    assert "@v0.1.0" not in section and "rev: v" not in section
    assert "autoupdate --bleeding-edge" in section  # how to fill in a commit


def test_editor_caveats():
    assert "elpa-eglot" in README and "Emacs 28" in README
    helix = README.split("**Helix**", 1)[1].split("```", 1)[0]
    assert "untested" in helix
