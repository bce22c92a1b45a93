"""What the command-line front ends share: exit codes, the one-line failure, config loading."""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def fail(message: str) -> None:
    """One line on stderr and exit 2: every input or usage error ends this way."""
    click.echo(f"followup-lint: {message}", err=True)
    sys.exit(EXIT_ERROR)


def load_config(config_path, start: Path):
    """--config FILE, else the config found by walking up from `start` (or none)."""
    from followup_lint.rulefiles import config as config_mod

    try:
        path = Path(config_path) if config_path else config_mod.discover(start)
        if config_path and not path.is_file():
            fail(f"{config_path}: config file not found")
        return config_mod.load(path)
    except config_mod.ConfigError as exc:
        fail(str(exc))
