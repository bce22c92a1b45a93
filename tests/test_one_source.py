"""One copy of each idea (issue 17): lists that the JSON Schemas repeat are checked here
against their one Python source, so adding a kind, a rule type, a region, a metric or a
condition key in one place and not the other fails a test instead of a user's rule file."""

from __future__ import annotations

import json
from importlib import resources

import click

from followup_lint.cli import common
from followup_lint.cli import rules as rules_cli
from followup_lint.cli.main import lint_command
from followup_lint.engine.kinds import cue_data as kinds_spec
from followup_lint.language.patterns import Conditions
from followup_lint.model.rule import KINDS, SETTINGS
from followup_lint.read.regions import RULE_REGIONS
from followup_lint.ruletypes import TYPES
from followup_lint.ruletypes.metric import METRICS


def _schema(name: str) -> dict:
    return json.loads(resources.files("followup_lint").joinpath(f"schema/{name}.schema.json").read_text("utf-8"))


RULE = _schema("rule")
CONFIG = _schema("config")


def test_rule_types():
    assert set(RULE["properties"]["type"]["enum"]) == set(TYPES)
    assert set(rules_cli.RULE_TYPES) <= set(TYPES)  # `rules new` scaffolds some of them


def test_kinds_and_settings():
    assert RULE["$defs"]["kind"]["enum"] == list(KINDS) == CONFIG["properties"]["kind"]["enum"]
    assert RULE["$defs"]["setting"]["enum"] == list(SETTINGS) == CONFIG["properties"]["setting"]["enum"]
    assert set(kinds_spec()["kinds"]) == set(KINDS) - {"unknown"}
    options = {p.name: p for p in lint_command.params}
    assert options["kind"].type.choices == KINDS and options["setting"].type.choices == SETTINGS


def test_region_names():
    assert RULE["$defs"]["region_name"]["enum"] == list(RULE_REGIONS)


def test_condition_keys():
    assert set(RULE["$defs"]["condition"]["properties"]) == set(Conditions.KEYS)


def test_metric_names():
    assert set(RULE["$defs"]["measure"]["properties"]["metric"]["enum"]) == set(METRICS)


def test_exit_codes_have_one_home():
    assert (common.EXIT_OK, common.EXIT_FINDINGS, common.EXIT_ERROR) == (0, 1, 2)
    for module in (rules_cli,):
        for name in dir(module):
            if name.startswith("EXIT_"):
                assert getattr(module, name) is getattr(common, name), name
    assert isinstance(rules_cli.new_command.params[1].type, click.Choice)
