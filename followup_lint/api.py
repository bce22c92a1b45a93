"""The library entry points every front end uses: the CLI, the language server, tests.

    from followup_lint import lint
    report = lint("Dear Sam, ...", context={"kind": "thank-you"})
    report.score, [f.rule for f in report.findings]
"""

from __future__ import annotations

import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from . import config as config_mod
from . import context as context_mod
from . import scoring
from .draft import Draft, DraftError, read_path, read_text
from .findings import FileReport


class Linter:
    """Holds the pipeline, the compiled rules and the configuration for a run."""

    def __init__(self, config=None, select=None, ignore=None, overrides=None, today=None):
        from . import nlp as nlp_mod
        from .engine import Engine
        from .kinds import KindInferrer

        self.config = config or config_mod.Config()
        self.ruleset = config_mod.build_ruleset(self.config, select, ignore)
        self.overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
        self.today = today  # None: the local date at lint time
        from .needs import pipeline_exclude

        self.nlp = nlp_mod.load(pipeline_exclude(self.ruleset.rules, nlp_mod.SM_COMPONENTS))
        self.engine = Engine(self.nlp)
        self.kinds = KindInferrer(self.nlp)
        # Compile every rule now: patterns join one shared matcher, so compiling later would
        # make the first drafts match twice (and a bad pattern should fail before any output).
        for rule in self.ruleset.rules:
            self.engine.compiled(rule)
        # Seconds per stage (parse, kind, rules, ...), for the benchmark's split.
        self.stages: dict = defaultdict(float)
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

    def lint_drafts(self, drafts: list) -> list[FileReport]:
        """Lint several drafts, parsing them together (nlp.pipe batches the work)."""
        from .parsed import parse_batch

        with self.stage("parse"):
            parsed = parse_batch(drafts, self.nlp)
        return [self.lint_draft(p.draft, parsed=p) for p in parsed]

    def lint_draft(self, draft: Draft, context: dict | None = None, parsed=None) -> FileReport:
        from .parsed import ParsedDraft

        overrides = dict(self.overrides, **(context or {}))
        try:
            ctx = context_mod.build(draft.front_matter, overrides, self.config.defaults,
                                    headers=draft.headers, today=self.today)
        except context_mod.ContextError as exc:
            line = draft.front_matter_lines.get(exc.key) if exc.key not in overrides else None
            where = f"{draft.path}:{line}" if line else draft.path
            return FileReport(path=draft.path, error=f"{where}: {exc}")
        parsed = parsed or ParsedDraft(draft, self.nlp)
        evidence = []
        if ctx.kind_source == "default":
            with self.stage("kind"):
                inference = self.kinds.infer(parsed, ctx)
            if inference.kind != "unknown":
                ctx.kind, ctx.kind_source = inference.kind, "inferred"
            evidence = inference.evidence
        findings = self.engine.check(parsed, ctx, self.rules_for(draft, ctx))
        points = scoring.score(findings)
        return FileReport(path=draft.path, kind=ctx.kind, kind_source=ctx.kind_source, score=points,
                          verdict=scoring.verdict(points, findings), findings=findings,
                          notes=list(draft.notes) + parsed.notes, text=draft.text, kind_evidence=evidence,
                          send_date=ctx.send_date.isoformat() if ctx.send_date else None)

    def lint_path(self, path, display: str | None = None, context: dict | None = None) -> FileReport:
        try:
            draft = read_path(path, display=display, max_bytes=self.config.max_file_size)
        except DraftError as exc:
            return FileReport(path=display or str(path), error=str(exc))
        return self.lint_draft(draft, context)


_DEFAULT: dict = {}


def _linter(config, select, ignore) -> Linter:
    # The common case (no config) reuses one Linter so repeated calls don't recompile rules.
    if config is None and select is None and ignore is None:
        if "linter" not in _DEFAULT:
            _DEFAULT["linter"] = Linter()
        return _DEFAULT["linter"]
    return Linter(config, select, ignore)


def lint(text: str, path: str = "<text>", *, context: dict | None = None, config=None,
         select=None, ignore=None) -> FileReport:
    """Lint one draft given as text (front matter and a Subject: line allowed)."""
    try:
        draft = read_text(text, path)
    except DraftError as exc:
        return FileReport(path=path, error=str(exc))
    return _linter(config, select, ignore).lint_draft(draft, context)


def lint_path(path, *, context: dict | None = None, config=None, select=None, ignore=None) -> FileReport:
    """Lint one draft file (.txt, .md or .eml). Uses the config found beside the file
    unless one is given."""
    if config is None:
        config = config_mod.load(config_mod.discover(Path(path)))
    return Linter(config, select, ignore).lint_path(path, context=context)
