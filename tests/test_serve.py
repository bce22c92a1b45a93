"""`followup-lint serve`: security, the API, positions against the CLI's, Save, coalescing.

A real server runs in a thread (uvicorn on a loopback port) and is spoken to over raw
HTTP (http.client sends paths exactly as written: no normalising of '..' or '%2e')."""

import http.client
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from followup_lint.serve import engine, payload, security  # noqa: E402
from followup_lint.serve.server import bind, in_thread  # noqa: E402

EMOJI_DRAFT = (
    "Subject: Thanks!! 😀 for the chat\n\nHey Zoë,\n\nThx for the chat 😀🎉 about the café role at Ça Va Bistro. "
    "gonna send my portfolio asap. Have you made a decision yet? I'd appreciate an answer by Friday.\n\n"
    "Best,\nJosé\n"
)
ACCENT_DRAFT = (
    "Subject: Merci – following up\n\nHi Renée,\n\nI wanted to follow up on the naïve-sounding question I asked "
    "about the résumé format. This is my third email and I still haven't heard anything 😕. "
    "Could you tell me the salary range? I can give you a call tomorrow.\n\nCheers,\nFrançois\n"
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    base = tmp_path_factory.mktemp("serve")
    root = base / "drafts"
    (root / "sub").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "a.txt").write_text(EMOJI_DRAFT, encoding="utf-8")
    (root / "sub" / "b.txt").write_text(ACCENT_DRAFT, encoding="utf-8")
    (root / "c.md").write_text(
        "---\nkind: check-in  # after the panel\ninterview_date: 2026-11-03\nignore: [too-long]\n---\n"
        "Subject: Checking in\r\n\r\nHi Sam,\r\n\r\nHave you made a decision yet?\r\n\r\nJo\r\n",
        encoding="utf-8",
        newline="",
    )
    (root / "d.eml").write_text(
        "From: jo@example.com\nTo: sam@example.com\nSubject: Thanks\nDate: Tue, 03 Nov 2026 10:00:00 +0000\n\n"
        "Hi Sam,\n\nThank you for the interview. I'm keen on the role.\n\nJo\n",
        encoding="utf-8",
    )
    (root / ".hidden" / "h.txt").write_text("Hi,\n\nsecret\n")
    (root / "notes.py").write_text("print('not a draft')\n")
    (base / "outside.txt").write_text("Hi Sam,\n\nTHIS IS OUTSIDE THE FOLDER\n\nJo\n")
    os.symlink(base / "outside.txt", root / "link-out.txt")
    os.symlink(root / "a.txt", root / "link-in.txt")
    return root


@pytest.fixture(scope="module")
def server(linter, folder):
    with in_thread(engine.source_for(linter, folder)) as running:
        yield running


class Client:
    def __init__(self, running):
        self.running = running
        self.host = f"127.0.0.1:{running.port}"
        self.origin = f"http://{self.host}"

    def request(self, method, path, body=None, headers=None, token=True, origin=None, host=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.running.port, timeout=300)
        hdrs = {"Host": host or self.host}
        if token:
            hdrs["X-Followup-Token"] = self.running.token if token is True else token
        if method == "POST":
            hdrs["Origin"] = self.origin if origin is None else origin
            hdrs["Content-Type"] = "application/json"
        elif origin:
            hdrs["Origin"] = origin
        hdrs = {k: v for k, v in {**hdrs, **(headers or {})}.items() if v is not None}
        data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for k, v in hdrs.items():
            conn.putheader(k, v)
        if data is not None and "Transfer-Encoding" not in hdrs and "Content-Length" not in hdrs:
            conn.putheader("Content-Length", str(len(data)))
        conn.endheaders(data)
        res = conn.getresponse()
        raw = res.read()
        conn.close()
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = None
        return res.status, parsed, res, raw

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body, **kw):
        return self.request("POST", path, body, **kw)


@pytest.fixture
def client(server):
    return Client(server)


# --- binding -----------------------------------------------------------------------------------


def test_binds_loopback_only_by_default(monkeypatch):
    from click.testing import CliRunner

    from followup_lint.serve import command, engine, server

    seen = {}
    monkeypatch.setattr(engine, "open_source", lambda folder, config_path, today: "source")
    monkeypatch.setattr(
        server, "run", lambda source, hosts, port, open_browser, echo: seen.update(hosts=hosts, port=port)
    )
    result = CliRunner().invoke(command.serve_command, ["--no-open"])
    assert result.exit_code == 0, result.output
    assert seen["hosts"] == ["127.0.0.1", "::1"] and all(security.is_loopback(h) for h in seen["hosts"])

    refused = CliRunner().invoke(command.serve_command, ["--host", "0.0.0.0", "--no-open"])
    assert refused.exit_code == 2 and "--allow-remote" in refused.output
    allowed = CliRunner().invoke(command.serve_command, ["--host", "0.0.0.0", "--allow-remote", "--no-open"])
    assert allowed.exit_code == 0 and "warning" in allowed.output and seen["hosts"] == ["0.0.0.0"]


def test_bound_sockets_are_loopback():
    sockets, port = bind(["127.0.0.1", "::1"], 0)
    try:
        assert port > 0 and sockets
        for s in sockets:
            assert security.is_loopback(s.getsockname()[0])
    finally:
        for s in sockets:
            s.close()


# --- token, Host, Origin, size -------------------------------------------------------------------

API_GETS = ["/api/info", "/api/folder", "/api/file?path=a.txt", "/api/explain?rule=pushy", "/api/stats"]


@pytest.mark.parametrize("path", API_GETS)
def test_every_api_call_needs_the_token(client, path):
    assert client.get(path, token=False)[0] == 401
    assert client.get(path, token="wrong-" + client.running.token[6:])[0] == 401
    assert client.get(path)[0] == 200


@pytest.mark.parametrize("path", ["/api/lint", "/api/save"])
def test_every_api_post_needs_the_token(client, path):
    status, body, *_ = client.post(path, {"text": "Hi"}, token=False)
    assert status == 401 and "token" in body["error"]


def test_the_page_itself_carries_no_data_and_no_token(client):
    status, _, res, raw = client.get("/", token=False)
    assert status == 200 and b"followup-lint" in raw and client.running.token.encode() not in raw


@pytest.mark.parametrize(
    "host",
    ["evil.example", "evil.example:{port}", "127.0.0.1", "127.0.0.2:{port}", "localhost.evil.example:{port}", ""],
)
def test_host_header_must_name_this_server(client, host):
    value = host.format(port=client.running.port)
    status, body, *_ = client.get("/api/info", headers={"Host": value})
    assert status == 403 and "Host" in body["error"]
    assert client.get("/", headers={"Host": value})[0] == 403  # the page too (DNS rebinding)


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}", "LOCALHOST:{port}"])
def test_own_host_names_are_accepted(client, host):
    assert client.get("/api/info", host=host.format(port=client.running.port))[0] == 200


@pytest.mark.parametrize(
    "origin", [None, "", "http://evil.example", "null", "http://127.0.0.1:1", "https://127.0.0.1:{port}"]
)
def test_state_changing_requests_need_this_origin(client, origin):
    body = {"text": "Hi Sam,\n\nThanks.\n\nJo\n"}
    headers = {"Origin": None} if origin is None else {"Origin": origin.format(port=client.running.port)}
    status, answer, *_ = client.post("/api/lint", body, headers=headers)
    assert status == 403 and "origin" in answer["error"]
    status, answer, *_ = client.post(
        "/api/save", {"path": "a.txt", "subject": "", "body": "x", "sha": "0"}, headers=headers
    )
    assert status == 403
    assert client.post("/api/lint", body)[0] == 200


def test_reads_from_another_origin_or_site_are_refused(client):
    assert client.get("/api/info", origin="http://evil.example")[0] == 403
    assert client.get("/api/info", headers={"Sec-Fetch-Site": "cross-site"})[0] == 403
    assert client.request("PUT", "/api/save", b"{}")[0] == 405
    assert client.request("OPTIONS", "/api/lint", origin=client.origin)[0] == 405


def test_request_size_is_capped(client):
    big = {"text": "Hi Sam,\n\n" + "Thank you. " * 200_000}
    status, body, *_ = client.post("/api/lint", big)
    assert status == 413 and "too large" in body["error"]
    assert client.post("/api/lint", b"{}", headers={"Content-Length": "99999999999"})[0] == 413


def test_a_chunked_body_is_capped_too(client):
    conn = http.client.HTTPConnection("127.0.0.1", client.running.port, timeout=60)
    conn.putrequest("POST", "/api/lint", skip_host=True)
    for k, v in {
        "Host": client.host,
        "Origin": client.origin,
        "X-Followup-Token": client.running.token,
        "Content-Type": "application/json",
        "Transfer-Encoding": "chunked",
    }.items():
        conn.putheader(k, v)
    conn.endheaders()
    chunk = b"x" * 65536
    try:
        for _ in range(40):  # 2.6 MB, over the cap
            conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        conn.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered and closed early: also fine
    res = conn.getresponse()
    assert res.status == 413
    conn.close()


# --- files -----------------------------------------------------------------------------------------


def test_security_headers_on_every_response(client):
    for path, token in [
        ("/", False),
        ("/static/app.js", False),
        ("/api/info", True),
        ("/nope", False),
        ("/api/info", False),
    ]:
        _, _, res, _ = client.get(path, token=token)
        csp = res.getheader("Content-Security-Policy")
        assert csp and "default-src 'none'" in csp and "script-src 'self'" in csp and "connect-src 'self'" in csp
        assert res.getheader("X-Content-Type-Options") == "nosniff"
        assert res.getheader("Referrer-Policy") == "no-referrer"
        assert res.getheader("Access-Control-Allow-Origin") is None


@pytest.mark.parametrize(
    "path",
    [
        "/static/../security.py",
        "/static/..%2fsecurity.py",
        "/static/%2e%2e/security.py",
        "/static/%2e%2e%2fsecurity.py",
        "/static/%252e%252e%252fsecurity.py",
        "/static/..%5csecurity.py",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
        "/static/....//security.py",
        "/static/app.js%00.html",
        "/static/",
        "/static/.",
        "/static/..",
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/static/__init__.py",
        "/static/icon.svg/..",
    ],
)
def test_static_files_only_from_the_package(client, path):
    status, _, _, raw = client.get(path, token=False)
    assert status in (400, 403, 404), (path, status)
    assert b"import" not in raw and b"root:" not in raw


def test_static_assets_are_served(client):
    for name in ("app.js", "app.css", "index.html", "icon.svg"):
        status, _, res, raw = client.get(f"/static/{name}", token=False)
        assert status == 200 and raw
        assert res.getheader("Content-Type").split(";")[0] in (
            "text/javascript",
            "text/css",
            "text/html",
            "image/svg+xml",
        )


def test_static_symlinks_and_folders_are_never_assets(tmp_path, monkeypatch):
    (tmp_path / "ok.js").write_text("1")
    (tmp_path / "secret.txt").write_text("secret")
    os.symlink(tmp_path / "secret.txt", tmp_path / "linked.js")
    (tmp_path / "sub.js").mkdir()
    (tmp_path / ".hidden.js").write_text("1")
    monkeypatch.setattr(security, "STATIC_DIR", tmp_path)
    assert set(security.load_static()) == {"ok.js"}


def test_no_external_resources_in_the_page():
    import re

    for path in security.STATIC_DIR.iterdir():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?:src|href|action)\s*=\s*[\"']?(?:https?:)?//", text, re.I), path
        assert not re.search(r"@import|url\(\s*[\"']?(?:https?:)?//", text, re.I), path
        assert not re.search(r"fetch\(\s*[\"'`](?:https?:)?//", text), path
        if path.suffix == ".html":
            assert "<script>" not in text and " style=" not in text and "onclick=" not in text  # all under the CSP


@pytest.mark.parametrize(
    "rel",
    [
        "../outside.txt",
        "%2e%2e%2foutside.txt",
        "%252e%252e%252foutside.txt",
        "/etc/passwd",
        "link-out.txt",
        "sub/../../outside.txt",
        "sub/../a.txt",
        "./a.txt",
        ".hidden/h.txt",
        "notes.py",
        "sub\\..\\a.txt",
        "a.txt%00.py",
        "~/a.txt",
        "sub//b.txt",
        "",
        "C:/Windows/win.ini",
        "nope.txt",
    ],
)
def test_drafts_only_from_inside_the_folder(client, rel):
    status, body, _, raw = client.get(f"/api/file?path={rel}")
    assert status in (400, 403, 404), (rel, status, body)
    assert b"OUTSIDE" not in raw and b"secret" not in raw
    status, _, _, raw = client.post(
        "/api/save", {"path": rel, "subject": "", "body": "pwned", "context": {}, "sha": "0"}
    )
    assert status in (400, 403, 404), (rel, status)


def test_links_inside_the_folder_are_followed(client):
    status, body, *_ = client.get("/api/file?path=link-in.txt")
    assert status == 200 and body["body"].startswith("Hey Zoë")


def test_nothing_outside_was_written(folder):
    assert "OUTSIDE" in (folder.parent / "outside.txt").read_text()
    assert not any("pwned" in p.read_text(errors="replace") for p in folder.parent.rglob("*") if p.is_file())


# --- the same engine: positions, findings, scores, explanations ----------------------------------------


def _cli_json(path: Path, *flags) -> dict:
    """The CLI's JSON for a draft, in process: what is compared is the JSON (test_cli.py
    runs the command in a process of its own; a fresh interpreter per case cost a model
    load each)."""
    from click.testing import CliRunner

    from followup_lint.cli.main import lint_command

    args = ["--format", "json", "--no-cache", "--exit-zero", *flags, str(path)]
    result = CliRunner().invoke(lint_command, args, env={"NO_COLOR": "1"}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["files"][0]


def _offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    return sum(len(l) + 1 for l in lines[: line - 1]) + column - 1


@pytest.mark.parametrize(
    "draft,context,flags",
    [
        (EMOJI_DRAFT, {"kind": "thank-you", "setting": "corporate"}, ["--kind", "thank-you", "--setting", "corporate"]),
        (
            ACCENT_DRAFT,
            {"kind": "check-in", "interview_date": "2026-11-03", "send_date": "2026-11-05"},
            ["--kind", "check-in", "--interview-date", "2026-11-03", "--send-date", "2026-11-05"],
        ),
    ],
)
def test_utf16_spans_match_the_cli(client, tmp_path, draft, context, flags):
    path = tmp_path / "draft.txt"
    path.write_text(draft, encoding="utf-8")
    cli = _cli_json(path, *flags)
    status, page, *_ = client.post("/api/lint", {"text": draft, "context": context, "channel": "spans"})
    assert status == 200
    assert page["score"] == cli["score"] and page["verdict"] == cli["verdict"] and page["kind"] == cli["kind"]
    assert [f["rule"] for f in page["findings"]] == [f["rule"] for f in cli["findings"]]
    units = draft.encode("utf-16-le")
    astral = sum(1 for ch in draft if ord(ch) > 0xFFFF)
    assert astral, "the draft must have characters outside the BMP"
    for mine, theirs in zip(page["findings"], cli["findings"]):
        assert (mine["message"], mine["line"], mine["column"]) == (theirs["message"], theirs["line"], theirs["column"])
        start = _offset(draft, theirs["line"], theirs["column"])
        end = _offset(draft, theirs["end_line"], theirs["end_column"])
        # What JavaScript's text.slice(start, end) gives is the CLI's span, character for character.
        js_slice = units[mine["start"] * 2 : mine["end"] * 2].decode("utf-16-le")
        assert js_slice == draft[start:end], (mine["rule"], js_slice, draft[start:end])
        assert payload.utf16_to_index(draft, mine["start"]) == start
        if mine["fix"]:
            for edit, cli_edit in zip(mine["fix"]["edits"], theirs["fix"]["edits"]):
                s = _offset(draft, cli_edit["line"], cli_edit["column"])
                assert payload.utf16_to_index(draft, edit["start"]) == s
                assert edit["replacement"] == cli_edit["replacement"]


def test_utf16_conversion_round_trips():
    text = "a😀b🎉🎉c é e\u0301 \U0001f468\u200d\U0001f469"
    units = payload.Utf16(text)
    for i in range(len(text) + 1):
        u = units(i)
        assert u == len(text[:i].encode("utf-16-le")) // 2
        assert payload.utf16_to_index(text, u) == i


def test_explain_is_the_cli_explain(client):
    status, body, *_ = client.get("/api/explain?rule=pushy")
    proc = subprocess.run(
        [sys.executable, "-m", "followup_lint", "--explain", "pushy"], capture_output=True, text=True, timeout=60
    )
    assert status == 200 and body["text"] == proc.stdout
    assert client.get("/api/explain?rule=no-such-rule")[0] == 404


def test_bad_dates_are_reported_on_their_field_and_the_rest_is_still_linted(client):
    status, body, *_ = client.post(
        "/api/lint",
        {
            "text": "Hi Sam,\n\nHave you decided yet?\n\nJo\n",
            "context": {"interview_date": "03/11/2026", "kind": "check-in"},
        },
    )
    assert status == 200 and "interview_date" in body["field_errors"] and body["score"] is not None


def test_schedule_and_too_early(client):
    text = "Hi Sam,\n\nI wanted to check in on the coordinator role. Is there anything else I can send you?\n\nJo\n"
    early = {"kind": "check-in", "interview_date": "2026-11-03", "send_date": "2026-11-05"}
    _, body, *_ = client.post("/api/lint", {"text": text, "context": early})
    assert "too-early" in [f["rule"] for f in body["findings"]]
    assert body["schedule"]["checkin_from"] == "2026-11-10" and body["schedule"]["draft"]["days_early"] == 5
    _, body, *_ = client.post("/api/lint", {"text": text, "context": dict(early, send_date="2026-11-12")})
    assert "too-early" not in [f["rule"] for f in body["findings"]]


# --- the coach's view and Save -----------------------------------------------------------------------------


def test_folder_lists_drafts_with_scores_and_rule_frequency(client, linter, folder):
    status, body, *_ = client.get("/api/folder")
    assert status == 200
    paths = [d["path"] for d in body["drafts"]]
    assert set(paths) == {"a.txt", "sub/b.txt", "c.md", "d.eml", "link-in.txt"}  # no link-out, hidden, .py
    a = next(d for d in body["drafts"] if d["path"] == "a.txt")
    cli = _cli_json(folder / "a.txt")
    assert (a["score"], a["verdict"], a["findings"]) == (cli["score"], cli["verdict"], len(cli["findings"]))
    total = {}
    for d in body["drafts"]:
        for rule, n in d["rules"].items():
            total[rule] = total.get(rule, 0) + n
    assert {r["rule"]: r["count"] for r in body["frequency"]} == total
    counts = [r["count"] for r in body["frequency"]]
    assert counts == sorted(counts, reverse=True)


def test_open_splits_the_draft_for_the_writers_view(client):
    status, body, *_ = client.get("/api/file?path=c.md")
    assert status == 200
    assert body["subject"] == "Checking in" and body["body"].startswith("Hi Sam,\n\nHave you")
    assert body["context"]["kind"] == "check-in" and body["context"]["interview_date"] == "2026-11-03"
    assert body["context"]["ignore"] == ["too-long"] and body["writable"]
    status, body, *_ = client.get("/api/file?path=d.eml")
    assert status == 200 and not body["writable"] and body["subject"] == "Thanks"


def test_save_writes_atomically_inside_the_folder_keeping_format(client, folder):
    before = (folder / "c.md").read_bytes()
    _, opened, *_ = client.get("/api/file?path=c.md")
    ctx = dict(opened["context"], send_date="2026-11-12", interview_date="2026-11-03", role="Coordinator, Day Shift")
    body = opened["body"].replace("Have you made a decision yet?", "Is there anything else I can send you?")
    status, saved, *_ = client.post(
        "/api/save", {"path": "c.md", "subject": "Checking in", "body": body, "context": ctx, "sha": opened["sha"]}
    )
    assert status == 200 and saved["changed"]
    after = (folder / "c.md").read_bytes()
    assert after != before and b"\r\nIs there anything else I can send you?\r\n" in after
    text = after.decode()
    assert "kind: check-in  # after the panel\n" in text  # untouched lines keep their comments
    assert (
        "send_date: 2026-11-12\n" in text and "role: Coordinator, Day Shift\n" in text and "ignore: [too-long]" in text
    )
    assert text.count("---") == 2 and "\r\n" not in text.split("---")[1]  # the front matter's own line breaks
    assert not [p for p in folder.iterdir() if p.name.startswith(".c.md.")]  # no temp file left
    # A stale page cannot overwrite the file: the hash it opened no longer matches.
    status, answer, *_ = client.post(
        "/api/save", {"path": "c.md", "subject": "x", "body": "old", "context": {}, "sha": opened["sha"]}
    )
    assert status == 409 and "changed on disk" in answer["error"]
    assert (folder / "c.md").read_bytes() == after
    # Clearing a field removes its line.
    _, again, *_ = client.get("/api/file?path=c.md")
    status, _, *_ = client.post(
        "/api/save",
        {
            "path": "c.md",
            "subject": again["subject"],
            "body": again["body"],
            "context": dict(again["context"], role=""),
            "sha": again["sha"],
        },
    )
    assert status == 200 and "role:" not in (folder / "c.md").read_text()


def test_save_refuses_eml(client):
    _, opened, *_ = client.get("/api/file?path=d.eml")
    status, body, *_ = client.post(
        "/api/save", {"path": "d.eml", "subject": "x", "body": "y", "context": {}, "sha": opened["sha"]}
    )
    assert status == 409 and ".eml" in body["error"]


def test_save_round_trips_a_plain_draft_unchanged(client, folder):
    _, opened, *_ = client.get("/api/file?path=a.txt")
    before = (folder / "a.txt").read_bytes()
    status, body, *_ = client.post(
        "/api/save",
        {
            "path": "a.txt",
            "subject": opened["subject"],
            "body": opened["body"],
            "context": opened["context"],
            "sha": opened["sha"],
        },
    )
    assert status == 200 and not body["changed"] and (folder / "a.txt").read_bytes() == before


# --- scheduling: off the event loop, newest request wins -------------------------------------------------------


def test_lints_run_off_the_event_loop_and_a_newer_request_supersedes(client):
    long_text = (
        "Hi Sam,\n\n"
        + "Thank you for the conversation about the analytics role and the team's plans. " * 120
        + "\n\nJo\n"
    )
    _, before, *_ = client.get("/api/stats")
    results = {}

    def send(i):
        results[i] = client.post("/api/lint", {"text": long_text + f"version {i}\n", "channel": "burst", "seq": i})

    first = threading.Thread(target=send, args=(0,))
    first.start()
    time.sleep(0.05)
    started = time.perf_counter()
    status, *_ = client.get("/api/info")  # answered while the lint runs
    quick = time.perf_counter() - started
    rest = [threading.Thread(target=send, args=(i,)) for i in range(1, 6)]
    for t in rest:
        t.start()
        time.sleep(0.01)
    for t in [first, *rest]:
        t.join(300)
    _, after, *_ = client.get("/api/stats")
    assert status == 200
    runs = after["lintRuns"] - before["lintRuns"]
    superseded = after["superseded"] - before["superseded"]
    assert results[5][1]["seq"] == 5 and results[5][1].get("score") is not None  # the newest is always answered
    assert superseded >= 1 and runs + superseded == 6 and runs <= 3
    assert all(results[i][1].get("superseded") for i in range(1, 5) if results[i][1].get("score") is None)
    assert quick < max(0.5, after["lintSeconds"] - before["lintSeconds"]), quick


def test_help_imports_no_web_stack(tmp_path):
    probe = (
        "import sys\nfrom followup_lint.cli.main import main\n"
        "for args in (['--help'], ['serve', '--help']):\n"
        "    try:\n        main(args)\n    except SystemExit:\n        pass\n"
        "print('HEAVY:' + ','.join(m for m in ('starlette', 'uvicorn', 'spacy', 'anyio', 'h11') if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert "serve" in proc.stdout
    assert proc.stdout.strip().splitlines()[-1] == "HEAVY:"


@pytest.mark.slow
def test_the_command_serves_the_folder_with_its_config(tmp_path):
    """`followup-lint serve FOLDER --no-open`: prints the URL with the token, lints through
    the folder's config (here: pushy turned off), and stops on SIGINT."""
    import re
    import signal
    import urllib.request

    (tmp_path / ".followup-lint.yaml").write_text("ignore: [pushy]\n")
    (tmp_path / "a.txt").write_text("Hi Sam,\n\nHave you made a decision yet? Thx!\n\nJo\n")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "followup_lint",
            "serve",
            str(tmp_path),
            "--no-open",
            "--port",
            "0",
            "--today",
            "2026-11-20",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = None
        deadline = time.monotonic() + 120
        while url is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            m = re.search(r"(http://127\.0\.0\.1:(\d+))/\?token=(\S+)", line)
            if m:
                url, token = m.group(1), m.group(3)
        assert url, proc.stderr.read() if proc.poll() is not None else "no URL printed"
        req = urllib.request.Request(
            f"{url}/api/lint",
            method="POST",
            data=json.dumps({"text": "Hi Sam,\n\nHave you made a decision yet? Thx!\n\nJo\n"}).encode(),
            headers={"X-Followup-Token": token, "Origin": url, "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=120) as res:
            body = json.loads(res.read())
        rules = [f["rule"] for f in body["findings"]]
        assert "too-casual" in rules and "pushy" not in rules and body["today"] == "2026-11-20"
        req = urllib.request.Request(f"{url}/api/folder", headers={"X-Followup-Token": token})
        with urllib.request.urlopen(req, timeout=120) as res:
            assert [d["path"] for d in json.loads(res.read())["drafts"]] == ["a.txt"]
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert proc.returncode in (0, -signal.SIGINT)


def test_the_page_sends_nothing_to_the_network(client, monkeypatch):
    """With grammar off, linting through the page, the folder view and Save open no
    connection and resolve no name beyond this machine (the grammar backend's rule)."""
    import socket

    outside = []
    real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def connect(sock, address):
        if isinstance(address, tuple) and not security.is_loopback(str(address[0])):
            outside.append(address)
        return real_connect(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        if host not in (None, "localhost") and not security.is_loopback(str(host)):
            outside.append(host)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    assert client.post("/api/lint", {"text": EMOJI_DRAFT, "context": {"kind": "thank-you"}})[0] == 200
    assert client.get("/api/folder")[0] == 200
    assert client.get("/api/explain?rule=grammar")[0] == 200
    assert not outside, outside


def test_a_pasted_draft_is_held_to_max_file_size(client, linter):
    text = "Hi Sam,\n\n" + "Thank you. " * (linter.config.max_file_size // 11 + 10)
    status, body, *_ = client.post("/api/lint", {"text": text})
    assert status == 200 and "max-file-size" in body["error"] and not body["findings"]


def test_schedule_is_the_cli_schedule(client):
    dates = {"interview_date": "2026-11-06", "reply_promised_by": "2026-11-13"}
    _, body, *_ = client.post("/api/lint", {"text": "Hi Sam,\n\nAny news on the role?\n\nJo\n", "context": dates})
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "followup_lint",
            "schedule",
            "--format",
            "json",
            "--interview-date",
            dates["interview_date"],
            "--reply-promised-by",
            dates["reply_promised_by"],
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    cli = json.loads(proc.stdout)
    page = body["schedule"]
    assert {k: v for k, v in page.items() if k != "draft"} == {k: v for k, v in cli.items() if k != "draft"}
