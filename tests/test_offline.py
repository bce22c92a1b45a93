"""The tool never touches the network on its own: drafts are private. Sockets are blocked
in process and in a real subprocess; readability (textstat) is exercised because textstat
0.7.9+ would fetch the CMU dictionary through nltk."""

import os
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

DENSE = (
    "Notwithstanding the considerable organizational complexity inherent in multinational regulatory "
    "compliance frameworks, I remain particularly enthusiastic regarding opportunities to operationalize "
    "comprehensive governance methodologies across your institution's strategic modernization initiatives."
)

GUARD = textwrap.dedent("""
    import socket
    _real_connect = socket.socket.connect
    def _guard(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise RuntimeError(f"network access attempted: {address!r}")
        return _real_connect(self, address)
    socket.socket.connect = _guard
    socket.socket.connect_ex = _guard
""")


@pytest.fixture
def no_internet(monkeypatch):
    attempts = []

    def guard(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            attempts.append(address)
            raise RuntimeError(f"network access attempted: {address!r}")
        return real(self, address)

    real = socket.socket.connect
    monkeypatch.setattr(socket.socket, "connect", guard)
    monkeypatch.setattr(socket.socket, "connect_ex", guard)
    yield attempts
    assert attempts == []


def test_lint_with_readability_makes_no_connection(no_internet, linter):
    from followup_lint.read.draft import read_text

    report = linter.lint_draft(read_text(f"Dear Sam,\n\n{DENSE} {DENSE}\n\nBest,\nJo\n"))
    assert "hard-to-read" in {f.rule for f in report.findings}


def test_textstat_has_its_dictionary_offline(no_internet):
    import textstat

    assert textstat.syllable_count("organizational") >= 5


def _run_guarded(args, tmp_path):
    code = (
        GUARD + "import sys\nfrom followup_lint.cli.main import main\nsys.argv=['followup-lint']+sys.argv[1:]\nmain()\n"
    )
    script = tmp_path / "guarded.py"
    script.write_text(code)
    return subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, timeout=180, cwd=tmp_path
    )


@pytest.mark.slow
def test_cli_and_eval_in_a_process_with_sockets_blocked(tmp_path):
    (tmp_path / "d.txt").write_text(f"Dear Sam,\n\n{DENSE} {DENSE}\n\nBest,\nJo\n")
    proc = _run_guarded(["d.txt"], tmp_path)
    assert "network access attempted" not in proc.stderr + proc.stdout
    assert proc.returncode == 1 and "[hard-to-read]" in proc.stdout


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("unshare") is None, reason="unshare not installed")
def test_cli_runs_with_no_network_namespace(tmp_path):
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("unprivileged network namespaces are not available here")
    (tmp_path / "d.txt").write_text(f"Dear Sam,\n\n{DENSE} {DENSE}\n\nBest,\nJo\n")
    exe = Path(sys.executable).with_name("followup-lint")
    proc = subprocess.run(
        ["unshare", "-rn", str(exe), "d.txt"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=180,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode == 1, proc.stderr
    assert "[hard-to-read]" in proc.stdout
