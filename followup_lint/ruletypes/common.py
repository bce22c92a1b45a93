"""Pieces shared by the rule types: what a type is (RuleType), hits, filtered pattern
matches, and the checks of rule-file keys that several types share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from followup_lint.language.parsed import ParsedDraft
    from followup_lint.language.patterns import Conditions, FilteredPatterns
    from followup_lint.model.context import Context
    from followup_lint.model.rule import ProjectSettings, Rule
    from followup_lint.read.yamlsource import Located


class SettingsError(ValueError):
    """A config value a rule type reads that it cannot use; `keys` locate it in the config."""

    def __init__(self, keys: tuple, message: str):
        super().__init__(message)
        self.keys, self.message = keys, message


class CompiledRule(Protocol):
    """A rule as a check sees it: its spec and its compiled patterns (engine.checker makes it)."""

    spec: Rule
    patterns: FilteredPatterns | None
    when: Conditions
    unless: Conditions


class RuleType(Protocol):
    """One kind of rule. Each module of ruletypes/ is one (ruletypes.TYPES lists them):

    FIELDS    the message fields its hits fill in (`{match}`, `{value}`...), beyond the
              rule's own options and {kind}/{setting}
    FIXES     the `fix:` edits its findings take: "replace", "delete", "insert"
    validate  checks the rule file's keys this type reads, after the JSON Schema; raises
              `located.error(keys, message)`, which the loader reports as `file:line: message`
    check     the hits of one rule in one parsed draft
    """

    FIELDS: frozenset[str]
    FIXES: frozenset[str]

    def validate(self, data: dict, located: Located) -> None: ...

    def check(self, rule: CompiledRule, parsed: ParsedDraft, ctx: Context, settings: ProjectSettings) -> list[Hit]: ...


@dataclass
class Hit:
    """A place a rule fired, before it becomes a located Finding."""

    start: int
    end: int
    values: dict = field(default_factory=dict)  # for the message template
    message: str | None = None  # a pattern's or condition's own message
    fix: dict | None = None  # a pattern's own `fix:` (else the rule's)
    sentence: tuple | None = None  # the sentence it is in, for `delete: sentence`
    source_rule: str | None = None  # an outside checker's own rule id (LanguageTool's)


def surviving_matches(rule, segments, ctx) -> list:
    """Every match of the rule's patterns that its conditions let through, in text order."""
    by_pattern: dict[int, list] = {}
    for seg in segments:
        for m in rule.patterns.find(seg, segments, ctx):
            if rule.when and not rule.when.all_hold(m, segments, ctx):
                continue
            if rule.unless and rule.unless.any_holds(m, segments, ctx):
                continue
            by_pattern.setdefault(m.pattern, []).append(m)
    out = []
    for idx, matches in by_pattern.items():
        need = rule.spec.patterns[idx].get("min_count", 1)
        if len(matches) >= need:
            out.extend(matches[need - 1 :])  # with min_count N, the Nth and later occurrences
    # Drop matches nested inside an earlier, longer one.
    out.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept = []
    for m in out:
        if kept and m.start < kept[-1].end and m.end <= kept[-1].end:
            continue
        kept.append(m)
    return kept


def sentence_bounds(match):
    sent = match.span.sent
    return match.segment.at(sent.start_char), match.segment.at(sent.end_char)


def check_option_name(data: dict, located, keys: tuple, key: str, value) -> None:
    """A bound written as a name must be one of the rule's `options:`."""
    options = data.get("options", {})
    if isinstance(value, str) and value not in options:
        raise located.error(
            keys + (key,), f"{key}: {value!r} is not one of the rule's options ({', '.join(options) or 'none defined'})"
        )


def check_fixes(data: dict, located, allowed: frozenset) -> None:
    """The rule's `fix:` (and its patterns') use only the edits this type can make."""
    found = [(("fix",), data["fix"])] if "fix" in data else []
    found += [(("patterns", i, "fix"), p["fix"]) for i, p in enumerate(data.get("patterns", [])) if "fix" in p]
    for keys, fix in found:
        if "insert" in fix:
            if "insert" not in allowed or keys != ("fix",):
                raise located.error(
                    keys + ("insert",), "fix: insert is for a require rule's own fix: (it adds the missing sentence)"
                )
        elif not allowed & {"replace", "delete"}:
            raise located.error(keys, "fix: replace/delete is for forbid rules (it edits the matched words)")
        if "at" in fix and "insert" not in fix:
            raise located.error(keys + ("at",), "fix: at only goes with insert")
