"""Command line: `followup-lint [OPTIONS] [PATHS]...` and `followup-lint eval DIR`.

The first argument picks a subcommand only when it is exactly a subcommand's name; a draft
file named like one is reached as `./eval` or after `--` (`followup-lint -- eval`).
Exit codes: 2 for any input or usage error; else 1 if a file has a warning/error finding
or scores under --fail-under; else 0. --exit-zero gives 0 unless 2.
"""

from __future__ import annotations

import io
import itertools
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import click

from followup_lint import __version__
from followup_lint.cli.common import (  # noqa: F401 (re-exported)
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    SCORE_GATE_DEFAULT,
    exit_code,
    output_bytes,
    setup_errors_fail,
)
from followup_lint.cli.common import fail as _fail
from followup_lint.cli.common import load_config as _load_config
from followup_lint.model.draft import DraftError
from followup_lint.model.findings import FileReport, Problem
from followup_lint.model.rule import KINDS, SETTINGS
from followup_lint.model.text import printable
from followup_lint.run.session import Session

PROGRESS_MIN_FILES = 10


def _since_process_start() -> float | None:
    """Seconds since this process started (Linux: /proc), so the split can show the
    interpreter's own start-up; None elsewhere."""
    try:
        with open("/proc/self/stat", "rb") as fh:
            started = int(fh.read().rsplit(b")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")
        return time.clock_gettime(time.CLOCK_BOOTTIME) - started
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _print_stages(linters, cached, total: float, startup: dict) -> None:
    """FOLLOWUP_LINT_STAGES=1: where the time went (bench/run.py prints this split). The
    start: stages are the start-up: Python and our imports, the config and rule set (from
    the stored build or validated), spaCy and the model, compiling the patterns."""
    stages: dict = dict(startup)
    for source in [*(l.stages for l in linters), getattr(cached, "stages", {})]:
        for k, v in source.items():
            stages[k] = stages.get(k, 0.0) + v
    accounted = sum(stages.values())
    for name, secs in sorted(stages.items(), key=lambda kv: -kv[1]):
        click.echo(f"stage {name:<16} {secs:8.3f}s", err=True)
    click.echo(f"stage {'other':<16} {max(total - accounted, 0):8.3f}s  (start-up, reading, cache, report)", err=True)
    from followup_lint.run import workers

    if "auto" in workers._state:
        jobs, cores, busy = workers._state["auto"]
        click.echo(f"jobs auto: {jobs} of {cores} usable cores ({busy:.2f} busy elsewhere)", err=True)


def _use_color(no_color: bool, stream) -> bool:
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return stream.isatty()


def _split_ids(value) -> list | None:
    if not value:
        return None
    out = []
    for v in value:
        out.extend(s.strip() for s in v.split(",") if s.strip())
    return out


def _list_rules(rules, fmt: str) -> str:
    if fmt == "json":
        import json

        from followup_lint.language.needs import rule_needs

        return (
            json.dumps(
                [
                    {
                        "id": r.id,
                        "title": r.title,
                        "severity": r.severity,
                        "weight": r.weight,
                        "type": r.type,
                        "regions": list(r.regions),
                        "applies_to": list(r.applies_to),
                        "pack": r.pack,
                        "options": r.options,
                        "needs": sorted(rule_needs(r)),
                    }
                    for r in rules
                ],
                indent=2,
            )
            + "\n"
        )
    width = max(len(r.id) for r in rules) if rules else 10
    return "".join(f"{r.id:<{width}}  {r.severity:<7}  {r.title}\n" for r in rules)


def _read_stdin(name: str, max_bytes: int) -> bytes:
    """The draft piped in on -, at most one byte over the limit (so it can be refused)."""
    from followup_lint.model.draft import DraftError

    if sys.stdin is None:  # started with stdin closed (`<&-`), not an empty pipe
        raise DraftError(
            name,
            "stdin is closed, so - has nothing to read; "
            "pipe a draft in (`followup-lint - < draft.txt`) or name the file",
        )
    try:
        # In chunks: read(n) allocates n bytes up front, and the limit may be 50 GB.
        chunks, size = [], 0
        while size <= max_bytes:
            chunk = sys.stdin.buffer.read(min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise DraftError(name, f"cannot read stdin: {exc.strerror or exc}") from None


def _run_fixes(o: LintOptions, session: Session, file_paths, reports=()) -> bool:
    """--fix / --diff. Files are fixed in place and the run goes on to report what is left;
    --diff prints what would change and exits (1 if anything would); a draft read from -
    comes back fixed on stdout, as a formatter would give it."""
    from followup_lint.run.fixing import fix_bytes, fix_file

    unsafe, preview = o.unsafe_fixes, o.diff

    def show_diff(out):
        click.echo(unified_diff(out.before, out.after, out.path, escape=sys.stdout.isatty()), nl=False)

    outcomes = []
    with setup_errors_fail():
        if "-" in o.paths:
            name = o.stdin_filename or "<stdin>"
            cfg = session.config_for(o.stdin_path)
            try:
                data = _read_stdin(name, cfg.max_file_size)
            except DraftError as exc:
                _fail(str(exc))
            out = fix_bytes(session.linter_for(cfg), data, name, unsafe)
            if preview:
                if out.changed:
                    show_diff(out)
            else:
                sys.stdout.buffer.write(out.data if out.changed else data)
                sys.stdout.flush()
            outcomes.append(out)
        for p in file_paths:
            out = fix_file(session.linter_at(p), p, str(p), unsafe, write=not preview, read_only=o.fix_readonly)
            if preview and out.changed:
                show_diff(out)
            outcomes.append(out)
    for out in outcomes:
        if out.refused:
            click.echo(printable(f"followup-lint: {out.path}: not fixed: {out.refused}"), err=True)
        if out.write_error:
            click.echo(printable(f"followup-lint: {out.write_error}"), err=True)
    # --fix goes on to lint, which reports unreadable drafts; --diff and - end here, so say it now.
    errors = [str(r.error) for r in reports] + [out.error for out in outcomes if out.error]
    if preview or "-" in o.paths:
        for error in errors:
            click.echo(printable(error), err=True)
    changed = [out for out in outcomes if out.changed]
    applied, more = sum(out.applied for out in changed), sum(out.unsafe_left for out in outcomes)
    summary = f"{'Would fix' if preview else 'Fixed'} {applied} finding{'s' if applied != 1 else ''} in {len(changed)} file{'s' if len(changed) != 1 else ''}"
    click.echo(summary + (f"; {more} more with --unsafe-fixes." if more else "."), err=True)
    if (preview or "-" in o.paths) and errors:
        sys.exit(EXIT_ERROR)
    if preview:
        sys.exit(EXIT_FINDINGS if changed else EXIT_OK)
    if "-" in o.paths:
        sys.exit(EXIT_OK)
    return any(out.write_error for out in outcomes)


def _diff_name(path: str) -> str:
    """The name a diff header gives a file: relative to the working folder when it is below
    it, else the path without its leading slash (as `git diff --no-index` does)."""
    if os.path.isabs(path):
        try:
            rel = os.path.relpath(path)
        except ValueError:  # another drive (Windows)
            rel = path
        path = rel if not rel.startswith(os.pardir) else path
    return Path(path).as_posix().lstrip("/")


def unified_diff(before: str, after: str, path: str, escape: bool = False) -> str:
    """--diff's text for one file: `--- a/NAME`, `+++ b/NAME`, hunks, and the conventional
    `\\ No newline at end of file` after a last line without one, so what follows (the
    next file, the summary) never runs into it. On a terminal (`escape`) control characters
    are shown escaped; into a pipe or a file the lines stay exact, for `patch`."""
    import difflib

    name = printable(_diff_name(path))
    out = []
    for line in difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{name}", f"b/{name}"
    ):
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        if escape and not line.startswith(("---", "+++", "@@")):
            body = line[0] + printable(body[1:], keep="\t")
        if ending:
            out.append(body + ending)
        else:
            out.append(body + "\n\\ No newline at end of file\n")
    return "".join(out)


def _collect(paths, session: Session, force_exclude: bool = False) -> tuple[list, list]:
    """Expand paths to (draft files as str, error reports). Directories are walked
    recursively; a file named outright is linted even if `exclude:` matches it, unless
    force_exclude (pre-commit names every staged file, so its hooks pass --force-exclude).
    Paths are kept as str, which is also how they are shown: a run holds its list for its
    whole length, and a Path costs about six times the memory (4 MB at 10,000 drafts)."""
    from followup_lint.read.discovery import walk

    files, errors = [], []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            with setup_errors_fail():
                cfg = session.config_for(p)
            problems: list = []
            found = walk(p, excluded=cfg.excluded, problems=problems)
            errors.extend(FileReport(path=where, error=Problem(where, None, why)) for where, why in problems)
            if not found and not problems:
                errors.append(
                    FileReport(
                        path=raw, error=Problem(raw, None, "no drafts (.txt, .md, .eml) found in this directory")
                    )
                )
            files.extend(map(str, found))
        elif not os.path.lexists(p):  # a broken or looping symlink is read, and says so
            errors.append(FileReport(path=raw, error=Problem(raw, None, "no such file or directory")))
        elif force_exclude and _excluded(session, p):
            continue
        else:
            files.append(str(p))
    return files, errors


def _excluded(session: Session, path) -> bool:
    with setup_errors_fail():
        return session.config_for(path).excluded(Path(path))


CONTEXT_OPTIONS = [
    click.option(
        "--kind", type=click.Choice(KINDS), help="What kind of follow-up the draft is (overrides front matter)."
    ),
    click.option("--setting", type=click.Choice(SETTINGS), help="The interview's setting (overrides front matter)."),
    click.option("--interview-date", metavar="DATE", help="When the interview was (YYYY-MM-DD or e.g. 'Nov 3, 2026')."),
    click.option("--reply-promised-by", metavar="DATE", help="The date by which they said you would hear back."),
    click.option(
        "--send-date",
        metavar="DATE",
        help="When the draft will be sent (default: front matter, the .eml Date, else today).",
    ),
    click.option("--today", metavar="DATE", help="Pin today's date, for reproducible runs of timing rules."),
]


def _context_flags(kind, setting, interview_date, reply_promised_by, send_date, today):
    """(overrides, today) from the context flags; a bad date is a usage error naming the flag."""
    if interview_date is None and reply_promised_by is None and send_date is None and today is None:
        return {
            "kind": kind,
            "setting": setting,
            "interview_date": None,
            "reply_promised_by": None,
            "send_date": None,
        }, None
    from followup_lint.model.context import ContextError, parse_date

    try:
        overrides = {
            "kind": kind,
            "setting": setting,
            "interview_date": parse_date(interview_date, "--interview-date"),
            "reply_promised_by": parse_date(reply_promised_by, "--reply-promised-by"),
            "send_date": parse_date(send_date, "--send-date"),
        }
        return overrides, parse_date(today, "--today")
    except ContextError as exc:
        _fail(str(exc))


def _with(options):
    def deco(f):
        for opt in reversed(options):
            f = opt(f)
        return f

    return deco


class _LintCommand(click.Command):
    """The lint command, whose --help ends with every subcommand, one line each (read from
    SUBCOMMANDS, so a new subcommand shows up without editing this)."""

    def format_epilog(self, ctx, formatter):
        rows = [
            (f"{name} {_USAGE.get(name, '')}".rstrip(), cmd().get_short_help_str(limit=300))
            for name, cmd in SUBCOMMANDS.items()
        ]
        with formatter.section("Commands (followup-lint COMMAND --help for each)"):
            formatter.write_dl(rows)
        formatter.write_paragraph()
        formatter.write_text("A draft named like a command is reached as ./eval or after --.")


_USAGE = {"eval": "DIR", "schedule": "[DRAFT]", "rules": "test|new|schema|packs", "serve": "[FOLDER]"}


@click.command(cls=_LintCommand, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path(readable=False))  # unreadable: reported per file
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif", "github"]),
    default="text",
    show_default=True,
    help="Output format: sarif for code scanning, github for annotations in GitHub Actions.",
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Instead of the findings, count them per rule across all drafts (text or --format json).",
)
@click.option("--select", multiple=True, help="Only these rules (comma-separated ids; a pack name selects its rules).")
@click.option("--ignore", multiple=True, help="Skip these rules (comma-separated ids).")
@click.option("--explain", metavar="RULE", help="Explain a rule: why, how to fix, examples.")
@click.option("--list-rules", is_flag=True, help="List the rules (use --format json for JSON).")
@click.option("--verbose", is_flag=True, help="With --explain, also show the language-model pipeline the rule needs.")
@click.option("--fail-under", type=click.FloatRange(0, 100), help="Exit 1 when a draft scores below this.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even with findings (2 still means an error).")
@click.option(
    "--fail-on",
    type=click.Choice(["finding", "score"]),
    default="finding",
    show_default=True,
    help=f"finding: exit 1 on a warning/error or a score under --fail-under; score: only on the score "
    f"(--fail-under, else the config's fail-under, else {SCORE_GATE_DEFAULT}).",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    help="Where to cache results (default: FOLLOWUP_LINT_CACHE_DIR, else the user cache folder).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=None,
    help="Worker processes for large runs (default: one per core from 150 drafts up, else 1).",
)
@click.option("--no-cache", is_flag=True, help="Lint every draft afresh; read and write no cache.")
@click.option(
    "--output-file",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the report here instead of stdout.",
)
@click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), help="Use this config file instead of discovering one."
)
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply the config's exclude: to files named on the command line too (the pre-commit hooks pass it).",
)
@click.option("--stdin-filename", help="Path to report (and find config for) when reading the draft from -.")
@click.option("--no-color", is_flag=True, help="No colour (also NO_COLOR=1).")
@click.option("--quiet", "-q", is_flag=True, help="Only the finding lines: no source, notes, scores or summary.")
@click.option(
    "--fix",
    is_flag=True,
    help="Apply safe fixes (word swaps that keep the meaning) to the files, then report what is left.",
)
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="With --fix or --diff, also delete offending sentences and add missing thank-you or interest sentences.",
)
@click.option(
    "--fix-readonly",
    is_flag=True,
    help="With --fix, also rewrite drafts whose permissions make them read-only (skipped with a note otherwise).",
)
@click.option(
    "--diff", is_flag=True, help="Print the fixes as a unified diff instead of writing them; exit 1 if there are any."
)
@_with(CONTEXT_OPTIONS)
@click.version_option(__version__, "--version", prog_name="followup-lint")
def lint_command(**flags):
    """Lint job-interview follow-up email drafts (.txt, .md, .eml, or - for stdin)."""
    started = time.perf_counter()
    startup: dict = {}
    if os.environ.get("FOLLOWUP_LINT_STAGES"):
        since = _since_process_start()
        if since is not None:  # process start -> now, split at the end of this module's imports
            startup["start:imports"] = since  # the interpreter and our imports
            started -= since
    o = LintOptions(**flags)
    before = time.perf_counter()
    session = _session(o)
    startup["start:rules"] = time.perf_counter() - before
    if o.explain or o.list_rules:
        _print_rules(o, session)
        return
    if o.statistics and o.fmt not in ("text", "json"):
        _fail("--statistics prints text or JSON; drop --format sarif/github")
    if not o.paths:
        _fail("no drafts given; try `followup-lint draft.txt`, a folder, or - for stdin (see --help)")
    if o.fail_under is not None and o.fail_under != o.fail_under:
        _fail("--fail-under: nan is not a score; give a number from 0 to 100")
    if o.output_file and not os.path.isdir(os.path.dirname(os.path.abspath(o.output_file))):
        _fail(
            f"{o.output_file}: cannot write the report there: the folder {os.path.dirname(o.output_file) or '.'} does not exist"
        )
    if o.unsafe_fixes and not (o.fix or o.diff):
        _fail("--unsafe-fixes goes with --fix or --diff")
    if (
        o.force_exclude
        and "-" in o.paths
        and o.stdin_filename
        and not (o.fix or o.diff)
        and _excluded(session, o.stdin_filename)
    ):
        o.paths = tuple(p for p in o.paths if p != "-")  # as ruff does: an excluded buffer is not linted
    file_paths, reports = _collect([p for p in o.paths if p != "-"], session, o.force_exclude)
    store = _open_cache(o)
    unwritten = False
    if o.fix or o.diff:
        unwritten = _run_fixes(o, session, file_paths, reports)
    show_source = o.fmt == "text" and not o.statistics and not o.output_file and sys.stdout.isatty()
    from followup_lint.run.cache import CachedLinting

    cached = CachedLinting(store, session, need_text=show_source)
    linted = _lint(o, session, file_paths, cached)
    outcomes = _report(o, session, itertools.chain(linted, reports), file_paths, show_source)
    if os.environ.get("FOLLOWUP_LINT_STAGES"):
        _print_stages(session.linters, cached, time.perf_counter() - started, startup)
    sys.exit(EXIT_ERROR if unwritten else _exit_code(o, session, outcomes))


@dataclass
class LintOptions:
    """The lint command's flags, as click parsed them."""

    paths: tuple
    fmt: str
    statistics: bool
    select: tuple
    ignore: tuple
    explain: str | None
    list_rules: bool
    verbose: bool
    fail_under: float | None
    exit_zero: bool
    fail_on: str
    cache_dir: str | None
    jobs: int | None
    no_cache: bool
    output_file: str | None
    config_path: str | None
    force_exclude: bool
    stdin_filename: str | None
    no_color: bool
    quiet: bool
    fix: bool
    unsafe_fixes: bool
    fix_readonly: bool
    diff: bool
    kind: str | None
    setting: str | None
    interview_date: str | None
    reply_promised_by: str | None
    send_date: str | None
    today: str | None

    @property
    def stdin_path(self) -> Path:
        """Where a draft read from - finds its config."""
        return Path(self.stdin_filename or ".")


def _session(o: LintOptions) -> Session:
    """The run's session; the config and rule set of the first path are built now, so a bad
    config or rule fails before any output."""
    overrides, today = _context_flags(o.kind, o.setting, o.interview_date, o.reply_promised_by, o.send_date, o.today)
    if o.config_path and not Path(o.config_path).is_file():
        _fail(f"{o.config_path}: config file not found")
    from followup_lint.storage.cachedir import resolve_dir

    # The stored build of an unchanged config and rule packs (run/stored.py) lives in the
    # cache folder and follows its choice: none with --no-cache.
    session = Session(
        config_file=o.config_path,
        select=_split_ids(o.select),
        ignore=_split_ids(o.ignore),
        overrides=overrides,
        today=today,
        store=None if o.no_cache else resolve_dir(o.cache_dir),
    )
    start = o.stdin_filename or (o.paths[0] if o.paths and o.paths[0] != "-" else ".")
    with setup_errors_fail():
        session.ruleset_for(session.config_for(start))
    session.start = start
    return session


def _print_rules(o: LintOptions, session: Session) -> None:
    """--explain RULE and --list-rules."""
    with setup_errors_fail():
        cfg = session.config_for(session.start)
        ruleset = session.ruleset_for(cfg)
        if o.list_rules:
            click.echo(_list_rules(ruleset.rules, o.fmt), nl=False)
            return
        # An explained rule may be one that --select or the config leaves out.
        rule = ruleset.by_id.get(o.explain) or Session(config=cfg).ruleset_for(cfg).by_id.get(o.explain)
    if rule is None:
        from followup_lint.read.yamlsource import did_you_mean

        known = Session(config=cfg).ruleset_for(cfg).by_id
        _fail(f"unknown rule {o.explain!r}{did_you_mean(o.explain, known)}; see `followup-lint --list-rules`")
    from followup_lint.formats.explain import explain_rule
    from followup_lint.formats.text import terminal_width

    width = terminal_width() if sys.stdout.isatty() else None
    click.echo(explain_rule(rule, verbose=o.verbose, width=width), nl=False)


def _open_cache(o: LintOptions):
    """The results cache (None with --no-cache), its folder opened now: a folder holding
    things that are not ours is refused before any draft is touched. The syllable table
    follows the same choice."""
    from followup_lint.run import cache as cache_mod
    from followup_lint.storage import cachedir
    from followup_lint.storage.private import NotOurs

    cachedir.configure(o.cache_dir, enabled=not o.no_cache)
    if o.no_cache:
        return None
    store = cache_mod.Cache(
        cachedir.resolve_dir(o.cache_dir), warn=lambda m: click.echo(printable(f"followup-lint: {m}"), err=True)
    )
    try:
        store.open()
    except NotOurs as exc:
        _fail(str(exc))
    return store


def _lint(o: LintOptions, session: Session, file_paths, cached):
    """The reports in input order (stdin's first), each as it is ready."""
    # Progress only where a person watches it: never into a pipe, a file, or machine output.
    progress = (
        o.fmt == "text"
        and len(file_paths) >= PROGRESS_MIN_FILES
        and sys.stderr.isatty()
        and (o.output_file is not None or sys.stdout.isatty())
    )
    with setup_errors_fail():
        if "-" in o.paths:
            name = o.stdin_filename or "<stdin>"
            try:
                cfg = session.config_for(o.stdin_path)
                from followup_lint.read.draft import read_bytes

                draft = read_bytes(_read_stdin(name, cfg.max_file_size), name, max_bytes=cfg.max_file_size)
                yield session.linter_for(cfg).lint_draft(draft)
            except DraftError as exc:
                yield FileReport(path=name, error=Problem.of(exc))
        items = [(session.config_for(p), p, p) for p in file_paths]  # (config, path, shown as)
        if progress:
            from followup_lint.cli.progress import progress_bar

            with progress_bar(len(items)) as update:
                yield from cached.iter_many(items, o.jobs, progress=update)
        else:
            yield from cached.iter_many(items, o.jobs)


class _Outcome(NamedTuple):
    """What the exit code needs of a run's reports (common.exit_code reads these): the first
    error, whether any report failed, the lowest score. One for the whole run, so a run of
    10,000 drafts does not keep 10,000 of them."""

    error: object = None
    failed: bool = False
    score: int | None = None

    def add(self, report) -> _Outcome:
        low = min((s for s in (self.score, report.score) if s is not None), default=None)
        return _Outcome(self.error if self.error is not None else report.error, self.failed or report.failed, low)


# The report of a streamed run is kept in memory up to this size, then in an unnamed
# temporary file, and written out when the run is done (a failed run prints nothing).
REPORT_SPOOL = 1024 * 1024


def _report(o: LintOptions, session: Session, reports, file_paths, show_source: bool) -> list:
    """Write the report of `reports` (an iterable, consumed here); return what the exit code
    needs of them (the reports, or one _Outcome for a streamed run). text, JSON and GitHub
    reports are written a draft at a time and the reports let go (memory stays flat however
    many drafts a run lints); SARIF and --statistics are made from the whole list."""
    from followup_lint.formats import STREAMED, render, writer

    color = not o.output_file and o.fmt == "text" and _use_color(o.no_color, sys.stdout)
    if o.fmt in STREAMED and not o.statistics:
        import tempfile

        outcome, errors = _Outcome(), []
        with tempfile.SpooledTemporaryFile(REPORT_SPOOL) as spool:
            out = writer(
                o.fmt,
                lambda text: spool.write(_output_bytes(text, o.fmt)),
                show_source=show_source,
                color=color,
                quiet=o.quiet,
            )
            for r in reports:
                out.add(r)
                outcome = outcome.add(r)
                if r.error is not None and o.fmt != "text":
                    errors.append(printable(str(r.error)))
            out.finish()
            spool.seek(0)
            _emit(o, spool)
        for error in errors:
            click.echo(error, err=True)
        return [outcome]
    results = list(reports)
    if o.statistics:
        from followup_lint.formats.statistics import render as render_statistics

        text = render_statistics(results, fmt=o.fmt)
    else:
        configs = {id(c): c for c in [session.config_for(session.start), *map(session.config_for, file_paths)]}
        in_effect = [r for c in configs.values() for r in session.ruleset_for(c).rules]  # SARIF describes them
        text = render(o.fmt, results, show_source=show_source, color=color, quiet=o.quiet, rules=in_effect)
    data = _output_bytes(text, o.fmt if not o.statistics else "text" if o.fmt == "text" else "json")
    _emit(o, io.BytesIO(data))
    if o.fmt != "text" or o.statistics:
        for r in results:
            if r.error is not None:
                click.echo(printable(str(r.error)), err=True)
    return results


def _emit(o: LintOptions, report) -> None:
    """Copy the finished report (a binary file) to --output-file or stdout."""
    if o.output_file:
        try:
            with open(o.output_file, "wb") as fh:
                shutil.copyfileobj(report, fh)
        except OSError as exc:
            _fail(f"{o.output_file}: cannot write the report ({exc.strerror or exc})")
    else:
        while block := report.read(1024 * 1024):
            click.echo(block, nl=False)


_output_bytes = output_bytes  # in cli/common.py: the cache-hit front path writes the same bytes


def _exit_code(o: LintOptions, session: Session, results) -> int:
    fail_under = session.config_for(session.start).fail_under
    return exit_code(results, o.exit_zero, o.fail_on, o.fail_under, fail_under)


@click.command(
    "eval",
    short_help="Score the rules against a labelled corpus (precision, recall, F1).",
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--select", multiple=True, help="Only these rules.")
@click.option("--ignore", multiple=True, help="Skip these rules.")
@click.option("--verbose", "-v", is_flag=True, help="List each false positive and missed draft.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Config file (default: none, the built-in defaults).",
)
def eval_command(directory, fmt, select, ignore, verbose, config_path):
    """Score the rules against a labelled corpus (DIR/labels.yaml): per-rule precision,
    recall and F1, macro F1, and the Spearman correlation of score with quality."""
    import json

    from followup_lint.rulefiles.config import Config
    from followup_lint.run.evaluate import EvalError, evaluate, render_text
    from followup_lint.run.session import SETUP_ERRORS

    cfg = _load_config(config_path, Path(directory)) if config_path else Config()
    try:
        linter = Session(config=cfg, select=_split_ids(select), ignore=_split_ids(ignore)).linter_for(cfg)
        result = evaluate(Path(directory), linter)
    except (EvalError, *SETUP_ERRORS) as exc:
        _fail(str(exc))
    if fmt == "json":
        click.echo(json.dumps(result, indent=2))
    else:
        click.echo(render_text(result, verbose), nl=False)
    sys.exit(EXIT_ERROR if result["errors"] else EXIT_OK)


@click.command(
    "schedule",
    short_help="When to send the thank-you and the check-in; whether a draft is too early.",
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.argument("draft", required=False, type=click.Path(readable=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), help="Config file (for wait_days/max_days overrides)."
)
@_with(CONTEXT_OPTIONS[2:])
def schedule_command(draft, fmt, config_path, interview_date, reply_promised_by, send_date, today):
    """When to send the thank-you and the earliest check-in, and what the check-in should
    contain. Give --interview-date (and --reply-promised-by if they named a date), or a
    DRAFT whose front matter has them: then it also says whether the draft is too early
    (for a draft that does not state its kind, the kind the lint infers from its text)."""
    import json

    from followup_lint.engine.schedule import plan, render_text
    from followup_lint.model import context as context_mod
    from followup_lint.model.draft import DraftError
    from followup_lint.read.draft import read_path
    from followup_lint.run.session import SETUP_ERRORS

    overrides, today = _context_flags(None, None, interview_date, reply_promised_by, send_date, today)
    cfg = _load_config(config_path, Path(draft or "."))
    session = Session(config=cfg, overrides=overrides, today=today)
    try:
        if draft:
            try:
                d = read_path(draft, max_bytes=cfg.max_file_size)
            except DraftError as exc:
                _fail(str(exc))
            # The draft's kind as the lint sees it (stated, else inferred from the text):
            # this loads spaCy, which a schedule without a draft never does.
            ctx, _, _ = session.linter_for(cfg).context(d)
        else:
            ctx = context_mod.build({}, overrides, cfg.defaults, today=today, working_days=cfg.working_days)
        rules = session.ruleset_for(cfg).by_id
    except context_mod.ContextError as exc:
        _fail(f"{draft}: {exc}" if draft else str(exc))
    except SETUP_ERRORS as exc:
        _fail(str(exc))
    if ctx.interview_date is None and ctx.reply_promised_by is None:
        _fail("give --interview-date (or a draft whose front matter has interview_date)")
    result = plan(ctx, rules, draft_path=draft)
    click.echo(json.dumps(result.to_dict(), indent=2) if fmt == "json" else render_text(result), nl=fmt == "json")
    if draft and result.draft.get("days_early", 0) > 0:
        sys.exit(EXIT_FINDINGS)


@click.command(
    "lsp",
    short_help="Run the language server for editors (diagnostics, hover, quick fixes).",
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--stdio", is_flag=True, help="Talk LSP over stdin/stdout (the default; accepted because editors pass it)."
)
@click.option("--log-file", type=click.Path(dir_okay=False), help="Append the server's log to this file.")
def lsp_command(stdio, log_file):
    """Run the language server: diagnostics as you type, explanations on hover and quick
    fixes, for text, Markdown and email buffers. See the README for editor set-up."""
    try:
        from followup_lint.lsp.server import serve
    except ImportError as exc:
        _fail(f"the language server needs the 'lsp' extra ({exc.name} is missing): pip install 'followup-lint[lsp]'")
    serve(log_file=log_file)


def _rules_group():
    from followup_lint.cli.rules import rules_group

    return rules_group


def _serve_command():
    from followup_lint.serve.command import serve_command  # click only; the web stack loads when it runs

    return serve_command


SUBCOMMANDS = {
    "eval": lambda: eval_command,
    "schedule": lambda: schedule_command,
    "lsp": lambda: lsp_command,
    "rules": _rules_group,
    "serve": _serve_command,
}  # built on demand: a lint run imports none


def main(argv: list | None = None) -> None:
    from followup_lint.run import workers

    workers.mark_load()  # `--jobs` auto measures how busy the cores are from here
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in SUBCOMMANDS:
        SUBCOMMANDS[argv[0]]().main(argv[1:], prog_name=f"followup-lint {argv[0]}")
    else:
        lint_command.main(argv, prog_name="followup-lint")
