"""The console entry point, and the front path that answers a cache hit.

Most runs of `followup-lint` in a pre-commit hook or an editor's save hook lint drafts
that the results cache has seen: the report is already on disk. On such a run the full
command line (click, the config layer, YAML, jsonschema, the rule set) costs several times
what finding and printing the entry does. So `main` first tries `answer_from_cache`: it
recognises only the plain invocations (draft files, and the few options listed in
`FRONT_OPTIONS`), finds every draft's entry from fingerprints alone (run/stored.py's hit
record: the config file, its word list and the rule packs by hash, the code and the
installed packages by stat + hash, the same keys run/cache.py writes), and prints it with
the same formatter, bytes and exit code as the full path. Anything else (another option, a
folder, stdin, --format sarif, one draft that misses, a stale or absent record, a cache
folder that is not ours) returns None before printing anything, and the click command in
cli/main.py runs as if this module did not exist.

The options themselves are defined once, in cli/main.py's click command; `FRONT_OPTIONS`
only names those this path understands, and tests/test_speed.py checks each against the
click command (name, flag or value, choices), so the two cannot drift apart. Nothing here
imports click (about a third of a hit's time).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from followup_lint.cli.common import exit_code, output_bytes

# The options the front path understands: name -> None for a flag, else the values it
# accepts (() for any value). --format sarif is left to the full path: SARIF describes
# every rule in effect, which takes the rule set.
FRONT_OPTIONS = {
    "--format": ("text", "json", "github"),
    "--quiet": None,
    "-q": None,
    "--no-color": None,
    "--exit-zero": None,
    "--force-exclude": None,
    "--fail-on": ("finding", "score"),
    "--cache-dir": (),
    "--config": (),
}
_SUBCOMMANDS = ("eval", "schedule", "lsp", "rules", "serve")  # cli/main.py's SUBCOMMANDS


def main(argv: list | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    code = answer_from_cache(argv)
    if code is not None:
        sys.exit(code)
    from followup_lint.language.pipeline import one_blas_thread

    one_blas_thread()  # before anything imports NumPy
    from followup_lint.cli.main import main as full

    full(argv)


def _parse(argv: list) -> dict | None:
    """The plain invocation's options and paths, or None for anything else."""
    if not argv or argv[0] in _SUBCOMMANDS:
        return None
    opts: dict = {"paths": []}
    args = iter(argv)
    for arg in args:
        if not arg.startswith("-"):
            opts["paths"].append(arg)
            continue
        name, eq, value = arg.partition("=")
        if name not in FRONT_OPTIONS:
            return None  # `-`, `--`, --help and every other option: the full path
        accepts = FRONT_OPTIONS[name]
        if accepts is None:
            if eq:
                return None
            opts["quiet" if name == "-q" else name.lstrip("-")] = True
            continue
        if not eq:
            value = next(args, None)
            if value is None:
                return None
        if not value or (accepts and value not in accepts):
            return None
        opts[name.lstrip("-")] = value
    return opts if opts["paths"] else None


def _read(path: str, max_bytes: int) -> bytes | None:
    """A regular file's bytes, or None (not regular, too big, unreadable: the full path
    reads it again and says what is wrong)."""
    from followup_lint.model.draft import DraftError
    from followup_lint.read.files import read_file_bytes

    try:
        return read_file_bytes(path, path, max_bytes)
    except DraftError:
        return None


def answer_from_cache(argv: list) -> int | None:
    """Print the reports of a run that is a cache hit for every draft and return its exit
    code; None (nothing printed) when the full path must run."""
    opts = _parse(argv)
    if opts is None or os.environ.get("FOLLOWUP_LINT_STAGES"):
        return None
    fmt = opts.get("format", "text")
    if sys.stdout is None:
        return None
    try:
        answer = _answer(opts, fmt)
    except Exception:  # noqa: BLE001 - anything unexpected: the full path runs and reports it
        return None
    if answer is None:
        return None
    data, errors, code = answer
    out = sys.stdout.buffer
    out.write(data)
    out.flush()
    if errors:
        sys.stderr.write("".join(f"{e}\n" for e in errors))
        sys.stderr.flush()
    return code


def _answer(opts: dict, fmt: str) -> tuple[bytes, list, int] | None:
    """(the report's bytes, the lines for stderr, the exit code), or None: not all hits."""
    from followup_lint.rulefiles.discover import discover, excluded
    from followup_lint.run.cache import Cache, dated_run, entry_key
    from followup_lint.run.stored import BuildStore
    from followup_lint.storage.cachedir import resolve_dir

    config_file = opts.get("config")
    if config_file and not os.path.isfile(config_file):
        return None
    # As cli/main.py decides them (there is no --output-file here, and no --statistics).
    show_source = fmt == "text" and sys.stdout.isatty()
    color = show_source and not opts.get("no-color") and not os.environ.get("NO_COLOR")
    folder = resolve_dir(opts.get("cache-dir"))
    builds = BuildStore(folder)
    records: dict = {}

    def record_for(path: str):
        if config_file:
            file = config_file
        else:
            found = discover(Path(path))
            file = os.fspath(found) if found else None
        if file not in records:
            records[file] = builds.load_run(file, None, None, None)
        return records[file]

    start = record_for(opts["paths"][0])
    if start is None:
        return None
    cache = Cache(folder)
    results = []
    for raw in opts["paths"]:
        p = Path(raw)
        if not os.path.lexists(p) or p.is_dir():
            return None
        record = record_for(raw)
        if record is None:
            return None
        if opts.get("force-exclude") and excluded(record["exclude"], record["root"], p):
            continue
        data = _read(os.fsdecode(os.fspath(p)), record["max_file_size"])
        if data is None:
            return None
        display = str(p)
        report = cache.get(entry_key(dated_run(record["fixed"], None, record["timing"]), display, data))
        if report is None:
            return None
        if show_source:  # the source lines under each finding on a terminal, as run/cache.py reads them
            from followup_lint.model.draft import DraftError
            from followup_lint.read.draft import format_for, read_bytes

            try:
                path = os.fsdecode(os.fspath(p))
                report.text = read_bytes(data, display, format=format_for(path), max_bytes=record["max_file_size"]).text
            except DraftError:
                pass
        results.append(report)
    if not results:
        return None

    from followup_lint.formats import render
    from followup_lint.model.text import printable

    quiet = bool(opts.get("quiet"))
    text = render(fmt, results, show_source=show_source, color=color, quiet=quiet, rules=[])
    errors = [printable(str(r.error)) for r in results if r.error is not None] if fmt != "text" else []
    code = exit_code(results, bool(opts.get("exit-zero")), opts.get("fail-on", "finding"), None, start["fail_under"])
    return output_bytes(text, fmt), errors, code
