"""The Linter: the pipeline, the compiled rules and the configuration for a run; lints one
draft (or a batch parsed together) into a FileReport.
"""

from __future__ import annotations

import time
from collections import defaultdict
from contextlib import contextmanager

from followup_lint.engine import scoring
from followup_lint.model import context as context_mod
from followup_lint.model.draft import Draft, DraftError
from followup_lint.model.findings import FileReport, Problem
from followup_lint.read.draft import read_path
from followup_lint.rulefiles import config as config_mod


class Linter:
    """Holds the pipeline, the compiled rules and the configuration for a run."""

    def __init__(self, config=None, select=None, ignore=None, overrides=None, today=None, ruleset=None):
        from followup_lint.engine.checker import Engine
        from followup_lint.engine.kinds import KindInferrer, cue_data
        from followup_lint.language import pipeline as nlp_mod
        from followup_lint.language.patterns import analyse_phrases, phrases_in

        self.config = config or config_mod.Config()
        self.ruleset = ruleset or config_mod.build_ruleset(self.config, select, ignore)
        self.overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
        self.today = today  # None: the local date at lint time
        from followup_lint.language.needs import pipeline_exclude

        # Seconds per stage (start-up, parse, kind, rules, ...), for the benchmark's split.
        self.stages: dict = defaultdict(float)
        with self.stage("start:model"):  # importing spaCy and loading the model: the floor
            self.nlp = nlp_mod.load(pipeline_exclude(self.ruleset.rules, nlp_mod.SM_COMPONENTS))
        with self.stage("start:compile"):
            analyse_phrases(
                self.nlp, phrases_in([cue_data(), [(r.patterns, r.when, r.unless) for r in self.ruleset.rules]])
            )
            self.engine = Engine(self.nlp)
            self.kinds = KindInferrer(self.nlp, self.engine.hub)
            # Compile every rule now: patterns join one shared matcher, so compiling later would
            # make the first drafts match twice (and a bad pattern should fail before any output).
            for rule in self.ruleset.rules:
                self.engine.compiled(rule)
        self.engine.stages = self.stages

    @contextmanager
    def stage(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] += time.perf_counter() - start

    def rules_for(self, draft: Draft, ctx) -> list:
        off = set(ctx.ignore) | self.config.ignored_for(draft.path)
        return [r for r in self.ruleset.rules if not config_mod.matches_any(r.id, off)]

    # A short note that reaches what the rules load on first use (the reading-grade
    # syllables, the spelling dictionary, the regexes of the rules a thank-you runs).
    WARM_UP = (
        b"Subject: Thank you\n\nHi Sam,\n\nThank you for the interview today. I enjoyed hearing about "
        b"the team and the role, and I am excited about the position.\n\nBest regards,\nJo Rivera\n"
    )

    def warm(self) -> None:
        """Lint a short note and throw the result away, so that what rules load lazily is
        loaded here: processes forked afterwards share it instead of each loading its own
        (with --no-cache the reading grade loads the whole CMU dictionary, about a second).
        The stage timers are left as they were."""
        from followup_lint.read.draft import read_bytes

        before = dict(self.stages)
        try:
            self.lint_drafts([read_bytes(self.WARM_UP, "warm-up.txt")])
        finally:
            self.stages.clear()
            self.stages.update(before)

    def lint_drafts(self, drafts: list) -> list[FileReport]:
        """Lint several drafts, parsing them together (nlp.pipe batches the work)."""
        from followup_lint.language.parsed import parse_batch

        with self.stage("parse"):
            parsed = parse_batch(drafts, self.nlp)
        return [self.lint_draft(p.draft, parsed=p) for p in parsed]

    def context(self, draft: Draft, context: dict | None = None, parsed=None):
        """(the draft's Context, the parsed draft, the kind's evidence): the sources merged
        (see model/context.py) and, when no source states the kind, the kind inferred from
        the text. `schedule` asks this too, so it judges the same kind the lint does.
        Raises ContextError naming the bad field."""
        from followup_lint.language.parsed import ParsedDraft

        overrides = dict(self.overrides, **(context or {}))
        ctx = context_mod.build(
            draft.front_matter,
            overrides,
            self.config.defaults,
            headers=draft.headers,
            today=self.today,
            working_days=self.config.working_days,
            path_context=self.config.context_for(draft.path),
        )
        parsed = parsed or ParsedDraft(draft, self.nlp)
        evidence = []
        if ctx.kind_source == "default":
            with self.stage("kind"):
                inference = self.kinds.infer(parsed, ctx)
            if inference.kind != "unknown":
                ctx.kind, ctx.kind_source = inference.kind, "inferred"
            evidence = inference.evidence
        return ctx, parsed, evidence

    def lint_draft(self, draft: Draft, context: dict | None = None, parsed=None) -> FileReport:
        try:
            ctx, parsed, evidence = self.context(draft, context, parsed)
        except context_mod.ContextError as exc:
            overrides = dict(self.overrides, **(context or {}))
            line = draft.front_matter_lines.get(exc.key) if exc.key not in overrides else None
            return FileReport(path=draft.path, error=Problem(draft.path, line or None, str(exc)))
        findings = self.engine.check(parsed, ctx, self.rules_for(draft, ctx), self.ruleset.settings)
        points = scoring.score(findings)
        return FileReport(
            path=draft.path,
            kind=ctx.kind,
            kind_source=ctx.kind_source,
            score=points,
            verdict=scoring.verdict(points, findings),
            findings=findings,
            notes=list(draft.notes) + parsed.notes,
            text=draft.text,
            kind_evidence=evidence,
            send_date=ctx.send_date.isoformat() if ctx.send_date else None,
        )

    def lint_path(self, path, display: str | None = None, context: dict | None = None) -> FileReport:
        try:
            draft = read_path(path, display=display, max_bytes=self.config.max_file_size)
        except DraftError as exc:
            return FileReport(path=display or str(path), error=Problem.of(exc))
        return self.lint_draft(draft, context)
