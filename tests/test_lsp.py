"""The language server, driven over stdio by pytest-lsp as an editor would: the real
`followup-lint lsp` process, the real spaCy model, real files for the config."""

import ast
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

pytestmark = pytest.mark.asyncio(loop_scope="module")

BIN = Path(sys.executable).parent / "followup-lint"
SERVER = [str(BIN), "lsp"] if BIN.exists() else [sys.executable, "-m", "followup_lint", "lsp"]
WAIT = 120  # seconds before a missing message fails the test (a hang guard, not a timing claim)


def make_client() -> LanguageClient:
    """pytest-lsp's client, keeping every publishDiagnostics (with its version) and score."""
    from pygls.protocol import default_converter

    client = LanguageClient(converter_factory=default_converter)
    register_lsp_features(
        client, {k: v for k, v in DEFAULT_CLIENT_FEATURES.items() if k != types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS}
    )
    client.published, client.scores = [], []

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(ls, params):
        client.diagnostics[params.uri] = params.diagnostics
        client.published.append(params)

    @client.feature("followupLint/score")
    def score(ls, params):
        client.scores.append(params)

    return client


CONFIG = ClientServerConfig(server_command=SERVER, client_factory=make_client)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    return tmp_path_factory.mktemp("workspace")


@pytest_lsp.fixture(scope="module", config=CONFIG)
async def client(lsp_client: LanguageClient, workspace):
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(
                workspace=types.WorkspaceClientCapabilities(
                    workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True)
                )
            ),
            root_uri=workspace.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="ws")],
        )
    )
    yield
    await lsp_client.shutdown_session()


async def until(predicate, what):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while True:
        found = predicate()
        if found:
            return found
        if loop.time() > deadline:
            pytest.fail(f"the server never sent {what}")
        await asyncio.sleep(0.02)


async def diagnostics(client, uri, version, after=0):
    """The diagnostics published for this version of the document (after the n-th message)."""

    def find():
        for params in client.published[after:]:
            if params.uri == uri and params.version == version:
                return [params.diagnostics]

    return (await until(find, f"diagnostics for {uri} v{version}"))[0]


def findings(diags):
    return [d for d in diags if d.code != "score"]


def rules(diags):
    return sorted(d.code for d in findings(diags))


def open_doc(client, path: Path, text: str, language="plaintext", version=1):
    path.write_text(text, encoding="utf-8")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=path.as_uri(), language_id=language, version=version, text=text)
        )
    )
    return path.as_uri()


def change(client, uri, version, text):
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def close(client, uri):
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )


def apply_edits(text: str, edits) -> str:
    """Apply LSP TextEdits (UTF-16 columns) the way an editor does."""
    lines = text.splitlines(keepends=True) or [""]

    def offset(pos):
        before = sum(len(l) for l in lines[: pos.line])
        line = lines[pos.line] if pos.line < len(lines) else ""
        units = 0
        for i, ch in enumerate(line):
            if units >= pos.character:
                return before + i
            units += 2 if ord(ch) > 0xFFFF else 1
        return before + len(line)

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


def action_edits(action, uri):
    if action.edit.document_changes:
        (doc_edit,) = action.edit.document_changes
        assert doc_edit.text_document.uri == uri
        return doc_edit.edits
    return action.edit.changes[uri]


async def code_actions(client, uri, diagnostic):
    return await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )


DRAFT = """Dear Ms. Okafor,

Thank you for the tour of the lab; I'm very interested in the role. Loved the demo 😊 and I'm gonna read the paper.
Have you made a decision yet? I'm happy to send references.

Best regards,
Jun
"""


async def test_open_gives_the_cli_findings_at_utf16_positions(client: LanguageClient, workspace):
    path = workspace / "emoji.txt"
    uri = open_doc(client, path, DRAFT)
    diags = await diagnostics(client, uri, 1)
    cli = subprocess.run([*SERVER[:-1], "--format", "json", str(path)], capture_output=True, text=True)
    expected = json.loads(cli.stdout)["files"][0]["findings"]
    assert rules(diags) == sorted(f["rule"] for f in expected) == ["pushy", "too-casual", "too-casual"]
    lines = DRAFT.split("\n")
    by_place = {(f["rule"], f["line"], f["column"], f["end_column"]) for f in expected}
    for d in findings(diags):
        line = lines[d.range.start.line]
        # back from UTF-16 units to the CLI's code points: the emoji counts 2 here, 1 there
        column = len(line.encode("utf-16-le")[: 2 * d.range.start.character].decode("utf-16-le")) + 1
        end = len(line.encode("utf-16-le")[: 2 * d.range.end.character].decode("utf-16-le")) + 1
        assert (d.code, d.range.start.line + 1, column, end) in by_place
        assert d.source == "followup-lint"
        assert d.severity == types.DiagnosticSeverity.Warning
        assert d.code_description.href.endswith(f"/rules/{d.code}.yaml")
    gonna = next(d for d in diags if d.code == "too-casual" and "gonna" in d.message)
    assert gonna.range.start.character == lines[2].index("gonna") + 1  # one more unit for the emoji
    score = next(d for d in diags if d.code == "score")
    assert score.severity == types.DiagnosticSeverity.Hint and "/100" in score.message
    notice = await until(lambda: [s for s in client.scores if s.uri == uri and s.version == 1], "a score notification")
    assert notice[0].findings == 3 and f"Score {notice[0].score}/100 ({notice[0].verdict})" in score.message
    close(client, uri)


async def test_change_hover_and_a_safe_fix(client: LanguageClient, workspace):
    text = "Hi Sam,\n\nThank you for the chat; I'm keen on the role and I'm gonna send my portfolio.\n\nBest,\nJo\n"
    uri = open_doc(client, workspace / "change.txt", text)
    assert rules(await diagnostics(client, uri, 1)) == ["too-casual"]

    text2 = text.replace("send my portfolio.", "send my portfolio. Please reply ASAP.")
    change(client, uri, 2, text2)
    diags = await diagnostics(client, uri, 2)
    assert rules(diags) == ["pushy", "too-casual"]

    pushy = next(d for d in diags if d.code == "pushy")
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=pushy.range.start)
    )
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert "Hiring decisions take time" in hover.contents.value  # the rule's rationale
    assert "**Instead:** Ask whether they need anything else" in hover.contents.value
    assert "when you have a moment" in hover.contents.value  # the fix on offer
    nothing = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=5, character=1)
        )
    )
    assert nothing is None

    casual = next(d for d in diags if d.code == "too-casual")
    actions = await code_actions(client, uri, casual)
    titles = [a.title for a in actions]
    assert "Replace 'gonna' with 'going to'" in titles and "Ignore too-casual for this draft (front matter)" in titles
    swap = next(a for a in actions if a.title == "Replace 'gonna' with 'going to'")
    assert swap.is_preferred and swap.kind == types.CodeActionKind.QuickFix
    text3 = apply_edits(text2, action_edits(swap, uri))
    assert "I'm going to send" in text3
    change(client, uri, 3, text3)
    assert rules(await diagnostics(client, uri, 3)) == ["pushy"]
    close(client, uri)


async def test_a_lone_surrogate_in_the_buffer_is_linted_not_a_crash(client: LanguageClient, workspace):
    # Issue 15 item 11: an editor can send a lone surrogate (JSON "\\ud800"); it was a
    # UnicodeEncodeError in spaCy. It reads as U+FFFD, at the same position.
    text = "Hi Sam,\n\nThank you \ud800 for the chat. Please reply ASAP.\n\nBest,\nJo\n"
    uri = (workspace / "surrogate.txt").as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="plaintext", version=1, text=text)
        )
    )
    diags = await diagnostics(client, uri, 1)
    assert "pushy" in rules(diags)
    pushy = next(d for d in diags if d.code == "pushy")
    assert (pushy.range.start.line, pushy.range.start.character) == (2, text.splitlines()[2].index("ASAP"))
    close(client, uri)


async def test_unsafe_fix_and_ignore_rule_actions(client: LanguageClient, workspace):
    text = (
        "Hi Sam,\n\nThank you for the chat; I'm keen on the role. Have you made a decision yet? "
        "Happy to send references.\n\nBest,\nJo\n"
    )
    uri = open_doc(client, workspace / "unsafe.md", text, language="markdown")
    (pushy,) = findings(await diagnostics(client, uri, 1))
    actions = await code_actions(client, uri, pushy)
    remove = next(a for a in actions if a.title.startswith("Remove the sentence"))
    assert remove.title.endswith("(unsafe fix: review the result)") and not remove.is_preferred
    removed = apply_edits(text, action_edits(remove, uri))
    assert "I'm keen on the role. Happy to send references.\n" in removed
    ignore = next(a for a in actions if a.title == "Ignore pushy for this draft (front matter)")
    ignored = apply_edits(text, action_edits(ignore, uri))
    assert ignored.startswith("---\nignore: [pushy]\n---\nHi Sam,")
    change(client, uri, 2, ignored)
    assert findings(await diagnostics(client, uri, 2)) == []
    close(client, uri)


async def test_a_burst_of_changes_is_coalesced(client: LanguageClient, workspace):
    base = "Hi Sam,\n\nThank you for the chat; I'm keen on the role. Happy to send references.{}\n\nBest,\nJo\n"
    uri = open_doc(client, workspace / "burst.txt", base.format(""))
    assert findings(await diagnostics(client, uri, 1)) == []
    before = (await client.protocol.send_request_async("followupLint/stats", {})).lintRuns
    mark = len(client.published)
    for version in range(2, 22):  # 20 changes, sent back to back as fast typing would
        tail = " Have you decided?" if version == 21 else " I can share more samples" + "." * version
        change(client, uri, version, base.format(tail))
    diags = await diagnostics(client, uri, 21, after=mark)
    assert rules(diags) == ["pushy"]  # the last version's finding
    runs = (await client.protocol.send_request_async("followupLint/stats", {})).lintRuns - before
    assert 1 <= runs < 20, runs
    published = [p.version for p in client.published[mark:] if p.uri == uri]
    assert published[-1] == 21 and len(published) <= runs
    close(client, uri)


async def test_config_file_change_relints_open_drafts(client: LanguageClient, workspace):
    folder = workspace / "project"
    folder.mkdir()
    uri = open_doc(
        client,
        folder / "draft.txt",
        "Hi Sam,\n\nThank you for the chat; I'm keen on the role. "
        "Have you made a decision yet? Happy to send references.\n\nBest,\nJo\n",
    )
    assert rules(await diagnostics(client, uri, 1)) == ["pushy"]
    mark = len(client.published)
    config = folder / ".followup-lint.yaml"
    config.write_text("ignore: [pushy]\n")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Created)]
        )
    )
    assert findings(await diagnostics(client, uri, 1, after=mark)) == []

    mark = len(client.published)
    config.write_text("ignore: [pushy, bogus-rule]\n")  # a mistake shows where the user looks
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    (problem,) = await diagnostics(client, uri, 1, after=mark)
    assert problem.severity == types.DiagnosticSeverity.Error and "bogus-rule" in problem.message
    close(client, uri)


async def test_settings_override_select_and_ignore(client: LanguageClient, workspace):
    text = (
        "hey Sam,\n\nThank you for the chat; I'm keen on the role. Have you made a decision yet? "
        "Happy to send references.\n\nBest,\nJo\n"
    )
    uri = open_doc(client, workspace / "settings.txt", text)
    assert rules(await diagnostics(client, uri, 1)) == ["pushy", "too-casual"]
    mark = len(client.published)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"followup-lint": {"ignore": ["pushy"], "scoreDiagnostic": False}})
    )
    diags = await diagnostics(client, uri, 1, after=mark)
    assert [d.code for d in diags] == ["too-casual"]  # and no score diagnostic
    mark = len(client.published)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(
            settings={"followup-lint": {"ignore": None, "select": ["pushy"], "scoreDiagnostic": True}}
        )
    )
    assert rules(await diagnostics(client, uri, 1, after=mark)) == ["pushy"]
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"followup-lint": {"select": None}})
    )
    close(client, uri)


async def test_email_buffer_with_an_encoded_body(client: LanguageClient, workspace):
    import base64

    body = base64.encodebytes(
        b"Hi Sam,\n\nThank you for the chat; I'm keen on the role. Have you decided? "
        b"Happy to send references.\n\nBest,\nJo\n"
    )
    text = (
        "Subject: Thanks\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
        + body.decode()
    )
    uri = open_doc(client, workspace / "mail.eml", text, language="mail")
    (pushy,) = findings(await diagnostics(client, uri, 1))
    assert pushy.code == "pushy" and "decoded email body" in pushy.message
    assert pushy.range.start.line == 4  # the line where the encoded body begins
    actions = await code_actions(client, uri, pushy)
    # Never an edit into an encoded body, and no front matter in an email: only the
    # config's per-file-ignores (written by the server, a command, not an edit).
    assert [a.title for a in actions] == ["Ignore pushy for this draft (new .followup-lint.yaml: per-file-ignores)"]
    assert all(isinstance(a, types.Command) or a.edit is None for a in actions)
    close(client, uri)


async def test_a_draft_that_cannot_be_linted_is_one_error_on_its_line(client: LanguageClient, workspace):
    # The report's Problem carries the line; the diagnostic says the rest of its text.
    text = "---\nsend_date: 2026-03-01\nkind: farewell\n---\nHi Sam,\n\nThank you.\n"
    uri = open_doc(client, workspace / "farewell (1).txt", text)
    (problem,) = await diagnostics(client, uri, 1)
    assert problem.range.start.line == 2 and problem.severity == types.DiagnosticSeverity.Error
    assert problem.message == "kind: 'farewell' is not one of thank-you, check-in, offer-update, unknown"
    close(client, uri)


@pytest_lsp.fixture(scope="module", config=CONFIG)
async def utf8_client(lsp_client: LanguageClient, workspace):
    """A second server: a client that prefers UTF-8 positions and starts with settings."""
    lsp_client.initialized = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(
                general=types.GeneralClientCapabilities(
                    position_encodings=[types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf16]
                )
            ),
            root_uri=workspace.as_uri(),
            initialization_options={"ignore": ["pushy"], "scoreDiagnostic": False},
        )
    )
    yield
    await lsp_client.shutdown_session()


async def test_initialization_options_and_utf8_positions(utf8_client: LanguageClient):
    assert utf8_client.initialized.capabilities.position_encoding == types.PositionEncodingKind.Utf8
    uri = "untitled:Untitled-1"  # never saved: the language id says it is Markdown
    text = "Hi Zoë,\n\nThank you for the café tour 😊; I'm keen on the role. Have you decided?\n\nBest,\nJo\n"
    utf8_client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
        )
    )
    (emoji,) = await diagnostics(utf8_client, uri, 1)  # pushy ignored, no score hint
    line = text.split("\n")[2]
    assert emoji.code == "too-casual"
    assert emoji.range.start.character == len(line[: line.index("😊")].encode("utf-8"))
    assert emoji.range.end.character - emoji.range.start.character == 4  # one emoji, four bytes
    close(utf8_client, uri)


# --- the README's Neovim set-up, in a real (headless) Neovim --------------------------------

NVIM_CHECK = r"""
local out = {}
local function say(s) table.insert(out, s) end
local buf = vim.api.nvim_get_current_buf()
local function findings()
  local n = 0
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.severity ~= vim.diagnostic.severity.HINT then n = n + 1 end
  end
  return n
end
say("appeared " .. tostring(vim.wait(120000, function() return findings() > 0 end, 100)))
local target
for _, d in ipairs(vim.diagnostic.get(buf)) do
  say(string.format("diag %d:%d %d %s", d.lnum + 1, d.col + 1, d.severity, d.message))
  if d.severity == vim.diagnostic.severity.WARN then target = d end
end
-- K on the finding, as a user would, then read the floating window
vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col })
vim.api.nvim_feedkeys("K", "x", false)
local float
vim.wait(20000, function()
  for _, w in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(w).relative ~= "" then float = w return true end
  end
end, 50)
if float then
  say("hover " .. table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, -1, false), " "))
  vim.api.nvim_win_close(float, true)
end
-- the quick fix that removes the sentence, applied by Neovim itself
local params = vim.lsp.util.make_range_params()
params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf) }
for _, response in pairs(vim.lsp.buf_request_sync(buf, "textDocument/codeAction", params, 20000) or {}) do
  for _, action in ipairs(response.result or {}) do
    say("action " .. action.title)
    if action.title:find("^Remove the sentence") then vim.lsp.util.apply_workspace_edit(action.edit, "utf-16") end
  end
end
say("line " .. vim.api.nvim_buf_get_lines(buf, target.lnum, target.lnum + 1, false)[1])
say("cleared " .. tostring(vim.wait(60000, function() return findings() == 0 end, 100)))
-- the error-format route: the command line's text output into the quickfix list
vim.o.errorformat = vim.env.ERRORFORMAT
vim.cmd("silent cexpr system('followup-lint --quiet draft.txt')")
for _, item in ipairs(vim.fn.getqflist()) do say(string.format("qf %s %d:%d %s", item.type, item.lnum, item.col, item.text)) end
local f = io.open(vim.env.CHECK_OUT, "w")
f:write(table.concat(out, "\n") .. "\n")
f:close()
vim.cmd("qa!")
"""


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("nvim") is None, reason="Neovim is not installed (apt-get install neovim)")
async def test_readme_neovim_snippet_in_headless_neovim(tmp_path):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    section = readme[readme.index("**Neovim**") :]
    (tmp_path / "init.lua").write_text(re.search(r"```lua\n(.*?)```", section, re.S).group(1))
    errorformat = re.search(r"The error format is\s+`([^`]+)`", readme).group(1)
    (tmp_path / "check.lua").write_text(NVIM_CHECK)
    draft = tmp_path / "draft.txt"
    draft.write_text(
        "Dear Ms. Okafor,\n\nThank you for the tour of the lab; I am very interested in the role. "
        "Have you made a decision yet? Happy to send references.\n\nBest regards,\nJun\n"
    )
    env = {
        **os.environ,
        "PATH": f"{BIN.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "CHECK_OUT": str(tmp_path / "out.txt"),
        "ERRORFORMAT": errorformat,
        "NO_COLOR": "1",
    }
    proc = await asyncio.to_thread(
        subprocess.run,
        ["nvim", "--headless", "-u", "init.lua", "draft.txt", "-c", "luafile check.lua"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = (tmp_path / "out.txt").read_text() if (tmp_path / "out.txt").exists() else ""
    assert "appeared true" in out, (out, proc.stderr)
    assert "diag 3:79 2 'made a decision' puts the interviewer on the spot" in out
    assert "hover **pushy** · Don't press for a decision" in out and "Why it matters:" in out
    assert "action Ignore pushy for this draft (front matter)" in out
    assert "line Thank you for the tour of the lab; I am very interested in the role. Happy to send references." in out
    assert "cleared true" in out
    assert "qf w 3:79 [pushy] 'made a decision' puts the interviewer on the spot" in out


PUSHY = (
    "Hi Sam,\n\nThank you for the chat; I'm keen on the role. Have you made a decision yet? "
    "Happy to send references.\n\nBest,\nJo\n"
)


async def test_ignore_rule_first_offers_the_config_and_creates_it(client: LanguageClient, workspace):
    """Issue 18, item 11: the first "Ignore" choice keeps the email clean: per-file-ignores
    in a new .followup-lint.yaml at the top of the workspace, written by the server."""
    (workspace / "clean").mkdir()
    config = workspace / ".followup-lint.yaml"
    assert not config.exists()
    uri = open_doc(client, workspace / "clean" / "acme.txt", PUSHY)
    try:
        (pushy,) = findings(await diagnostics(client, uri, 1))
        actions = await code_actions(client, uri, pushy)
        ignores = [a for a in actions if a.title.startswith("Ignore pushy")]
        assert [a.title for a in ignores] == [
            "Ignore pushy for this draft (new ../.followup-lint.yaml: per-file-ignores)",
            "Ignore pushy for this draft (front matter)",
        ]
        # A CodeAction whose `command` is a Command (no edit: the server writes the file).
        # lsprotocol's client-side hook reads any action with a `command` key as a bare
        # Command and puts the inner object's repr in its `command` string: read it back.
        first = ignores[0]
        command = (
            ast.literal_eval(first.command)
            if isinstance(first, types.Command)
            else {"command": first.command.command, "arguments": first.command.arguments}
        )
        assert command["command"] == "followup-lint.ignoreInConfig"
        mark = len(client.published)
        done = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=command["command"], arguments=command["arguments"])
        )
        assert done["changed"] if isinstance(done, dict) else done.changed
        assert config.read_text() == 'per-file-ignores:\n  "clean/acme.txt": [pushy]\n'
        assert findings(await diagnostics(client, uri, 1, after=mark)) == []  # linted again, pushy gone
        assert (workspace / "clean" / "acme.txt").read_text() == PUSHY  # the email untouched
    finally:
        close(client, uri)
        config.unlink(missing_ok=True)


async def test_ignore_rule_edits_an_open_config_buffer(client: LanguageClient, workspace):
    folder = workspace / "withconfig"
    folder.mkdir()
    config = folder / ".followup-lint.yaml"
    config_text = "# my settings\nignore: [too-long]\nper-file-ignores:\n  old.txt: [needy]\n"
    config_uri = open_doc(client, config, config_text, language="yaml")
    uri = open_doc(client, folder / "globex.txt", PUSHY)
    (pushy,) = findings(await diagnostics(client, uri, 1))
    actions = await code_actions(client, uri, pushy)
    first = next(a for a in actions if a.title.startswith("Ignore pushy"))
    assert first.title == "Ignore pushy for this draft (.followup-lint.yaml: per-file-ignores)"
    (doc_edit,) = first.edit.document_changes
    assert doc_edit.text_document.uri == config_uri and doc_edit.text_document.version == 1
    edited = apply_edits(config_text, doc_edit.edits)
    assert edited == (
        '# my settings\nignore: [too-long]\nper-file-ignores:\n  "globex.txt": [pushy]\n  old.txt: [needy]\n'
    )
    mark = len(client.published)
    config.write_text(edited)  # the user saves the buffer
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config_uri, type=types.FileChangeType.Changed)])
    )
    assert findings(await diagnostics(client, uri, 1, after=mark)) == []
    close(client, uri)
    close(client, config_uri)
