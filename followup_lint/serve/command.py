"""The `followup-lint serve` command. Only click is imported here; the web stack and the
language model are imported when the command runs."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("serve", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False))
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=None,
    help="Port to listen on (default 8765, or a free one if it is taken; 0: any free port).",
)
@click.option(
    "--host",
    "hosts",
    multiple=True,
    metavar="ADDRESS",
    help="Address to listen on (default: 127.0.0.1 and ::1, this machine only).",
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow a --host that other machines can reach (anyone who gets the URL can read your drafts).",
)
@click.option(
    "--open/--no-open", "open_browser", default=True, show_default=True, help="Open the page in the default browser."
)
@click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), help="Use this config file instead of discovering one."
)
@click.option("--today", metavar="DATE", help="Pin today's date, for reproducible runs of timing rules.")
def serve_command(folder, port, hosts, allow_remote, open_browser, config_path, today):
    """Check drafts in your browser: paste a draft, see its problems underlined as you
    type, apply fixes, copy the clean email. With a FOLDER of drafts, also a coach's view:
    every draft's score, the rules that fire most, and Save back to the files. Nothing
    leaves this machine."""
    from . import engine
    from .security import is_loopback

    fail = engine.fail

    hosts = list(hosts) or ["127.0.0.1", "::1"]
    remote = [h for h in hosts if not is_loopback(h)]
    if remote and not allow_remote:
        fail(f"--host {remote[0]} can be reached from other machines; add --allow-remote if you mean it")
    if remote:
        click.echo(
            f"followup-lint: warning: listening on {', '.join(remote)}: anyone on that network who gets "
            "the URL (token included, sent unencrypted) can read and save your drafts",
            err=True,
        )
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        fail(f"serve needs {exc.name}, which is missing; reinstall followup-lint (pip install -e .)")
    from . import server

    click.echo("followup-lint: loading the language model…", err=True)
    try:
        source = engine.open_source(Path(folder) if folder else None, config_path, today)
    except engine.StartError as exc:
        fail(str(exc))
    try:
        server.run(
            source,
            hosts,
            server.DEFAULT_PORT if port is None else port,
            open_browser,
            echo=lambda m: click.echo(m, err=m.startswith("followup-lint:")),
        )
    except server.BindError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        sys.exit(0)
