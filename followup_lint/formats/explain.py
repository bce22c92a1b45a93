"""Rules and findings explained in words: `--explain RULE`, the editor's hover, the SARIF
help text and the writer's page all read from here, so they say the same thing."""

from __future__ import annotations

from followup_lint.model.findings import Fix


def explain_rule(rule) -> str:
    """`followup-lint --explain RULE`: what the rule checks, why, how to fix it, examples."""
    lines = [f"{rule.id}: {rule.title}", "",
             f"Severity: {rule.severity} · weight {rule.weight} · type {rule.type} · region {', '.join(rule.regions)}",
             f"Applies to: {', '.join(rule.applies_to)}" + (f" · settings: {', '.join(rule.settings)}" if len(rule.settings) < 4 else ""),
             "", "Why it matters", f"  {rule.rationale}"]
    if rule.source:
        lines.append(f"  Source: {rule.source}")
    if rule.suggestion:
        lines += ["", "How to fix", f"  {rule.suggestion}"]
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
