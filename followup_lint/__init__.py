"""followup-lint: a linter for drafted job-interview follow-up emails."""

__version__ = "0.1.0"

__all__ = ["__version__", "lint", "lint_path", "lint_paths"]


def __getattr__(name):
    # The public API pulls in the rule engine; keep `import followup_lint` cheap.
    if name in ("lint", "lint_path", "lint_paths"):
        from followup_lint import api

        return getattr(api, name)
    raise AttributeError(name)
