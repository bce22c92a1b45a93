"""What the command-line front ends share: exit codes, the one-line failure, config loading."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def fail(message: str) -> None:
    """One line on stderr and exit 2: every input or usage error ends this way."""
    import click  # here, not above: cli/hit.py takes the exit codes and a cache hit never fails

    from followup_lint.model.text import printable

    click.echo(f"followup-lint: {printable(message)}", err=True)  # a name's \n or \x1b escaped
    sys.exit(EXIT_ERROR)


def load_config(config_path, start: Path):
    """--config FILE, else the config found by walking up from `start` (or the defaults)."""
    from followup_lint.run.session import Session

    if config_path and not Path(config_path).is_file():
        fail(f"{config_path}: config file not found")
    with setup_errors_fail():
        return Session(config_file=config_path).config_for(start)


@contextmanager
def setup_errors_fail():
    """A bad config, a bad rule or a missing spaCy model inside the block: one line, exit 2."""
    from followup_lint.run.session import SETUP_ERRORS

    try:
        yield
    except SETUP_ERRORS as exc:
        fail(str(exc))
