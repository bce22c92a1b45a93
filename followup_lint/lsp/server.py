"""The language server: `followup-lint lsp` (LSP over stdin/stdout, built on pygls).

What an editor gets:
  * diagnostics for text, Markdown and email buffers on open, change and save: the same
    findings as the CLI (the server calls the same `Linter.lint_draft`), at the same places,
    with columns converted to the negotiated position encoding (UTF-16 unless the client
    asks for UTF-8 or UTF-32);
  * the draft's score as a Hint diagnostic on the first line (code `score`; turn it off with
    the setting `scoreDiagnostic: false`) and always as a `followupLint/score` notification
    `{uri, version, score, verdict, kind, findings}`;
  * hover on a finding: the rule's rationale, the better wording and the fix on offer;
  * code actions: each finding's fix (safe ones preferred, unsafe ones say so), "Ignore RULE
    for this draft" first in the config (`per-file-ignores` in the nearest .followup-lint.yaml,
    created if absent, so the email itself stays clean) and second in the draft's front matter
    (`ignore:`), and "Apply all safe fixes" (source.fixAll);
  * a `followupLint/stats` request `{lintRuns, lintSeconds, modelLoaded, openDocuments}`,
    so tests and curious users can see that edits are coalesced and where the time goes.

Scheduling: one worker thread lints one document version at a time. A change that arrives
while a lint runs replaces the version waiting for that document, so a burst of edits costs
one lint for the version in hand and one for the newest, with no fixed debounce delay.
Results for a version that has already been superseded are not published.

Settings (initializationOptions, or workspace/didChangeConfiguration under "followup-lint"):
`select` and `ignore` (rule ids, as on the command line) and `scoreDiagnostic`. The
workspace's `.followup-lint.yaml` / `pyproject.toml` is found from each draft as the CLI
finds it; open drafts are linted again when it changes (a watched-files notification, or a
check every few seconds for clients that send none).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from bisect import bisect_right
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInternalError, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path

from followup_lint import __version__
from followup_lint.engine import fixes
from followup_lint.formats.explain import explain_finding, fix_title
from followup_lint.model.draft import DraftError, line_starts
from followup_lint.read.draft import read_text, too_big
from followup_lint.rulefiles import config as config_mod
from followup_lint.run.session import SETUP_ERRORS, Session

log = logging.getLogger(__name__)

SOURCE = "followup-lint"
SCORE_NOTIFICATION = "followupLint/score"
STATS_REQUEST = "followupLint/stats"
SETTINGS_SECTION = "followup-lint"
CONFIG_POLL_SECONDS = 2.0
SEVERITY = {
    "error": lsp.DiagnosticSeverity.Error,
    "warning": lsp.DiagnosticSeverity.Warning,
    "info": lsp.DiagnosticSeverity.Information,
}
# Drafts by file extension first; an untitled buffer by its language id.
EXTENSIONS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".eml": "eml"}
LANGUAGES = {"plaintext": "txt", "text": "txt", "markdown": "md", "mail": "eml", "email": "eml", "eml": "eml"}
CONFIG_FILES = set(config_mod.CONFIG_NAMES) | {"pyproject.toml"}
FIX_ALL = "source.fixAll.followup-lint"
# Adds a rule to per-file-ignores in the config file on disk (written atomically); the
# code action uses it when the config is not open in the editor.
IGNORE_IN_CONFIG = "followup-lint.ignoreInConfig"


@dataclass(frozen=True)
class Doc:
    """One version of an open document, as the client sent it."""

    uri: str
    text: str
    version: int | None
    language_id: str
    path: str | None  # on disk; None for an untitled buffer

    @property
    def format(self) -> str | None:
        if self.path:
            fmt = EXTENSIONS.get(os.path.splitext(self.path)[1].lower())
            if fmt or os.path.splitext(self.path)[1]:
                return fmt
        return LANGUAGES.get(self.language_id.lower(), "txt" if not self.path else None)


@dataclass
class Settings:
    select: tuple | None = None
    ignore: tuple | None = None
    score_diagnostic: bool = True


@dataclass
class Result:
    """One lint of one document version, kept for hover and code actions."""

    doc: Doc
    config: tuple  # the config file's signature at lint time
    draft: object = None
    report: object = None
    rules: dict = field(default_factory=dict)
    items: list = field(default_factory=list)  # (Finding, Diagnostic)
    diagnostics: list = field(default_factory=list)  # everything published


class Positions:
    """Offsets into a text -> LSP positions, columns in the negotiated code units."""

    def __init__(self, text: str, encoding: str):
        self.text = text
        self.starts = line_starts(text)
        self.units = {
            lsp.PositionEncodingKind.Utf8: lambda s: len(s.encode("utf-8", "surrogatepass")),
            lsp.PositionEncodingKind.Utf32: len,
        }.get(encoding, lambda s: len(s.encode("utf-16-le", "surrogatepass")) // 2)

    def _line_end(self, line: int) -> int:
        if line + 1 < len(self.starts):
            end = self.starts[line + 1]
            return end - (2 if self.text[end - 2 : end] == "\r\n" else 1)
        return len(self.text)

    def position(self, offset: int) -> lsp.Position:
        line = bisect_right(self.starts, offset) - 1
        return lsp.Position(line=line, character=self.units(self.text[self.starts[line] : offset]))

    def range(self, start: int, end: int) -> lsp.Range:
        return lsp.Range(start=self.position(start), end=self.position(end))

    def line_range(self, line: int) -> lsp.Range:
        line = min(max(line, 0), len(self.starts) - 1)
        return self.range(self.starts[line], self._line_end(line))


# LSP positions are unsigned 32-bit; a client that sends -1 or 2**40 would have its request
# dropped unanswered by the message reader. They are clamped into range first.
_POSITION_MAX = 2**31 - 1
# The largest message body read (a draft over the size limit is refused anyway; JSON
# escaping can make its text six times longer). A bigger Content-Length is skipped in chunks.
MAX_MESSAGE = 64 * 1024 * 1024


def _clamp_positions(value, depth: int = 0):
    if depth > 20:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("line", "character") and isinstance(item, int) and not isinstance(item, bool):
                value[key] = min(max(item, 0), _POSITION_MAX)
            else:
                _clamp_positions(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _clamp_positions(item, depth + 1)


class _Protocol(LanguageServerProtocol):
    def structure_message(self, data):
        if isinstance(data, dict) and "jsonrpc" in data and "params" in data:
            _clamp_positions(data["params"])
        try:
            return super().structure_message(data)
        except (JsonRpcInvalidParams, JsonRpcInternalError) as exc:
            if isinstance(data, dict) and "id" in data and "method" in data:
                # Answer the request: an editor waits for every id it sent.
                self._send_response(data["id"], error=exc.to_response_error())
            raise


class _BoundedStdin:
    """stdin for the message reader: a body over MAX_MESSAGE (`Content-Length:
    100000000000`) is read and dropped in chunks instead of allocated in one piece."""

    def __init__(self, raw):
        self.raw = raw

    def readline(self, *args):
        return self.raw.readline(*args)

    def read(self, n: int = -1) -> bytes:
        if 0 <= n <= MAX_MESSAGE:
            return self.raw.read(n)
        log.error("a message of %s bytes is over the %s-byte limit; skipped", n, MAX_MESSAGE)
        left = n
        while left > 0:
            chunk = self.raw.read(min(left, 1 << 20))
            if not chunk:
                return b""  # the client went away
            left -= len(chunk)
        return b"null"  # not a message: logged and ignored, and the reader goes on

    def __getattr__(self, name):
        return getattr(self.raw, name)


class FollowupLintServer(LanguageServer):
    def __init__(self):
        super().__init__(
            "followup-lint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Full, protocol_cls=_Protocol
        )
        self.docs: dict[str, Doc] = {}
        self.results: dict[str, Result] = {}
        self.settings = Settings()
        self.lint_runs = 0
        self.lint_seconds = 0.0
        self.model_loaded = False
        self._pending: dict[str, Doc] = {}
        self._wake: asyncio.Event | None = None
        self._tasks: list = []
        # One worker: spaCy is CPU-bound and the machine may have two cores; a second
        # thread would only make each lint slower.
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="followup-lint")
        self._sessions: dict = {}
        self._shown_errors: set = set()

    # --- scheduling ------------------------------------------------------------------------

    def start_background(self) -> None:
        if self._tasks:
            return
        self._wake = asyncio.Event()
        self._tasks = [asyncio.ensure_future(self._worker()), asyncio.ensure_future(self._poll_configs())]

    def schedule(self, uri: str) -> None:
        doc = self.docs.get(uri)
        if doc is None or doc.format is None:
            return
        self._pending[uri] = doc  # replaces a version still waiting: the coalescing
        self.start_background()
        self._wake.set()

    def schedule_all(self) -> None:
        for uri in list(self.docs):
            self.schedule(uri)

    async def _worker(self) -> None:
        loop = asyncio.get_running_loop()
        problem = await loop.run_in_executor(self._pool, self._warm)
        if problem:
            self._show_error(problem)
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._pending:
                uri = next(iter(self._pending))
                doc = self._pending.pop(uri)
                try:
                    result = await loop.run_in_executor(self._pool, self._lint, doc)
                except Exception:  # a bug must not stop the worker; the log says what
                    log.exception("linting %s failed", uri)
                    continue
                if uri in self._pending or uri not in self.docs:
                    continue  # superseded or closed while it ran
                self.results[uri] = result
                self._publish(result)

    def _warm(self) -> str | None:
        """Load the spaCy pipeline and compile the rules once, off the event loop; say what
        went wrong, if anything (the caller shows it: only the loop may talk to the client)."""
        from followup_lint.language.pipeline import ModelMissing, load

        try:
            load()
        except ModelMissing as exc:
            return str(exc)
        self.model_loaded = True
        try:
            self._linter_for(None)[0].lint_draft(read_text("Dear Sam,\n\nThank you.\n\nBest,\nJo\n", "warm-up.txt"))
        except Exception as exc:  # a broken config: the drafts' diagnostics will say so
            log.info("rule warm-up skipped: %s", exc)
        return None

    async def _poll_configs(self) -> None:
        # Clients that do not send workspace/didChangeWatchedFiles (e.g. Neovim 0.7) still
        # see a config edit within a few seconds.
        while True:
            await asyncio.sleep(CONFIG_POLL_SECONDS)
            self.check_configs()

    def check_configs(self) -> None:
        for uri, result in list(self.results.items()):
            doc = self.docs.get(uri)
            if doc is not None and self._config_signature(doc) != result.config:
                self.schedule(uri)

    # --- linting (on the worker thread) ------------------------------------------------------

    def _config_signature(self, doc: Doc | None) -> tuple:
        return self._session().signature(doc.path if doc and doc.path else None)

    def _root(self) -> str:
        try:
            root = self.workspace.root_path
        except RuntimeError:  # before initialize
            root = None
        return root or os.getcwd()

    def _session(self) -> Session:
        """One session per (workspace root, select, ignore): new settings start a new one."""
        settings = self.settings
        key = (self._root(), settings.select, settings.ignore)
        if self._sessions.get("key") != key:
            self._sessions = {
                "key": key,
                "session": Session(
                    root=key[0], select=list(settings.select or ()) or None, ignore=list(settings.ignore or ()) or None
                ),
            }
        return self._sessions["session"]

    def _linter_for(self, doc: Doc | None):
        session = self._session()
        path = doc.path if doc and doc.path else None
        return session.linter_at(path), session.signature(path)

    def _lint(self, doc: Doc) -> Result:
        started = time.perf_counter()
        try:
            return self._lint_doc(doc)
        finally:
            self.lint_runs += 1
            self.lint_seconds += time.perf_counter() - started

    def _lint_doc(self, doc: Doc) -> Result:
        positions = Positions(doc.text, self._encoding())
        try:
            linter, signature = self._linter_for(doc)
        except SETUP_ERRORS as exc:
            result = Result(doc, self._config_signature(doc))
            result.diagnostics = [self._problem(positions.line_range(0), f"followup-lint could not start: {exc}")]
            return result
        result = Result(doc, signature, rules=linter.ruleset.by_id)
        limit = linter.config.max_file_size
        if len(doc.text) > limit or len(doc.text.encode("utf-8", "surrogatepass")) > limit:
            result.diagnostics = [self._problem(positions.line_range(0), f"not linted: {too_big(limit)}")]
            return result
        try:
            draft = read_text(doc.text, doc.path or doc.uri, format=doc.format)
        except DraftError as exc:
            if not doc.text.strip():
                return result  # an empty buffer has nothing to say yet
            line = (exc.line or 1) - 1
            result.diagnostics = [self._problem(positions.line_range(line), exc.message)]
            return result
        report = linter.lint_draft(draft)
        result.draft, result.report = draft, report
        if report.error is not None:
            error = report.error
            line, message = (error.line - 1, error.message) if error.line is not None else (0, str(error))
            result.diagnostics = [self._problem(positions.line_range(line), message)]
            return result
        positions = Positions(draft.raw, self._encoding())
        for finding in report.findings:
            diagnostic = self._diagnostic(finding, draft, positions, result.rules.get(finding.rule))
            result.items.append((finding, diagnostic))
        result.diagnostics = [d for _, d in result.items]
        if self.settings.score_diagnostic:
            result.diagnostics.append(
                lsp.Diagnostic(
                    range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)),
                    message=f"Score {report.score}/100 ({report.verdict}) · kind: {report.kind}",
                    severity=lsp.DiagnosticSeverity.Hint,
                    code="score",
                    source=SOURCE,
                )
            )
        return result

    def _encoding(self) -> str:
        try:
            return self.workspace.position_encoding or lsp.PositionEncodingKind.Utf16
        except RuntimeError:
            return lsp.PositionEncodingKind.Utf16

    def _diagnostic(self, finding, draft, positions: Positions, rule) -> lsp.Diagnostic:
        if finding.decoded:
            # Counted in the decoded body: point at the line where its encoded form begins.
            piece = draft.piece_at(finding.start)
            rng = positions.line_range((piece.file_line or 1) - 1)
        else:
            rng = positions.range(finding.start, finding.end)
        docs = None
        if rule is not None and rule.path and os.path.isfile(rule.path):
            docs = lsp.CodeDescription(href=Path(rule.path).resolve().as_uri())
        return lsp.Diagnostic(
            range=rng,
            message=finding.message,
            severity=SEVERITY[finding.severity],
            code=finding.rule,
            code_description=docs,
            source=SOURCE,
            data={"fixable": bool(finding.fix)},
        )

    @staticmethod
    def _problem(rng: lsp.Range, message: str) -> lsp.Diagnostic:
        return lsp.Diagnostic(range=rng, message=message, severity=lsp.DiagnosticSeverity.Error, source=SOURCE)

    # --- talking to the client ---------------------------------------------------------------

    def _publish(self, result: Result) -> None:
        doc = result.doc
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=doc.uri, diagnostics=result.diagnostics, version=doc.version)
        )
        report = result.report
        if report is not None and report.error is None:
            self.protocol.notify(
                SCORE_NOTIFICATION,
                {
                    "uri": doc.uri,
                    "version": doc.version,
                    "score": report.score,
                    "verdict": report.verdict,
                    "kind": report.kind,
                    "findings": len(report.findings),
                },
            )

    def _show_error(self, message: str) -> None:
        if message not in self._shown_errors:
            self._shown_errors.add(message)
            self.window_show_message(
                lsp.ShowMessageParams(type=lsp.MessageType.Error, message=f"followup-lint: {message}")
            )

    def current(self, uri: str) -> Result | None:
        """The result for the document's current version (None while it is being linted)."""
        result, doc = self.results.get(uri), self.docs.get(uri)
        if result is None or doc is None or result.doc.version != doc.version or result.doc.text != doc.text:
            return None
        return result

    # --- "Ignore RULE for this draft" in the config ------------------------------------------

    def ignore_target(self, path: str) -> Path | None:
        """The config file that per-file-ignores for `path` go in: the one that governs it,
        else a new .followup-lint.yaml at the top of its workspace folder (or beside it).
        None when that is a pyproject.toml (TOML is not edited here)."""
        found = self._session().config_file_for(path)
        if found:
            return None if os.path.basename(found) == "pyproject.toml" else Path(found)
        folders = []
        try:
            folders = [to_fs_path(f.uri) for f in self.workspace.folders.values()] + [self.workspace.root_path]
        except RuntimeError:
            pass
        draft = os.path.realpath(path)
        above = [
            os.path.realpath(f) for f in folders if f and (draft + os.sep).startswith(os.path.realpath(f) + os.sep)
        ]
        return Path(max(above, key=len) if above else os.path.dirname(draft)) / config_mod.CONFIG_NAMES[0]

    def config_text(self, target: Path) -> tuple[str | None, Doc | None]:
        """(the config's text, its open document if the editor has it open); text None when
        it cannot be read."""
        for doc in self.docs.values():
            if doc.path and os.path.realpath(doc.path) == os.path.realpath(target):
                return doc.text, doc
        if not target.exists():
            return "", None
        try:
            return target.read_text(encoding="utf-8"), None
        except (OSError, UnicodeDecodeError):
            return None, None

    def ignore_in_config_action(self, result: Result, rule: str, diagnostics: list) -> lsp.CodeAction | None:
        path = result.doc.path
        target = self.ignore_target(path) if path else None
        if target is None:
            return None
        text, open_doc = self.config_text(target)
        if text is None:
            return None
        glob = config_mod.per_file_ignore_glob(Path(path), target.parent)
        new = config_mod.add_per_file_ignore(text, glob, rule)
        if new is None:
            return None
        where = os.path.relpath(target, os.path.dirname(os.path.realpath(path)))
        title = f"Ignore {rule} for this draft ({'new ' if not target.exists() else ''}{where}: per-file-ignores)"
        action = lsp.CodeAction(title=title, kind=lsp.CodeActionKind.QuickFix, diagnostics=diagnostics)
        if open_doc is not None:  # edit the buffer the user has open; they save it
            start = 0
            while start < min(len(text), len(new)) and text[start] == new[start]:
                start += 1
            end_old, end_new = len(text), len(new)
            while end_old > start and end_new > start and text[end_old - 1] == new[end_new - 1]:
                end_old, end_new = end_old - 1, end_new - 1
            positions = Positions(text, self._encoding())
            edit = lsp.TextEdit(range=positions.range(start, end_old), new_text=new[start:end_new])
            action.edit = lsp.WorkspaceEdit(
                document_changes=[
                    lsp.TextDocumentEdit(
                        text_document=lsp.OptionalVersionedTextDocumentIdentifier(
                            uri=open_doc.uri, version=open_doc.version
                        ),
                        edits=[edit],
                    )
                ]
            )
        else:  # on disk: the server writes it (atomically) and lints again
            action.command = lsp.Command(title=title, command=IGNORE_IN_CONFIG, arguments=[result.doc.uri, rule])
        return action

    def write_ignore_in_config(self, uri: str, rule: str) -> dict:
        doc = self.docs.get(uri)
        path = doc.path if doc else (to_fs_path(uri) if uri.startswith("file:") else None)
        target = self.ignore_target(path) if path else None
        if target is None:
            return {"changed": False, "reason": "no .followup-lint.yaml to write for this draft"}
        text, open_doc = self.config_text(target)
        if open_doc is not None or text is None:
            return {"changed": False, "reason": f"{target} is open in the editor or unreadable"}
        new = config_mod.add_per_file_ignore(text, config_mod.per_file_ignore_glob(Path(path), target.parent), rule)
        if new is None:
            return {"changed": False, "path": str(target)}
        import tempfile

        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".followup-lint.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                f.write(new)
            if target.exists():
                os.chmod(tmp, target.stat().st_mode & 0o777)
            else:
                os.chmod(tmp, 0o644)  # mkstemp's 0600 is for secrets; a config is not one
            os.replace(tmp, target)
        except OSError as exc:
            if os.path.exists(tmp):
                os.unlink(tmp)
            self._show_error(f"cannot write {target}: {exc}")
            return {"changed": False, "path": str(target)}
        self.check_configs()
        return {"changed": True, "path": str(target)}

    def apply_settings(self, raw) -> None:
        self.settings = parse_settings(raw, self.settings)
        self.schedule_all()


def parse_settings(raw, current: Settings | None = None) -> Settings:
    """Settings from initializationOptions or didChangeConfiguration: a mapping with select,
    ignore, scoreDiagnostic, either at the top or under "followup-lint"."""
    base = current or Settings()
    if not isinstance(raw, dict):
        return base
    for key in (SETTINGS_SECTION, "followupLint", "followup_lint"):
        if isinstance(raw.get(key), dict):
            raw = raw[key]
            break

    def ids(key, old):
        if key not in raw:
            return old
        value = raw[key] or ()
        if isinstance(value, str):
            value = value.split(",")
        return tuple(str(v).strip() for v in value if str(v).strip()) or None

    return Settings(
        select=ids("select", base.select),
        ignore=ids("ignore", base.ignore),
        score_diagnostic=bool(raw.get("scoreDiagnostic", base.score_diagnostic)),
    )


def _contains(rng: lsp.Range, pos: lsp.Position) -> bool:
    return (rng.start.line, rng.start.character) <= (pos.line, pos.character) <= (rng.end.line, rng.end.character)


def _overlaps(a: lsp.Range, b: lsp.Range) -> bool:
    return (a.start.line, a.start.character) <= (b.end.line, b.end.character) and (b.start.line, b.start.character) <= (
        a.end.line,
        a.end.character,
    )


def create_server() -> FollowupLintServer:
    server = FollowupLintServer()

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: FollowupLintServer, params: lsp.InitializeParams):
        ls.settings = parse_settings(params.initialization_options)

    @server.feature(lsp.INITIALIZED)
    async def initialized(ls: FollowupLintServer, params: lsp.InitializedParams):
        ls.start_background()  # the model loads now, while the editor opens the draft
        caps = ls.client_capabilities.workspace
        watch = caps and caps.did_change_watched_files
        if watch and watch.dynamic_registration:
            watchers = [lsp.FileSystemWatcher(glob_pattern=f"**/{name}") for name in sorted(CONFIG_FILES)]
            try:
                await ls.client_register_capability_async(
                    lsp.RegistrationParams(
                        registrations=[
                            lsp.Registration(
                                id="followup-lint-config",
                                method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                                register_options=lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
                            )
                        ]
                    )
                )
            except Exception as exc:  # the poll still catches config edits
                log.info("could not register file watchers: %s", exc)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: FollowupLintServer, params: lsp.DidOpenTextDocumentParams):
        item = params.text_document
        path = to_fs_path(item.uri) if item.uri.startswith("file:") else None
        ls.docs[item.uri] = Doc(item.uri, item.text, item.version, item.language_id or "", path)
        ls.schedule(item.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: FollowupLintServer, params: lsp.DidChangeTextDocumentParams):
        uri = params.text_document.uri
        old = ls.docs.get(uri)
        if old is None:
            return
        text = ls.workspace.get_text_document(uri).source
        ls.docs[uri] = Doc(uri, text, params.text_document.version, old.language_id, old.path)
        if os.path.basename(old.path or "") in CONFIG_FILES:
            return
        ls.schedule(uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: FollowupLintServer, params: lsp.DidSaveTextDocumentParams):
        doc = ls.docs.get(params.text_document.uri)
        if doc is not None and os.path.basename(doc.path or "") in CONFIG_FILES:
            ls.check_configs()  # a config edited in the same editor
        else:
            ls.schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: FollowupLintServer, params: lsp.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        ls.docs.pop(uri, None)
        ls._pending.pop(uri, None)
        if ls.results.pop(uri, None) is not None:
            ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: FollowupLintServer, params: lsp.DidChangeWatchedFilesParams):
        if any(os.path.basename(to_fs_path(c.uri) or "") in CONFIG_FILES for c in params.changes):
            ls.check_configs()

    @server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: FollowupLintServer, params: lsp.DidChangeConfigurationParams):
        settings = params.settings
        if not settings:  # a "pull" client: ask for our section
            caps = ls.client_capabilities.workspace
            if caps and caps.configuration:
                try:
                    got = await ls.workspace_configuration_async(
                        lsp.ConfigurationParams(items=[lsp.ConfigurationItem(section=SETTINGS_SECTION)])
                    )
                    settings = got[0] if got else None
                except Exception as exc:
                    log.info("workspace/configuration failed: %s", exc)
        ls.apply_settings(settings)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: FollowupLintServer, params: lsp.HoverParams):
        result = ls.current(params.text_document.uri)
        if result is None:
            return None
        hits = [(f, d) for f, d in result.items if _contains(d.range, params.position)]
        if not hits:
            return None
        caps = ls.client_capabilities.text_document
        formats = caps and caps.hover and caps.hover.content_format
        markdown = not formats or lsp.MarkupKind.Markdown in formats
        text = ("\n\n---\n\n" if markdown else "\n\n").join(
            explain_finding(f, result.rules.get(f.rule), markdown) for f, _ in hits
        )
        return lsp.Hover(
            contents=lsp.MarkupContent(
                kind=lsp.MarkupKind.Markdown if markdown else lsp.MarkupKind.PlainText, value=text
            ),
            range=hits[0][1].range,
        )

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=False),
    )
    def code_action(ls: FollowupLintServer, params: lsp.CodeActionParams):
        result = ls.current(params.text_document.uri)
        if result is None or result.draft is None:
            return []
        wanted = params.context.only

        def allowed(kind: str) -> bool:
            return not wanted or any(kind == w or kind.startswith(w + ".") for w in wanted)

        positions = Positions(result.draft.raw, ls._encoding())
        hits = [(f, d) for f, d in result.items if _overlaps(d.range, params.range)]
        actions = []
        if allowed(lsp.CodeActionKind.QuickFix):
            for finding, diagnostic in hits:
                if finding.fix:
                    actions.append(
                        lsp.CodeAction(
                            title=fix_title(finding.fix),
                            kind=lsp.CodeActionKind.QuickFix,
                            diagnostics=[diagnostic],
                            is_preferred=finding.fix.safe,
                            edit=_workspace_edit(ls, result, positions, finding.fix.edits),
                        )
                    )
            for rule in dict.fromkeys(f.rule for f, _ in hits):
                in_config = ls.ignore_in_config_action(result, rule, [d for f, d in hits if f.rule == rule])
                if in_config is not None:  # first choice: the email stays an email
                    actions.append(in_config)
                ignore = fixes.ignore_rule(result.draft, rule)
                if ignore:
                    actions.append(
                        lsp.CodeAction(
                            title=ignore.title,
                            kind=lsp.CodeActionKind.QuickFix,
                            diagnostics=[d for f, d in hits if f.rule == rule],
                            edit=_workspace_edit(ls, result, positions, ignore.edits),
                        )
                    )
        chosen = fixes.choose(result.report.findings)
        if chosen and allowed(FIX_ALL):
            actions.append(
                lsp.CodeAction(
                    title=f"Apply all safe fixes ({len(chosen)})",
                    kind=FIX_ALL,
                    edit=_workspace_edit(ls, result, positions, fixes.edits_of(chosen)),
                )
            )
        return actions

    @server.command(IGNORE_IN_CONFIG)
    def ignore_in_config(ls: FollowupLintServer, uri: str, rule: str):
        return ls.write_ignore_in_config(uri, rule)

    @server.feature(STATS_REQUEST)
    def stats(ls: FollowupLintServer, params=None):
        return {
            "lintRuns": ls.lint_runs,
            "lintSeconds": round(ls.lint_seconds, 4),
            "modelLoaded": ls.model_loaded,
            "openDocuments": len(ls.docs),
        }

    @server.feature(lsp.SHUTDOWN)
    def shutdown(ls: FollowupLintServer, params=None):
        for task in ls._tasks:
            task.cancel()
        ls._pool.shutdown(wait=False, cancel_futures=True)

    return server


def _workspace_edit(ls, result: Result, positions: Positions, edits) -> lsp.WorkspaceEdit:
    text_edits = [lsp.TextEdit(range=positions.range(e.start, e.end), new_text=e.replacement) for e in edits]
    caps = ls.client_capabilities.workspace
    if caps and caps.workspace_edit and caps.workspace_edit.document_changes:
        # Versioned: the client refuses the edit if the buffer moved on since the lint.
        return lsp.WorkspaceEdit(
            document_changes=[
                lsp.TextDocumentEdit(
                    text_document=lsp.OptionalVersionedTextDocumentIdentifier(
                        uri=result.doc.uri, version=result.doc.version
                    ),
                    edits=text_edits,
                )
            ]
        )
    return lsp.WorkspaceEdit(changes={result.doc.uri: text_edits})


def serve(log_file: str | None = None) -> None:
    """Run the server on stdin/stdout until the client says exit."""
    if log_file:
        logging.basicConfig(
            filename=log_file, level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s"
        )
    import sys

    create_server().start_io(stdin=_BoundedStdin(sys.stdin.buffer))
