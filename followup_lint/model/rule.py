"""A rule as the engine sees it: a validated rule file, with config overrides applied.

Loading and validating rule files is rulefiles/; this is only the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("thank-you", "check-in", "offer-update", "unknown")


SETTINGS = ("corporate", "startup", "creative", "unknown")


SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class ProjectSettings:
    """What the config tells rule types beyond each rule's own options, handed to every
    check (config.build_ruleset makes it): the spelling rule's accepted words and language,
    the grammar rule's LanguageTool server."""

    words: tuple = ()  # lower-cased, sorted: config `words:` and the word list
    language: str | None = None  # "en-US" | "en-GB" | None (either spelling)
    grammar: dict | None = None  # LanguageTool settings; None: no grammar check
    spelling_runs: bool = False  # the spelling rule is in effect (grammar leaves typos to it)


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
    fix: dict | None = None  # `fix:` as written: how to fix a finding (engine/fixes.py)
    examples: dict = field(default_factory=dict)
    path: str = ""
    line: int = 1
    pack: str = "builtin"
    lines: dict = field(default_factory=dict, repr=False)  # key path -> line in `path`

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

    def with_overrides(self, overrides: dict) -> Rule:
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
