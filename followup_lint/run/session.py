"""A session: what one run (or one editor, or one page) needs to lint, built once.

    path -> the config that governs it -> that config's rule set -> its Linter

Every front end goes through a Session: the CLI for a run, each worker process for its
share of the drafts, the language server and the writer's page for as long as they live,
and the Python API. Configs are found by walking up from the draft (or fixed with
`config_file`) and re-read when the file changes on disk, so a long-lived session sees an
edited config; each config's rule set and Linter are built on first use and kept.

Building can fail in three ways, all user errors with a one-line message naming the file:
a bad config (ConfigError), a bad rule or pack (RuleError), no spaCy model (ModelMissing).
`SETUP_ERRORS` lists them for front ends to catch.
"""

from __future__ import annotations

import os
from pathlib import Path

from followup_lint.language.pipeline import ModelMissing
from followup_lint.model.draft import DraftError
from followup_lint.model.findings import FileReport, Problem
from followup_lint.rulefiles import config as config_mod
from followup_lint.rulefiles.config import Config, ConfigError
from followup_lint.rulefiles.loader import RuleError

SETUP_ERRORS = (ConfigError, RuleError, ModelMissing)


class Session:
    def __init__(
        self,
        *,
        config_file=None,
        config: Config | None = None,
        root=None,
        select=None,
        ignore=None,
        overrides: dict | None = None,
        today=None,
        store=None,
    ):
        """config_file: one config for every draft (--config); config: a Config already
        built (the API); neither: discover per draft, walking up from it. root: where a
        draft without a path (stdin, an editor's untitled buffer) starts looking.
        store: a cache folder whose stored builds (stored.py) stand in for reading and
        validating an unchanged config and rule packs."""
        self.config_file = os.fspath(config_file) if config_file else None
        self.select, self.ignore = select or None, ignore or None
        self.overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
        self.today = today
        self.root = Path(root) if root else None
        self._fixed = config
        self._configs: dict = {}  # config file (or None) -> (stat signature, Config)
        self._rulesets: dict = {}  # id(Config) -> RuleSet
        self._linters: dict = {}  # id(Config) -> Linter
        self.store_dir = os.fspath(store) if store else None
        self._store = None
        if store:
            from followup_lint.run.stored import BuildStore

            self._store = BuildStore(store)

    def recipe(self) -> dict:
        """What a worker process needs to build the same session (picklable)."""
        return {
            "config_file": self.config_file,
            "select": self.select,
            "ignore": self.ignore,
            "overrides": self.overrides,
            "today": self.today,
            "store": self.store_dir,
        }

    # --- path -> config ----------------------------------------------------------------------

    def config_file_for(self, path) -> str | None:
        """The config file that governs a draft at `path` (None: built-in defaults)."""
        if self.config_file:
            return self.config_file
        start = Path(path) if path not in (None, "", "-") else (self.root or Path("."))
        found = config_mod.discover(start)
        return os.fspath(found) if found else None

    def config_for(self, path=None) -> Config:
        if self._fixed is not None:
            return self._fixed
        return self.load_config(self.config_file_for(path))

    def load_config(self, file: str | None) -> Config:
        """The Config read from `file` (None: the defaults), read again if it changed."""
        signature = _signature(file)
        known = self._configs.get(file)
        if known is None or known[0] != signature:
            if self.config_file and file == self.config_file and not Path(file).is_file():
                raise ConfigError(file, None, "config file not found")
            built = self._store.load(file, self.select, self.ignore, self.root) if self._store else None
            if built is not None:  # unchanged since it was built and validated: no YAML, no schema
                cfg, ruleset = built
                self._rulesets[id(cfg)] = ruleset
            else:
                cfg = config_mod.load(Path(file)) if file else (Config(root=self.root) if self.root else Config())
            if known is not None:  # an edited config: drop what was built from the old one
                self._rulesets.pop(id(known[1]), None)
                self._linters.pop(id(known[1]), None)
            self._configs[file] = (signature, cfg)
        return self._configs[file][1]

    def signature(self, path=None) -> tuple:
        """Changes when the config governing `path` is edited (the language server re-lints)."""
        file = None if self._fixed is not None else self.config_file_for(path)
        return (file, _signature(file))

    # --- config -> rule set -> Linter ----------------------------------------------------------

    def ruleset_for(self, cfg: Config):
        if id(cfg) not in self._rulesets:
            ruleset = config_mod.build_ruleset(cfg, self.select, self.ignore)
            self._rulesets[id(cfg)] = ruleset
            if self._store is not None and self._fixed is None:
                self._store.save(cfg.path, self.select, self.ignore, self.root, cfg, ruleset)
        return self._rulesets[id(cfg)]

    def note_run(self, cfg: Config, fixed: str, timing: bool) -> None:
        """Keep, beside the stored build, what a cache hit needs to find its entry without
        the rule set (stored.py's hit record; cli/hit.py reads it): only for the plain run a
        hit answers (no --config-free Config object, no context flags, no pinned date)."""
        if self._store is None or self._fixed is not None or self.overrides or self.today is not None:
            return
        file = next((f for f, (_, c) in self._configs.items() if c is cfg), False)
        if file is not False:
            self._store.save_run(file, self.select, self.ignore, self.root, cfg, self.ruleset_for(cfg), fixed, timing)

    def linter_for(self, cfg: Config):
        if id(cfg) not in self._linters:
            from followup_lint.engine.linter import Linter  # the first lint pays for spaCy

            ruleset = self.ruleset_for(cfg)
            if self._store is None:
                self._linters[id(cfg)] = Linter(
                    cfg, self.select, self.ignore, self.overrides, today=self.today, ruleset=ruleset
                )
            else:
                self._linters[id(cfg)] = self._stored_phrases(
                    lambda: Linter(cfg, self.select, self.ignore, self.overrides, today=self.today, ruleset=ruleset)
                )
        return self._linters[id(cfg)]

    def _stored_phrases(self, build):
        """Build a Linter with the stored phrase analyses for its pipeline, and store them
        again if it had to parse new ones."""
        from followup_lint.language import patterns
        from followup_lint.language import pipeline as nlp_mod

        if patterns.phrase_source is None:
            patterns.phrase_source = self._store.load_phrases
        linter = build()
        if patterns.new_phrases(linter.nlp):
            self._store.save_phrases(nlp_mod.signature(linter.nlp), patterns.phrase_analyses(linter.nlp))
        return linter

    def linter_at(self, path=None):
        return self.linter_for(self.config_for(path))

    @property
    def linters(self) -> list:
        return list(self._linters.values())

    # --- linting -----------------------------------------------------------------------------

    def lint_text(
        self, text: str, path: str = "<text>", *, format: str | None = None, context: dict | None = None
    ) -> FileReport:
        """Lint a draft given as text (front matter and a Subject: line allowed)."""
        from followup_lint.read.draft import read_text

        try:
            draft = read_text(text, path, format=format)
        except DraftError as exc:
            return FileReport(path=path, error=Problem.of(exc))
        return self.linter_at(path if path != "<text>" else None).lint_draft(draft, context)

    def lint_path(self, path, display: str | None = None, context: dict | None = None) -> FileReport:
        return self.linter_at(path).lint_path(path, display=display, context=context)


def _signature(file: str | None) -> tuple | None:
    if file is None:
        return None
    try:
        info = os.stat(file)
    except OSError:
        return ("missing",)
    return (info.st_mtime_ns, info.st_size, info.st_ino)
