"""A rule as the engine sees it: a validated rule file, with config overrides applied.

Loading and validating rule files is rulefiles/; this is only the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field


KINDS = ("thank-you", "check-in", "offer-update", "unknown")


SETTINGS = ("corporate", "startup", "creative", "unknown")


SEVERITIES = ("error", "warning", "info")


@dataclass
class Rule:
    id: str
    title: str
    severity: str
    type: str
    message: str
    rationale: str
    weight: float = 10
    applies_to: tuple = KINDS
    settings: tuple = SETTINGS
    regions: tuple = ("body",)
    suggestion: str = ""
    source: str = ""
    options: dict = field(default_factory=dict)
    per: str = "sentence"
    patterns: list = field(default_factory=list)
    when: list = field(default_factory=list)
    unless: list = field(default_factory=list)
    conditions: list = field(default_factory=list)
    timing: dict = field(default_factory=dict)
    requires_context: tuple = ()
    fix: dict | None = None     # the edit that fixes a finding (see fixes.py)
    examples: dict = field(default_factory=dict)
    # Config values a rule type reads beyond its own options (spelling: words, language;
    # grammar: the LanguageTool server). Set by config.build_ruleset.
    project: dict = field(default_factory=dict, repr=False)
    path: str = ""
    line: int = 1
    pack: str = "builtin"
    lines: dict = field(default_factory=dict, repr=False)   # key path -> line in `path`

    def line_of(self, keys) -> int:
        keys = tuple(keys)
        while keys and keys not in self.lines:
            keys = keys[:-1]
        return self.lines.get(keys, self.line)

    def option(self, value):
        """A threshold written as a number or as the name of one of the rule's options."""
        if isinstance(value, str):
            return self.options[value]
        return value

    def with_overrides(self, overrides: dict) -> "Rule":
        """A copy with config overrides (severity, weight, options) applied."""
        import copy

        rule = copy.copy(self)
        rule.options = dict(self.options)
        for key, value in overrides.items():
            if key in ("severity", "weight"):
                setattr(rule, key, value)
            elif key != "enabled":
                rule.options[key] = value
        return rule
