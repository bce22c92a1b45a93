"""`followup-lint rules ...`: write, test and share rule packs.

    rules schema [rule|pack|config]   print a JSON Schema (the one the loader validates with)
    rules test [DIR|FILE]...          run rules' examples; a pass/fail table, exit 1 on a failure
    rules new ID [--type] [--dir]     scaffold a rule file
    rules packs                       the packs in use and the installed ones

`rules test` runs the same code as the project's own tests/test_rule_examples.py
(rulefiles/examples.py): every `fires` example must trigger its rule and every `passes` example
must not, each linted as a draft of its own with the rule as written (config overrides
such as a raised word limit do not apply; they would make the examples lie).
"""

from __future__ import annotations

import json
import os
import sys
from importlib import resources
from pathlib import Path

import click

from followup_lint.cli.common import EXIT_FINDINGS, EXIT_OK
from followup_lint.cli.common import fail as _fail
from followup_lint.cli.common import load_config as _load_config

SCHEMAS = {"rule": "rule.schema.json", "pack": "pack.schema.json", "config": "config.schema.json"}
CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.group("rules", short_help="Write, test and share your own rules and rule packs.", context_settings=CONTEXT)
def rules_group():
    """Write, test and share rule packs (see docs/writing-rules.md)."""


# --- schema -----------------------------------------------------------------------------


def schema_path(which: str = "rule") -> Path:
    return Path(str(resources.files("followup_lint").joinpath("schema", SCHEMAS[which])))


@rules_group.command("schema", context_settings=CONTEXT)
@click.argument("which", type=click.Choice(list(SCHEMAS)), default="rule")
@click.option("--path", "show_path", is_flag=True, help="Print where the installed schema file is, not its contents.")
def schema_command(which, show_path):
    """Print the JSON Schema for rule files (or pack.yaml, or the config file).

    For completion in editors with the YAML language server, save it beside your rules
    (`followup-lint rules schema > rule.schema.json`) and start each rule file with
    `# yaml-language-server: $schema=rule.schema.json`."""
    path = schema_path(which)
    click.echo(str(path) if show_path else path.read_text("utf-8").rstrip("\n"))


# --- test -------------------------------------------------------------------------------


def _targets(targets, cfg):
    """(test config, ids under test or None for all) for the folders and files given."""
    from followup_lint.rulefiles import config as config_mod
    from followup_lint.rulefiles import packs as packs_mod
    from followup_lint.rulefiles.loader import load_rule_file

    if not targets:
        return config_mod.Config(root=cfg.root, packs=list(cfg.packs), grammar=cfg.grammar), None
    folders, ids = [], []
    for raw in targets:
        path = Path(raw)
        if path.is_dir():
            pack = packs_mod.from_folder(path)
            folders.append(str(path.resolve()))
            ids.extend(r.id for r in pack.rules())
        elif path.is_file() and path.suffix in (".yaml", ".yml") and path.name != packs_mod.PACK_FILE:
            pack = packs_mod.from_folder(path.parent)
            folders.append(str(path.parent.resolve()))
            ids.append(load_rule_file(path, pack=pack.name, prefix=f"{pack.name}/").id)
        else:
            _fail(f"{raw}: not a rule pack folder or a rule file (.yaml)")
    return config_mod.Config(root=Path.cwd(), packs=list(dict.fromkeys(folders)), grammar=cfg.grammar), ids


def _skip_reason(rule, cfg) -> str | None:
    if rule.type == "grammar" and not cfg.grammar:
        return "needs a LanguageTool server: set `grammar: {server: ...}` in the config"
    return None


def _display(path: str) -> str:
    """A rule file's path as the user would type it: relative when under the working folder."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path


def _short(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@rules_group.command("test", context_settings=CONTEXT)
@click.argument("targets", nargs=-1, type=click.Path())
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Config whose packs (and grammar server) to use; default: the one found from here.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--verbose", "-v", is_flag=True, help="List every example, not only the failures.")
def test_command(targets, config_path, fmt, verbose):
    """Run every rule's examples: each `fires` example must trigger the rule (where its
    `at:` says, with its `message:`, fixed into its `fixed:`) and each `passes` example
    must not. TARGETS are pack folders or rule files; with none, the
    built-in rules and the packs your config lists. Exit 1 if an example fails."""
    from followup_lint.language.pipeline import ModelMissing
    from followup_lint.rulefiles import config as config_mod
    from followup_lint.rulefiles.examples import run_rule_examples
    from followup_lint.rulefiles.loader import RuleError
    from followup_lint.run.session import Session

    cfg = _load_config(config_path, Path("."))
    try:
        test_cfg, ids = _targets(targets, cfg)
        linter = Session(config=test_cfg, select=ids).linter_for(test_cfg)
    except (config_mod.ConfigError, RuleError) as exc:
        _fail(str(exc))
    except ModelMissing as exc:
        _fail(str(exc))
    rows = []
    try:
        for rule in linter.ruleset.rules:
            skip = _skip_reason(rule, test_cfg)
            results = [] if skip else run_rule_examples(linter, rule)
            rows.append((rule, results, skip))
    except RuleError as exc:  # a pattern that fails only when compiled against the pipeline
        _fail(str(exc))
    failed = sum(1 for _r, results, _s in rows for x in results if not x.ok)
    if fmt == "json":
        click.echo(json.dumps(_as_json(rows), indent=2))
    else:
        click.echo(_table(rows, verbose), nl=False)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


def _as_json(rows) -> dict:
    rules = []
    for rule, results, skip in rows:
        rules.append(
            {
                "rule": rule.id,
                "path": _display(rule.path),
                "status": "skip" if skip else ("pass" if all(r.ok for r in results) else "fail"),
                "skipped": skip,
                "examples": [
                    {
                        "expect": r.expect,
                        "index": r.index + 1,
                        "line": rule.line_of(("examples", r.expect, r.index)),
                        "ok": r.ok,
                        "text": r.text,
                        "detail": r.detail,
                        "problem": r.problem,
                    }
                    for r in results
                ],
            }
        )
    examples = [e for r in rules for e in r["examples"]]
    return {"rules": rules, "passed": sum(e["ok"] for e in examples), "failed": sum(not e["ok"] for e in examples)}


def _table(rows, verbose: bool) -> str:
    if not rows:
        return "No rules to test.\n"
    width = max(len(rule.id) for rule, _x, _s in rows)
    out = [f"{'RESULT':<6}  {'RULE':<{width}}  {'FIRES':>5}  {'PASSES':>6}"]
    problems = []
    for rule, results, skip in rows:
        if skip:
            out.append(f"{'skip':<6}  {rule.id:<{width}}  {'-':>5}  {'-':>6}  {skip}")
            continue
        counts = {}
        for expect in ("fires", "passes"):
            mine = [r for r in results if r.expect == expect]
            counts[expect] = f"{sum(r.ok for r in mine)}/{len(mine)}"
        ok = all(r.ok for r in results)
        out.append(f"{'pass' if ok else 'FAIL':<6}  {rule.id:<{width}}  {counts['fires']:>5}  {counts['passes']:>6}")
        for r in results:
            if r.ok and not verbose:
                continue
            where = f"{_display(rule.path)}:{rule.line_of(('examples', r.expect, r.index))}"
            should = "should fire" if r.expect == "fires" else "should pass"
            if r.ok:
                problems.append(f"  ok    {where}: {r.expect} example {r.index + 1}: {_short(r.text)!r}")
            elif r.detail.startswith("placeholder"):
                problems.append(f"{where}: {rule.id}: {r.expect} example {r.index + 1}: {r.detail}")
            elif r.problem:  # it fired, but not where (or as) the example says
                problems.append(
                    f"{where}: {rule.id} fired on {r.expect} example {r.index + 1} but {r.problem}: {_short(r.text)!r}"
                )
            else:
                got = "did not fire" if r.expect == "fires" else f"fired ({r.detail})"
                problems.append(
                    f"{where}: {rule.id} {should} on {r.expect} example {r.index + 1} but {got}: {_short(r.text)!r}"
                )
    total = sum(len(results) for _r, results, _s in rows)
    bad = sum(1 for _r, results, _s in rows for x in results if not x.ok)
    skipped = sum(1 for _r, _x, s in rows if s)
    summary = (
        f"{len(rows)} rule{'s' if len(rows) != 1 else ''}, {total} example{'s' if total != 1 else ''}: "
        f"{total - bad} passed, {bad} failed"
        + (f", {skipped} rule{'s' if skipped != 1 else ''} skipped" if skipped else "")
        + "."
    )
    return "\n".join(out + ([""] + problems if problems else []) + ["", summary]) + "\n"


# --- new --------------------------------------------------------------------------------


_HEADER = """\
# A followup-lint rule: docs/writing-rules.md ("Write your own rule") explains every key;
# `followup-lint rules schema` prints the schema this file is checked against.
# The examples are placeholders: `followup-lint rules test` fails on each example that
# still starts with TODO, until you replace them with real sentences.
"""

_COMMON = """\
id: @ID@
title: "TODO: what the writer should do, in a few words"
severity: warning           # error | warning | info
weight: 10                  # points taken from the 100-point score when it fires
type: @TYPE@
region: body                # subject, greeting, body, sign-off, signature, quoted, or a list
# applies_to: [thank-you, check-in, offer-update, unknown]   # kinds of follow-up it judges
# settings: [corporate, startup, creative, unknown]          # interview settings it judges
"""

_BODIES = {
    "forbid": """\
message: "{match!r}: TODO say what is wrong with it."
suggestion: "TODO: what to write instead."
rationale: >
  TODO: why this matters to the person reading the email, in a sentence or two.
patterns:
  # Phrases match on lemmas: `apologise` also matches "apologised" and "apologising".
  - phrases: [todo phrase]
  # - tokens: [{LEMMA: {IN: [beg, plead]}}]        # a spaCy token pattern
  # - regex: '\\bASAP\\b'                            # a regular expression
    # unless:
    #   - negated: true                             # "I would never ..." stays quiet
examples:
  fires:
    - "TODO: a sentence this rule must flag."
  passes:
    - "TODO: a similar sentence it must leave alone."
""",
    "require": """\
message: "TODO: the draft never ... (say what is missing)."
suggestion: "TODO: a sentence the writer could add."
rationale: >
  TODO: why a follow-up needs this, in a sentence or two.
patterns:
  # The rule fires once when none of these match anywhere in the region.
  - phrases: [todo phrase]
  # - regex: '\\b[A-Z]{2,4}-\\d{3,6}\\b'             # a regular expression
examples:
  fires:
    - "TODO: a draft that lacks it."
  passes:
    - "TODO: a draft that has it."
""",
    "metric": """\
options:
  max_words: 150            # users can change it: `rules: {@ID@: {max_words: 200}}` in their config
message: "TODO: the body has {value} words; keep it under {max_words}."
suggestion: "TODO: how to bring it down."
rationale: >
  TODO: why this measure matters, in a sentence or two.
conditions:
  # words | grade | longest_sentence_words | exclamations | first_person_share | first_person_count | about_them_sentences
  - metric: words
    above: max_words
examples:
  fires:
    - "TODO: a draft over the limit."
  passes:
    - "TODO: a draft within it."
""",
    "timing": """\
options:
  wait_days: 7              # users can change it under `rules:` in their config
message: "TODO: this goes out {days_early} day(s) early; wait until {earliest}."
suggestion: "TODO: when to send it instead."
rationale: >
  TODO: why the timing matters, in a sentence or two.
timing:
  # The first anchor date the draft's context knows wins (front matter, flags, .eml Date).
  earliest:
    - {after: reply_promised_by, days: 1}
    - {after: interview_date, days: wait_days}
examples:
  # Timing examples need dates: give them as context.
  fires:
    - {text: "TODO: a draft sent too early.", context: {kind: check-in, interview_date: 2026-11-10, send_date: 2026-11-12}}
  passes:
    - {text: "TODO: the same draft sent in time.", context: {kind: check-in, interview_date: 2026-11-10, send_date: 2026-11-20}}
""",
}


# The types `rules new` scaffolds: those with a body above (spelling and grammar are one
# built-in rule each, tuned in the config rather than written anew).
RULE_TYPES = tuple(_BODIES)


def scaffold(rule_id: str, rule_type: str, schema_beside: bool = False) -> str:
    modeline = (
        "# yaml-language-server: $schema=rule.schema.json\n"
        if schema_beside
        else (
            "# Editor completion: `followup-lint rules schema > rule.schema.json` in this folder, then\n"
            "# make the first line `# yaml-language-server: $schema=rule.schema.json`.\n"
        )
    )
    body = (_COMMON + _BODIES[rule_type]).replace("@ID@", rule_id).replace("@TYPE@", rule_type)
    return modeline + _HEADER + body


@rules_group.command("new", context_settings=CONTEXT)
@click.argument("rule_id", metavar="ID")
@click.option(
    "--type",
    "rule_type",
    type=click.Choice(RULE_TYPES),
    default="forbid",
    show_default=True,
    help="forbid: flag what matches; require: flag when nothing matches; metric: a measure over a bound; timing: the send date.",
)
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False),
    default=".",
    show_default=True,
    help="The pack folder to write ID.yaml into (created if missing).",
)
def new_command(rule_id, rule_type, directory):
    """Scaffold a rule file DIR/ID.yaml with its rationale and placeholder examples."""
    from followup_lint.rulefiles import packs as packs_mod
    from followup_lint.rulefiles.loader import RuleError, load_rule_file

    if not packs_mod.NAME_RE.match(rule_id):
        _fail(f"{rule_id!r} is not a usable rule id: lower-case words joined by hyphens, like no-whom")
    folder = Path(directory)
    path = folder / f"{rule_id}.yaml"
    if path.exists():
        _fail(f"{path}: already exists; pick another id or edit that file")
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(scaffold(rule_id, rule_type, (folder / "rule.schema.json").is_file()), encoding="utf-8")
    try:
        load_rule_file(path)  # the scaffold must load; a failure here is our bug, said plainly
    except RuleError as exc:
        _fail(f"the scaffold does not load ({exc}); please report this")
    click.echo(
        f"Created {path} ({rule_type}). Write its patterns and replace the TODO examples, then run:\n"
        f"  followup-lint rules test {folder}"
    )
    if not _in_config(folder):
        rel = Path(os.path.relpath(folder.resolve(), Path.cwd())).as_posix()
        click.echo(
            f"To lint with it, list the folder under `packs:` in .followup-lint.yaml: packs: [{rel if rel.startswith('.') else './' + rel}]"
        )


def _in_config(folder: Path) -> bool:
    from followup_lint.rulefiles import config as config_mod

    try:
        cfg = config_mod.load(config_mod.discover(folder))
    except config_mod.ConfigError:
        return False
    return any((cfg.root / p).resolve() == folder.resolve() for p in cfg.packs)


# --- packs ------------------------------------------------------------------------------


@rules_group.command("packs", context_settings=CONTEXT)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config to read `packs:` from.")
def packs_command(config_path):
    """The packs your config uses, and the packs installed packages provide (list those
    under `packs:` by name to use them)."""
    from followup_lint.rulefiles import packs as packs_mod
    from followup_lint.rulefiles.loader import RuleError

    cfg = _load_config(config_path, Path("."))
    lines = []
    try:
        used = [packs_mod.resolve(entry, cfg.root) for entry in cfg.packs]
        installed = packs_mod.installed()
    except packs_mod.PackNotFound as exc:
        _fail(f"{cfg.path}: {exc}")
    except RuleError as exc:
        _fail(str(exc))
    for title, found in (("In use (packs: in " + (cfg.path or "no config") + ")", used), ("Installed", installed)):
        lines.append(f"{title}:")
        if not found:
            lines.append("  (none)")
        for pack in found:
            try:
                count = len(pack.rules())
            except RuleError as exc:
                count = f"error: {exc}"
            lines.append(f"  {pack.name:<20} {count} rules  {pack.origin}  {pack.folder}")
            if pack.description:
                lines.append(f"  {'':<20} {pack.description}")
    click.echo("\n".join(lines))
