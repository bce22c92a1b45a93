"""Run rules on a parsed draft and turn their hits into located findings."""

from __future__ import annotations

import string
import time
from collections import defaultdict

from followup_lint.engine import fixes
from followup_lint.language.patterns import (
    Conditions,
    FilteredPatterns,
    PatternError,
    RegexTimeout,
    new_hub,
    regex_budget,
)
from followup_lint.model.findings import Finding
from followup_lint.model.rule import ProjectSettings, Rule
from followup_lint.model.text import trim
from followup_lint.rulefiles.loader import RuleError
from followup_lint.ruletypes import TYPES


class CompiledRule:
    """A rule whose patterns and conditions are compiled against the pipeline's vocab."""

    def __init__(self, spec: Rule, nlp, hub=None):
        self.spec = spec
        try:
            self.patterns = FilteredPatterns(nlp, spec.patterns, hub=hub) if spec.patterns else None
            self.when = Conditions(nlp, spec.when, ("when",), hub)
            self.unless = Conditions(nlp, spec.unless, ("unless",), hub)
        except PatternError as exc:
            raise RuleError(spec.path, spec.line_of(exc.keys), f"rule {spec.id!r}: {exc.message}") from None


class _Template(string.Formatter):
    """str.format that leaves unknown fields visible instead of raising."""

    def get_value(self, key, args, kwargs):
        if isinstance(key, str) and key not in kwargs:
            return "{" + key + "}"
        return super().get_value(key, args, kwargs)


_TEMPLATE = _Template()


def render(template: str, values: dict) -> str:
    try:
        return _TEMPLATE.vformat(template, (), values)
    except (ValueError, IndexError, KeyError):
        return template


QUOTE_LIMIT = 80  # characters of a match or a sentence quoted in a message


def quoted(value, limit: int = QUOTE_LIMIT):
    """A match or sentence as a message quotes it: on one line, and at most `limit`
    characters, cut with an ellipsis (a 15,000-character run of '?' is quoted in 80)."""
    if not isinstance(value, str):
        return value
    value = " ".join(value.split()) if any(c.isspace() and c != " " for c in value) or "  " in value else value
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def applies(spec: Rule, ctx) -> bool:
    if spec.requires_context and not any(getattr(ctx, name, None) for name in spec.requires_context):
        return False
    return ctx.kind in spec.applies_to and ctx.setting in spec.settings


class Engine:
    def __init__(self, nlp):
        self.nlp = nlp
        # The matcher of this engine's rules (and the Linter's kind cues): it lives and goes
        # with the engine, so a rebuilt rule set leaves nothing behind in the next one's.
        self.hub = new_hub(nlp)
        self.stages: dict = defaultdict(float)  # the Linter shares its own
        self._compiled: dict[int, CompiledRule] = {}

    def compiled(self, spec: Rule) -> CompiledRule:
        key = id(spec)
        if key not in self._compiled:
            self._compiled[key] = (spec, CompiledRule(spec, self.nlp, self.hub))
        return self._compiled[key][1]

    def check(self, parsed, ctx, rules, settings: ProjectSettings) -> list[Finding]:
        draft = parsed.draft
        findings: list[Finding] = []
        for spec in rules:
            if not applies(spec, ctx):
                continue
            rule = self.compiled(spec)
            started = time.perf_counter()
            try:
                with regex_budget():
                    hits = list(TYPES[spec.type].check(rule, parsed, ctx, settings))
            except RegexTimeout as exc:
                # One slow rule must not cost the draft its other findings: skip it, say where.
                parsed.notes.append(
                    f"{spec.path}:{spec.line_of(exc.keys)}: rule {spec.id!r} skipped for this draft: "
                    f"{exc}; simplify the pattern (docs/writing-rules.md: regular expressions)"
                )
                continue
            finally:
                # Which part of "rules" time each rule type takes (spelling and grammar apart).
                self.stages[f"rules:{spec.type}"] += time.perf_counter() - started
            for hit in hits:
                # Spans stay off surrounding white space: a span ending between "\r" and "\n"
                # would put its end on another line than the same draft with "\n" endings.
                hit.start, hit.end = trim(draft.text, hit.start, hit.end) or (hit.start, hit.start)
                values = dict(spec.options, kind=ctx.kind, setting=ctx.setting, **hit.values)
                for key in ("match", "sentence"):
                    if key in values:
                        values[key] = quoted(values[key])
                message = render(hit.message or spec.message, values)
                line, col, decoded = draft.locate(hit.start)
                end_line, end_col, _ = draft.locate(hit.end)
                findings.append(
                    Finding(
                        rule=spec.id,
                        severity=spec.severity,
                        weight=spec.weight,
                        title=spec.title,
                        message=message + (" (position in the decoded email body)" if decoded else ""),
                        suggestion=render(spec.suggestion, values),
                        start=hit.start,
                        end=hit.end,
                        line=line,
                        column=col,
                        end_line=end_line,
                        end_column=end_col,
                        region=draft.region_of(hit.start),
                        decoded=decoded,
                        fix=fixes.build(spec, hit, draft, ctx),
                        source_rule=hit.source_rule,
                    )
                )
        findings.sort(key=Finding.sort_key)
        return findings
