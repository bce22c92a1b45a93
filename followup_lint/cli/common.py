"""What the command-line front ends share: exit codes, the one-line failure, config loading,
the report's bytes. No click at import: the cache-hit front path (cli/hit.py) uses it."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

# --fail-on score without --fail-under or a config's fail-under: below this a draft's
# verdict is "rewrite".
SCORE_GATE_DEFAULT = 60


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


def output_bytes(text: str, fmt: str) -> bytes:
    """The report as UTF-8. A file name that is not UTF-8 reaches us with lone surrogates
    (PEP 383): JSON and SARIF get them as \\udcXX escapes (valid JSON, and
    os.fsencode(json.loads(...)) gives the name's bytes back). The text formats escape them
    already; any left are written as the name's own bytes, never a UnicodeEncodeError."""
    if fmt in ("json", "sarif"):
        import re

        text = re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)
        return text.encode("utf-8")
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file name gives (\ud800): shown as an escape
        return text.encode("utf-8", "backslashreplace")


def exit_code(results, exit_zero: bool, fail_on: str, fail_under: float | None, config_fail_under) -> int:
    """2 if a draft could not be read; else (unless --exit-zero) 1 for a failing finding
    (--fail-on finding) or a score under --fail-under, else the config's fail-under (with
    --fail-on score, else SCORE_GATE_DEFAULT); else 0."""
    if any(r.error is not None for r in results):
        return EXIT_ERROR
    if exit_zero:
        return EXIT_OK
    threshold = fail_under if fail_under is not None else config_fail_under
    failed = fail_on == "finding" and any(r.failed for r in results)
    if fail_on == "score" and threshold is None:
        threshold = SCORE_GATE_DEFAULT
    if threshold is not None:
        failed = failed or any(r.score is not None and r.score < threshold for r in results)
    return EXIT_FINDINGS if failed else EXIT_OK
