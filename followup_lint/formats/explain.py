"""Rules and findings explained in words: `--explain RULE`, the editor's hover, the SARIF
help text and the writer's page all read from here, so they say the same thing."""

from __future__ import annotations

from followup_lint.model.findings import Fix

# What a rule's message or suggestion says in place of a value that only a finding has, when
# the text is shown for the rule as a whole (--explain, the SARIF help text).
GENERIC = {
    "advice": "Write what LanguageTool suggests. ",
    "match": "the words found",
    "sentence": "the sentence",
    "value": "the measured value",
    "suggestion": "the suggested spelling",
    "replacement": "the suggested wording",
    "lt_message": "LanguageTool's message",
    "rule_id": "its rule id",
    "earliest": "the earliest good date",
    "latest": "the last good date",
    "days_early": "N",
    "days_late": "N",
    "early_by": "N days",
    "late_by": "N days",
    "reason": "the rule's waiting time",
    "send_date": "the send date",
}


def rule_text(rule, template: str) -> str:
    """A rule's message or suggestion for the rule as a whole: its options filled in, and
    plain words for what only a finding knows ("Hold the draft until the earliest good date")."""
    from followup_lint.engine.checker import render

    values = dict(GENERIC, kind="this kind of draft", setting="this setting", **rule.options)
    return render(template, values)


def explain_rule(rule, verbose: bool = False, width: int | None = None) -> str:
    """`followup-lint --explain RULE`: what the rule checks, why, how to fix it, examples;
    with `verbose`, also the spaCy pipeline components it needs (for rule authors; also in
    `--list-rules --format json`). With a `width` (a terminal's), the prose is wrapped
    between words to fit it."""
    lines = [
        f"{rule.id}: {rule.title}",
        "",
        f"Severity: {rule.severity} · weight {rule.weight} · type {rule.type} · region {', '.join(rule.regions)}",
        f"Applies to: {', '.join(rule.applies_to)}"
        + (f" · settings: {', '.join(rule.settings)}" if len(rule.settings) < 4 else ""),
        "",
        "Why it matters",
        f"  {rule.rationale}",
    ]
    if rule.source:
        lines.append(f"  Source: {rule.source}")
    if rule.suggestion:
        lines += ["", "How to fix", f"  {rule_text(rule, rule.suggestion)}"]
    if verbose:
        from followup_lint.language.needs import rule_needs

        needs = sorted(rule_needs(rule))
        lines += ["", f"Pipeline: {', '.join(needs) if needs else 'none (no language model needed)'}"]
    if rule.options:
        lines += ["", "Options (set under `rules:` in config)"] + [f"  {k}: {v}" for k, v in rule.options.items()]
    for title, key in (("Fires on", "fires"), ("Passes", "passes")):
        lines += ["", title]
        for ex in rule.examples.get(key, [])[:4]:
            text = ex if isinstance(ex, str) else ex["text"]
            lines.append("  - " + " ".join(text.split())[:160])
    if width:
        from followup_lint.formats.snippet import wrap_prose

        wrapped = []
        for line in lines:
            indent = "    " if line.startswith("  - ") else "  " if line.startswith("  ") else ""
            wrapped += (
                wrap_prose(
                    line[len(indent) :] if indent == "  " else line,
                    width,
                    indent if indent == "  " else "",
                    indent or "  ",
                )
                if line
                else [line]
            )
        lines = wrapped
    return "\n".join(lines) + "\n"


def fix_title(fix: Fix) -> str:
    return fix.title if fix.safe else f"{fix.title} (unsafe fix: review the result)"


def explain_finding(finding, rule, markdown: bool = True) -> str:
    """One finding explained (the editor's hover, the writer's page): what, why, what
    instead, and the fix on offer."""
    bold = (lambda s: f"**{s}**") if markdown else (lambda s: s)
    title = f"{rule.title}" if rule else ""
    parts = [f"{bold(finding.rule)}{' · ' + title if title else ''}", finding.message]
    if rule is not None and rule.rationale:
        parts.append(f"{bold('Why it matters:')} {rule.rationale}")
    if finding.suggestion:
        parts.append(f"{bold('Instead:')} {finding.suggestion}")
    if finding.fix:
        parts.append(f"{bold('Quick fix:')} {fix_title(finding.fix)}")
    if rule is not None and rule.source:
        parts.append(f"{'_' if markdown else ''}Source: {rule.source}{'_' if markdown else ''}")
    return "\n\n".join(parts)
