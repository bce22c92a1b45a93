"""Drafts are private: with grammar off, no work of the tool opens an internet socket.

A sitecustomize.py on PYTHONPATH installs a guard in every Python process the work starts
(the CLI, its --jobs workers, the language server) before any of our code runs. The guard
refuses, and logs, any AF_INET/AF_INET6 socket, any connection or datagram, and any
host-name lookup; AF_UNIX (asyncio's self-pipe, multiprocessing) is left alone, and so is
the one IPv6 probe urllib3 makes when it is imported (a bind to ::1, nothing sent), which is
logged as a PROBE: spaCy's own import would make it through spacy.cli, which the linter
avoids (language/pipeline.py), so a lint logs none. Each process also logs that the guard is in, so
a test fails if the work ran somewhere unguarded. A control run with a LanguageTool server
configured shows the guard does catch a connection. Where the kernel allows it, the CLI runs
under `unshare -rn` as well: no network at all, so it must work without one.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
import pytest_lsp
import yaml
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

ROOT = Path(__file__).resolve().parent.parent
EXE = Path(sys.executable).with_name("followup-lint")
COMMAND = [str(EXE)] if EXE.exists() else [sys.executable, "-m", "followup_lint"]
PUSHY = (
    "---\nkind: check-in\ninterview_date: 2026-11-03\ncompany: Larkspur Health\n---\nDear Sam,\n\n"
    "Thank you for the interview. Have you made a decision? I'll give you a call on Friday.\n\nBest,\nJo\n"
)

GUARD = textwrap.dedent('''
    """followup-lint's test socket guard (tests/test_privacy.py), loaded as sitecustomize."""
    import os
    import socket
    import sys

    _LOG = os.environ.get("FOLLOWUP_LINT_SOCKET_LOG")


    def _log(line):
        if _LOG:
            with open(_LOG, "a", encoding="utf-8") as fh:
                fh.write(f"{os.getpid()} {line}\\n")


    def _blocked(what):
        import traceback

        where = " <- ".join(f"{f.filename}:{f.lineno}" for f in reversed(traceback.extract_stack()[:-2][-6:]))
        _log(f"BLOCKED {what} argv={sys.argv!r} at {where}")
        return PermissionError(13, f"test socket guard: {what}")


    _init = socket.socket.__init__
    _INTERNET = (socket.AF_INET, socket.AF_INET6)


    def _urllib3_ipv6_probe():
        # spaCy imports requests, whose urllib3 asks at import time whether IPv6 works by
        # binding a socket to ::1. Nothing is sent; that one socket is let through (and may
        # only bind to loopback, below).
        caller = sys._getframe(2).f_code
        where = os.path.join("urllib3", "util", "connection.py")
        return caller.co_name == "_has_ipv6" and caller.co_filename.endswith(where)


    def _guarded_init(self, family=-1, type=-1, proto=-1, fileno=None):
        _init(self, family, type, proto, fileno)
        if self.family in _INTERNET and _urllib3_ipv6_probe():
            _log(f"PROBE urllib3's IPv6 check (a socket bound to ::1, nothing sent) argv={sys.argv!r}")
        elif self.family in _INTERNET:
            family = self.family.name
            self.close()
            raise _blocked(f"{family} socket")


    def _refuse(name):
        real = getattr(socket.socket, name)

        def guarded(self, *args, **kwargs):
            if self.family in _INTERNET:
                address = args[-1] if args else None
                loopback = name == "bind" and isinstance(address, tuple) and address[0] in ("::1", "127.0.0.1")
                if not loopback:
                    raise _blocked(f"{name} {address!r}")
            return real(self, *args, **kwargs)

        setattr(socket.socket, name, guarded)


    for _name in ("connect", "connect_ex", "sendto", "sendmsg", "bind"):
        _refuse(_name)


    _getaddrinfo = socket.getaddrinfo


    def _guarded_getaddrinfo(host, *args, **kwargs):
        raise _blocked(f"host lookup {host!r}")


    socket.socket.__init__ = _guarded_init
    socket.getaddrinfo = _guarded_getaddrinfo
    socket.gethostbyname = lambda host: (_ for _ in ()).throw(_blocked(f"host lookup {host!r}"))
    _log(f"guard installed argv={sys.argv!r}")
    os.register_at_fork(after_in_child=lambda: _log("guard installed (forked)"))
''')

# The guard's folder is made when the module loads: the language server's command and
# environment are fixed when pytest-lsp's fixture is declared.
GUARD_DIR = Path(tempfile.mkdtemp(prefix="followup-lint-guard-"))
atexit.register(shutil.rmtree, GUARD_DIR, True)
(GUARD_DIR / "sitecustomize.py").write_text(GUARD)
LSP_LOG = GUARD_DIR / "lsp.log"


def guard_env(log: Path) -> dict:
    path = os.pathsep.join(p for p in (str(GUARD_DIR), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "FOLLOWUP_LINT_SOCKET_LOG": str(log), "NO_COLOR": "1"}


def guard_log(log: Path) -> tuple[set, list]:
    """(pids with the guard installed, blocked attempts)."""
    lines = log.read_text("utf-8").splitlines() if log.exists() else []
    pids = {line.split()[0] for line in lines if " guard installed" in line}
    return pids, [line for line in lines if " BLOCKED " in line]


def probes(log: Path) -> list:
    """urllib3's IPv6 checks: a lint never imports urllib3, so it makes none."""
    return [line for line in (log.read_text("utf-8").splitlines() if log.exists() else []) if " PROBE " in line]


def run(args, cwd, log, input=None, prefix=()):
    return subprocess.run(
        [*prefix, *COMMAND, *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        timeout=300,
        env=guard_env(log),
    )


def no_network_prefix() -> tuple:
    """`unshare -rn` (a network namespace with no network at all) where the kernel allows
    it; the guard alone elsewhere."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode == 0:
        return (unshare, "-rn")
    return ()


@pytest.fixture
def drafts(tmp_path):
    """40 drafts (.txt, .md and .eml from the corpus, short .txt ones made up) and a
    labels.yaml for the corpus ones: more than one batch, so --jobs 2 starts its workers."""
    folder = tmp_path / "drafts"
    folder.mkdir()
    labels = yaml.safe_load((ROOT / "corpus" / "labels.yaml").read_text("utf-8"))
    chosen = [n for n in sorted(labels) if n.endswith(".eml")][:2] + [n for n in sorted(labels) if n.endswith(".md")][
        :3
    ]
    for name in chosen:
        shutil.copy(ROOT / "corpus" / name, folder / name)
    (folder / "labels.yaml").write_text(yaml.safe_dump({n: labels[n] for n in chosen}))
    for i in range(35):
        (folder / f"short-{i:02}.txt").write_text(f"Hi Sam,\n\nThanks for meeting on day {i}. Any news?\n\nJo\n")
    (tmp_path / "pushy.txt").write_text(PUSHY)
    return tmp_path


@pytest.mark.slow
def test_lint_with_workers_opens_no_internet_socket(drafts):
    log = drafts / "guard.log"
    proc = run(
        ["--no-cache", "--jobs", "2", "--format", "json", "drafts", "pushy.txt"],
        drafts,
        log,
        prefix=no_network_prefix(),
    )
    assert proc.returncode == 1, proc.stderr
    assert '"rule": "pushy"' in proc.stdout and '"rule": "phone-call"' in proc.stdout
    pids, blocked = guard_log(log)
    assert blocked == [] and probes(log) == []
    # --jobs 2: the CLI lints beside one forked worker (run/workers.py); spawned workers
    # where fork is unavailable make it three processes.
    assert len(pids) >= 2, f"the guard should be in the CLI and its worker: {log.read_text()}"


@pytest.mark.slow
def test_stdin_eval_and_schedule_open_no_internet_socket(drafts):
    log, offline = drafts / "guard.log", no_network_prefix()
    piped = run(["--no-cache", "-", "--stdin-filename", "pushy.txt"], drafts, log, input=PUSHY, prefix=offline)
    assert piped.returncode == 1 and "[pushy]" in piped.stdout, piped.stderr
    evaluated = run(["eval", "drafts"], drafts, log, prefix=offline)
    assert evaluated.returncode == 0 and "macro F1" in evaluated.stdout, evaluated.stdout + evaluated.stderr
    planned = run(["schedule", "pushy.txt", "--today", "2026-11-05"], drafts, log, prefix=offline)
    assert planned.returncode == 1 and "Earliest check-in" in planned.stdout, planned.stdout + planned.stderr
    pids, blocked = guard_log(log)
    assert blocked == [] and probes(log) == []
    assert len(pids) == 3


@pytest.mark.slow
def test_the_guard_catches_a_configured_grammar_server(drafts):
    """Control: the guard sees a connection when one is configured, so its silence above
    means something. (The run goes on: the grammar check is skipped with a note.)"""
    pytest.importorskip("language_tool_python")
    (drafts / ".followup-lint.yaml").write_text("grammar: {server: 'http://127.0.0.1:9'}\n")
    log = drafts / "guard.log"
    proc = run(["--no-cache", "pushy.txt"], drafts, log)
    assert proc.returncode == 1, proc.stderr
    assert "grammar check skipped" in proc.stdout + proc.stderr
    _, blocked = guard_log(log)
    assert blocked and all("AF_INET" in line or "lookup" in line for line in blocked), blocked


# --- the language server --------------------------------------------------------------------

SERVER = ClientServerConfig(server_command=[*COMMAND, "lsp"], server_env=guard_env(LSP_LOG))


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, tmp_path):
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=tmp_path.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="ws")],
        )
    )
    yield
    await lsp_client.shutdown_session()


@pytest.mark.slow
@pytest.mark.asyncio
async def test_language_server_opens_no_internet_socket(client: LanguageClient, tmp_path):
    path = tmp_path / "pushy.txt"
    path.write_text(PUSHY)
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="plaintext", version=1, text=PUSHY))
    )
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 120  # a hang guard, not a timing claim
    while not any(d.code == "pushy" for d in client.diagnostics.get(uri, [])):
        assert loop.time() < deadline, "no diagnostics from the server"
        await asyncio.sleep(0.05)
    pushy = next(d for d in client.diagnostics[uri] if d.code == "pushy")
    hover = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), pushy.range.start)
    )
    assert hover is not None
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            types.TextDocumentIdentifier(uri), pushy.range, types.CodeActionContext(diagnostics=[pushy])
        )
    )
    assert actions
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            [types.TextDocumentContentChangeWholeDocument(text=PUSHY.replace("made a decision", "had a chance"))],
        )
    )
    while any(d.code == "pushy" for d in client.diagnostics.get(uri, [])):
        assert loop.time() < deadline, "the server never re-linted the change"
        await asyncio.sleep(0.05)
    pids, blocked = guard_log(LSP_LOG)
    assert blocked == [] and probes(LSP_LOG) == []
    assert len(pids) >= 1, "the language server ran without the guard"
