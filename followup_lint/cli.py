"""Command line: `followup-lint [OPTIONS] [PATHS]...` and `followup-lint eval DIR`.

The first argument picks a subcommand only when it is exactly a subcommand's name; a draft
file named like one is reached as `./eval` or after `--` (`followup-lint -- eval`).
Exit codes: 2 for any input or usage error; else 1 if a file has a warning/error finding
or scores under --fail-under; else 0. --exit-zero gives 0 unless 2.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from . import __version__

from .clitools import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK  # noqa: F401 (re-exported)
from .clitools import fail as _fail, load_config as _load_config
# --fail-on score without --fail-under or a config's fail-under: below this a draft's
# verdict is "rewrite".
SCORE_GATE_DEFAULT = 60
PROGRESS_MIN_FILES = 10


def _print_stages(linters, cached, total: float) -> None:
    """FOLLOWUP_LINT_STAGES=1: where the time went (bench/run.py prints this split)."""
    stages: dict = {}
    for source in [*(l.stages for l in linters), getattr(cached, "stages", {})]:
        for k, v in source.items():
            stages[k] = stages.get(k, 0.0) + v
    accounted = sum(stages.values())
    for name, secs in sorted(stages.items(), key=lambda kv: -kv[1]):
        click.echo(f"stage {name:<16} {secs:8.3f}s", err=True)
    click.echo(f"stage {'other':<16} {max(total - accounted, 0):8.3f}s  (start-up, reading, cache, report)", err=True)


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


def _explain(rule) -> str:
    lines = [f"{rule.id}: {rule.title}", "",
             f"Severity: {rule.severity} · weight {rule.weight} · type {rule.type} · region {', '.join(rule.regions)}",
             f"Applies to: {', '.join(rule.applies_to)}" + (f" · settings: {', '.join(rule.settings)}" if len(rule.settings) < 4 else ""),
             "", "Why it matters", f"  {rule.rationale}"]
    if rule.source:
        lines.append(f"  Source: {rule.source}")
    if rule.suggestion:
        lines += ["", "How to fix", f"  {rule.suggestion}"]
    from .needs import rule_needs

    needs = sorted(rule_needs(rule))
    lines += ["", f"Pipeline: {', '.join(needs) if needs else 'none (no language model needed)'}"]
    if rule.options:
        lines += ["", "Options (set under `rules:` in config)"] + [f"  {k}: {v}" for k, v in rule.options.items()]
    for title, key in (("Fires on", "fires"), ("Passes", "passes")):
        lines += ["", title]
        for ex in rule.examples.get(key, [])[:4]:
            text = ex if isinstance(ex, str) else ex["text"]
            lines.append("  - " + " ".join(text.split())[:160])
    return "\n".join(lines) + "\n"


def _list_rules(rules, fmt: str) -> str:
    if fmt == "json":
        import json

        from .needs import rule_needs

        return json.dumps([{"id": r.id, "title": r.title, "severity": r.severity, "weight": r.weight,
                            "type": r.type, "regions": list(r.regions), "applies_to": list(r.applies_to),
                            "pack": r.pack, "options": r.options, "needs": sorted(rule_needs(r))}
                           for r in rules], indent=2) + "\n"
    width = max(len(r.id) for r in rules) if rules else 10
    return "".join(f"{r.id:<{width}}  {r.severity:<7}  {r.title}\n" for r in rules)


def _read_stdin(name: str, max_bytes: int) -> bytes:
    """The draft piped in on -, at most one byte over the limit (so it can be refused)."""
    from .draft import DraftError

    if sys.stdin is None:  # started with stdin closed (`<&-`), not an empty pipe
        raise DraftError(name, "stdin is closed, so - has nothing to read; "
                               "pipe a draft in (`followup-lint - < draft.txt`) or name the file")
    try:
        return sys.stdin.buffer.read(max_bytes + 1)
    except OSError as exc:
        raise DraftError(name, f"cannot read stdin: {exc.strerror or exc}") from None


def _run_fixes(paths, file_paths, linter_for, cfg_for, stdin_filename, unsafe, preview, reports=()) -> None:
    """--fix / --diff. Files are fixed in place and the run goes on to report what is left;
    --diff prints what would change and exits (1 if anything would); a draft read from -
    comes back fixed on stdout, as a formatter would give it."""
    import difflib

    from .draft import DraftError
    from .fixes import fix_bytes, fix_file

    def show_diff(out):
        before, after = out.before.splitlines(keepends=True), out.after.splitlines(keepends=True)
        for line in difflib.unified_diff(before, after, f"a/{out.path}", f"b/{out.path}"):
            click.echo(line if line.endswith(("\n", "\r")) else line + "\n", nl=False)

    outcomes = []
    if "-" in paths:
        name = stdin_filename or "<stdin>"
        try:
            data = _read_stdin(name, cfg_for(Path(stdin_filename or ".")).max_file_size)
        except DraftError as exc:
            _fail(str(exc))
        out = fix_bytes(linter_for(cfg_for(Path(stdin_filename or "."))), data, name, unsafe)
        if preview:
            if out.changed:
                show_diff(out)
        else:
            sys.stdout.buffer.write(out.data if out.changed else data)
            sys.stdout.flush()
        outcomes.append(out)
    for p in file_paths:
        out = fix_file(linter_for(cfg_for(p)), p, str(p), unsafe, write=not preview)
        if preview and out.changed:
            show_diff(out)
        outcomes.append(out)
    for out in outcomes:
        if out.refused:
            click.echo(f"followup-lint: {out.path}: not fixed: {out.refused}", err=True)
    # --fix goes on to lint, which reports unreadable drafts; --diff and - end here, so say it now.
    errors = [r.error for r in reports] + [o.error for o in outcomes if o.error]
    if preview or "-" in paths:
        for error in errors:
            click.echo(error, err=True)
    changed = [o for o in outcomes if o.changed]
    applied, more = sum(o.applied for o in changed), sum(o.unsafe_left for o in outcomes)
    summary = f"{'Would fix' if preview else 'Fixed'} {applied} finding{'s' if applied != 1 else ''} in {len(changed)} file{'s' if len(changed) != 1 else ''}"
    click.echo(summary + (f"; {more} more with --unsafe-fixes." if more else "."), err=True)
    if (preview or "-" in paths) and errors:
        sys.exit(EXIT_ERROR)
    if preview:
        sys.exit(EXIT_FINDINGS if changed else EXIT_OK)
    if "-" in paths:
        sys.exit(EXIT_OK)


def _collect(paths, cfg_for) -> tuple[list, list]:
    """Expand paths to (draft files, error reports). Directories are walked recursively."""
    from .discovery import walk
    from .findings import FileReport

    files, errors = [], []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            cfg = cfg_for(p)
            problems: list = []
            found = walk(p, excluded=cfg.excluded, problems=problems)
            errors.extend(FileReport(path=where, error=f"{where}: {why}") for where, why in problems)
            if not found and not problems:
                errors.append(FileReport(path=raw, error=f"{raw}: no drafts (.txt, .md, .eml) found in this directory"))
            files.extend(found)
        elif not os.path.lexists(p):  # a broken or looping symlink is read, and says so
            errors.append(FileReport(path=raw, error=f"{raw}: no such file or directory"))
        else:
            files.append(p)
    return files, errors


CONTEXT_OPTIONS = [
    click.option("--kind", type=click.Choice(["thank-you", "check-in", "offer-update", "unknown"]), help="What kind of follow-up the draft is (overrides front matter)."),
    click.option("--setting", type=click.Choice(["corporate", "startup", "creative", "unknown"]), help="The interview's setting (overrides front matter)."),
    click.option("--interview-date", metavar="DATE", help="When the interview was (YYYY-MM-DD or e.g. 'Nov 3, 2026')."),
    click.option("--reply-promised-by", metavar="DATE", help="The date by which they said you would hear back."),
    click.option("--send-date", metavar="DATE", help="When the draft will be sent (default: front matter, the .eml Date, else today)."),
    click.option("--today", metavar="DATE", help="Pin today's date, for reproducible runs of timing rules."),
]


def _context_flags(kind, setting, interview_date, reply_promised_by, send_date, today):
    """(overrides, today) from the context flags; a bad date is a usage error naming the flag."""
    from .context import ContextError, parse_date

    try:
        overrides = {"kind": kind, "setting": setting, "interview_date": parse_date(interview_date, "--interview-date"),
                     "reply_promised_by": parse_date(reply_promised_by, "--reply-promised-by"),
                     "send_date": parse_date(send_date, "--send-date")}
        return overrides, parse_date(today, "--today")
    except ContextError as exc:
        _fail(str(exc))


def _with(options):
    def deco(f):
        for opt in reversed(options):
            f = opt(f)
        return f
    return deco


@click.command(context_settings={"help_option_names": ["-h", "--help"]},
               epilog="Subcommands: `followup-lint eval DIR` scores the rules against a labelled corpus; "
                      "`followup-lint rules test|new|schema|packs` writes and tests your own rules; "
                      "`followup-lint serve [FOLDER]` checks drafts in your browser. "
                      "A draft named like a subcommand is reached as ./eval or after --.")
@click.argument("paths", nargs=-1, type=click.Path(readable=False))  # unreadable: reported per file
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text", show_default=True,
              help="Output format: sarif for code scanning, github for annotations in GitHub Actions.")
@click.option("--statistics", is_flag=True, help="Instead of the findings, count them per rule across all drafts (text or --format json).")
@click.option("--select", multiple=True, help="Only these rules (comma-separated ids; a pack name selects its rules).")
@click.option("--ignore", multiple=True, help="Skip these rules (comma-separated ids).")
@click.option("--explain", metavar="RULE", help="Explain a rule: why, how to fix, examples.")
@click.option("--list-rules", is_flag=True, help="List the rules (use --format json for JSON).")
@click.option("--fail-under", type=click.FloatRange(0, 100), help="Exit 1 when a draft scores below this.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even with findings (2 still means an error).")
@click.option("--fail-on", type=click.Choice(["finding", "score"]), default="finding", show_default=True,
              help=f"finding: exit 1 on a warning/error or a score under --fail-under; score: only on the score "
                   f"(--fail-under, else the config's fail-under, else {SCORE_GATE_DEFAULT}).")
@click.option("--cache-dir", type=click.Path(file_okay=False), help="Where to cache results (default: FOLLOWUP_LINT_CACHE_DIR, else the user cache folder).")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Worker processes for large runs (default: one per core from 150 drafts up, else 1).")
@click.option("--no-cache", is_flag=True, help="Lint every draft afresh; read and write no cache.")
@click.option("--output-file", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the report here instead of stdout.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Use this config file instead of discovering one.")
@click.option("--stdin-filename", help="Path to report (and find config for) when reading the draft from -.")
@click.option("--no-color", is_flag=True, help="No colour (also NO_COLOR=1).")
@click.option("--quiet", "-q", is_flag=True, help="Only the finding lines: no source, notes, scores or summary.")
@click.option("--fix", is_flag=True, help="Apply safe fixes (word swaps that keep the meaning) to the files, then report what is left.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also delete offending sentences and add missing thank-you or interest sentences.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff instead of writing them; exit 1 if there are any.")
@_with(CONTEXT_OPTIONS)
@click.version_option(__version__, "--version", prog_name="followup-lint")
def lint_command(paths, fmt, statistics, select, ignore, explain, list_rules, fail_under, exit_zero, fail_on,
                 cache_dir, jobs, no_cache, output_file, config_path, stdin_filename, no_color, quiet, fix, unsafe_fixes, diff, kind, setting, interview_date, reply_promised_by,
                 send_date, today):
    """Lint job-interview follow-up email drafts (.txt, .md, .eml, or - for stdin)."""
    started = time.perf_counter()
    from . import config as config_mod
    from .rulepack import RuleError

    select_ids, ignore_ids = _split_ids(select), _split_ids(ignore)
    start = Path(stdin_filename or (paths[0] if paths and paths[0] != "-" else "."))
    cfg = _load_config(config_path, start)
    try:
        ruleset = config_mod.build_ruleset(cfg, select_ids, ignore_ids)
    except (config_mod.ConfigError, RuleError) as exc:
        _fail(str(exc))

    if explain:
        rule = ruleset.by_id.get(explain) or next((r for r in config_mod.build_ruleset(cfg).rules if r.id == explain), None)
        if rule is None:
            _fail(f"unknown rule {explain!r}; see `followup-lint --list-rules`")
        click.echo(_explain(rule), nl=False)
        return
    if list_rules:
        click.echo(_list_rules(ruleset.rules, fmt), nl=False)
        return
    if statistics and fmt not in ("text", "json"):
        _fail("--statistics prints text or JSON; drop --format sarif/github")
    if not paths:
        _fail("no drafts given; try `followup-lint draft.txt`, a folder, or - for stdin (see --help)")

    configs: dict = {}

    def cfg_for(p: Path):
        if config_path:
            return cfg
        found = config_mod.discover(p)
        key = str(found)
        if key not in configs:
            try:
                configs[key] = config_mod.load(found)
            except config_mod.ConfigError as exc:
                _fail(str(exc))
        return configs[key]

    file_paths, reports = _collect([p for p in paths if p != "-"], cfg_for)
    from .api import Linter
    from .draft import DraftError, read_bytes
    from .nlp import ModelMissing

    overrides, today = _context_flags(kind, setting, interview_date, reply_promised_by, send_date, today)
    linters: dict = {}

    def linter_for(c):
        if id(c) not in linters:
            try:
                linters[id(c)] = Linter(c, select_ids, ignore_ids, overrides, today=today)
            except ModelMissing as exc:
                _fail(str(exc))
            except (config_mod.ConfigError, RuleError) as exc:
                _fail(str(exc))
        return linters[id(c)]

    from .findings import FileReport

    if unsafe_fixes and not (fix or diff):
        _fail("--unsafe-fixes goes with --fix or --diff")
    if fix or diff:
        _run_fixes(paths, file_paths, linter_for, cfg_for, stdin_filename, unsafe_fixes, diff, reports)

    from . import cache as cache_mod

    rulesets: dict = {id(cfg): ruleset.rules}

    def rules_for(c):
        if id(c) not in rulesets:
            try:
                rulesets[id(c)] = config_mod.build_ruleset(c, select_ids, ignore_ids).rules
            except (config_mod.ConfigError, RuleError) as exc:
                _fail(str(exc))
        return rulesets[id(c)]

    stream_is_file = output_file is not None
    show_source = fmt == "text" and not statistics and not stream_is_file and sys.stdout.isatty()
    store = None if no_cache else cache_mod.Cache(cache_mod.resolve_dir(cache_dir),
                                                  warn=lambda m: click.echo(f"followup-lint: {m}", err=True))
    cached = cache_mod.CachedLinting(store, linter_for, rules_for, overrides, today, need_text=show_source)
    # Progress only where a person watches it: never into a pipe, a file, or machine output.
    progress = (fmt == "text" and len(file_paths) >= PROGRESS_MIN_FILES and sys.stderr.isatty()
                and (stream_is_file or sys.stdout.isatty()))

    results = []
    try:
        if "-" in paths:
            name = stdin_filename or "<stdin>"
            try:
                limit = cfg_for(Path(stdin_filename or ".")).max_file_size
                draft = read_bytes(_read_stdin(name, limit), name, max_bytes=limit)
                results.append(linter_for(cfg_for(Path(stdin_filename or "."))).lint_draft(draft))
            except DraftError as exc:
                results.append(FileReport(path=name, error=str(exc)))
        items = [(cfg_for(p), p, str(p)) for p in file_paths]
        init = (select_ids, ignore_ids, overrides, today, config_path)
        if progress:
            with click.progressbar(length=len(items), label="Linting", file=sys.stderr) as bar:
                results.extend(cached.lint_many(items, jobs, init, progress=bar.update))
        else:
            results.extend(cached.lint_many(items, jobs, init))
    except RuleError as exc:  # a pattern that only fails when compiled against the pipeline
        _fail(str(exc))
    results.extend(reports)

    from .formats import render

    color = not stream_is_file and fmt == "text" and _use_color(no_color, sys.stdout)
    if statistics:
        from .formats.statistics import render as render_statistics

        text = render_statistics(results, fmt=fmt)
    else:
        used = {id(c): c for c in map(cfg_for, file_paths)}
        in_effect = [r for c in (cfg, *used.values()) for r in rules_for(c)]  # SARIF describes them
        text = render(fmt, results, show_source=show_source, color=color, quiet=quiet, rules=in_effect)
    if output_file:
        Path(output_file).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    if os.environ.get("FOLLOWUP_LINT_STAGES"):
        _print_stages(linters.values(), cached, time.perf_counter() - started)
    if fmt != "text" or statistics:
        for r in results:
            if r.error is not None:
                click.echo(r.error, err=True)

    threshold = fail_under if fail_under is not None else cfg.fail_under
    if any(r.error is not None for r in results):
        sys.exit(EXIT_ERROR)
    if exit_zero:
        sys.exit(EXIT_OK)
    failed = fail_on == "finding" and any(r.failed for r in results)
    if fail_on == "score" and threshold is None:
        threshold = SCORE_GATE_DEFAULT
    if threshold is not None:
        failed = failed or any(r.score is not None and r.score < threshold for r in results)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


@click.command("eval", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--select", multiple=True, help="Only these rules.")
@click.option("--ignore", multiple=True, help="Skip these rules.")
@click.option("--verbose", "-v", is_flag=True, help="List each false positive and missed draft.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file (default: none, the built-in defaults).")
def eval_command(directory, fmt, select, ignore, verbose, config_path):
    """Score the rules against a labelled corpus (DIR/labels.yaml): per-rule precision,
    recall and F1, macro F1, and the Spearman correlation of score with quality."""
    import json

    from . import config as config_mod
    from .api import Linter
    from .evaluate import EvalError, evaluate, render_text
    from .nlp import ModelMissing
    from .rulepack import RuleError

    cfg = _load_config(config_path, Path(directory)) if config_path else config_mod.Config()
    try:
        linter = Linter(cfg, _split_ids(select), _split_ids(ignore))
        result = evaluate(Path(directory), linter)
    except (EvalError, config_mod.ConfigError, RuleError, ModelMissing) as exc:
        _fail(str(exc))
    if fmt == "json":
        click.echo(json.dumps(result, indent=2))
    else:
        click.echo(render_text(result, verbose), nl=False)
    sys.exit(EXIT_ERROR if result["errors"] else EXIT_OK)


@click.command("schedule", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("draft", required=False, type=click.Path(readable=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file (for wait_days/max_days overrides).")
@_with(CONTEXT_OPTIONS[2:])
def schedule_command(draft, fmt, config_path, interview_date, reply_promised_by, send_date, today):
    """When to send the thank-you and the earliest check-in, and what the check-in should
    contain. Give --interview-date (and --reply-promised-by if they named a date), or a
    DRAFT whose front matter has them: then it also says whether the draft is too early."""
    import json

    from . import config as config_mod
    from . import context as context_mod
    from .draft import DraftError, read_path
    from .schedule import plan, render_text

    overrides, today = _context_flags(None, None, interview_date, reply_promised_by, send_date, today)
    cfg = _load_config(config_path, Path(draft or "."))
    front, headers = {}, {}
    if draft:
        try:
            d = read_path(draft, max_bytes=cfg.max_file_size)
        except DraftError as exc:
            _fail(str(exc))
        front, headers = d.front_matter, d.headers
    try:
        ctx = context_mod.build(front, overrides, cfg.defaults, headers=headers, today=today)
        rules = config_mod.build_ruleset(cfg).by_id
    except context_mod.ContextError as exc:
        _fail(f"{draft}: {exc}" if draft else str(exc))
    except config_mod.ConfigError as exc:
        _fail(str(exc))
    if ctx.interview_date is None and ctx.reply_promised_by is None:
        _fail("give --interview-date (or a draft whose front matter has interview_date)")
    result = plan(ctx, rules, draft_path=draft)
    click.echo(json.dumps(result.to_dict(), indent=2) if fmt == "json" else render_text(result), nl=fmt == "json")
    if draft and result.draft.get("days_early", 0) > 0:
        sys.exit(EXIT_FINDINGS)


@click.command("lsp", context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--stdio", is_flag=True, help="Talk LSP over stdin/stdout (the default; accepted because editors pass it).")
@click.option("--log-file", type=click.Path(dir_okay=False), help="Append the server's log to this file.")
def lsp_command(stdio, log_file):
    """Run the language server: diagnostics as you type, explanations on hover and quick
    fixes, for text, Markdown and email buffers. See the README for editor set-up."""
    try:
        from .lsp import serve
    except ImportError as exc:
        _fail(f"the language server needs the 'lsp' extra ({exc.name} is missing): pip install 'followup-lint[lsp]'")
    serve(log_file=log_file)


from .rules_cli import rules_group  # noqa: E402  (after the commands it sits beside)
from .serve.command import serve_command  # noqa: E402  (click only; the web stack loads when it runs)

SUBCOMMANDS = {"eval": eval_command, "schedule": schedule_command, "lsp": lsp_command, "rules": rules_group,
               "serve": serve_command}


def main(argv: list | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in SUBCOMMANDS:
        SUBCOMMANDS[argv[0]].main(argv[1:], prog_name=f"followup-lint {argv[0]}")
    else:
        lint_command.main(argv, prog_name="followup-lint")
