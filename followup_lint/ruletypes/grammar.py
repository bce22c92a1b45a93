"""grammar: LanguageTool's matches, as findings of one rule.

Off unless the config names a server (`grammar: {server: http://localhost:8081}`) or opts
in to the public API (`send-drafts-to-public-languagetool: true`): the draft is sent to
that server and nowhere else. It needs language-tool-python, the optional `[grammar]`
extra (GPL-3.0-only, so not part of the core install).

When the check cannot run (the extra is missing, nothing answers at the address, the
server errors) the draft gets one note, "grammar check skipped: ...", and no findings: a
lint never fails or hangs because a grammar server is down. Reachability is probed with a
short connect timeout first, because language-tool-python's own request timeout is
minutes; an unreachable server is not asked again for a while, so a folder of drafts
costs one probe, not one per draft.

LanguageTool counts offsets in UTF-16 code units; findings count code points. Its
spelling category is dropped when our own `spelling` rule runs.
"""

from __future__ import annotations

import re
import socket
import time
import urllib.parse

from followup_lint.ruletypes.common import Hit, SettingsError

PUBLIC_LANGUAGETOOL = "https://api.languagetool.org"
PROBE_TIMEOUT = 1.0  # seconds to wait for a TCP connection to the server
DEFAULT_TIMEOUT = 10.0  # seconds for one /v2/check request
RETRY_AFTER = 30.0  # seconds an unreachable server is left alone
_SPELLING_CATEGORIES = {"TYPOS"}

_clients: dict = {}  # (server, language, timeout, spelling_runs, disabled rules, categories) -> client
_down: dict = {}  # server -> (time it failed, why)


class Unavailable(Exception):
    """The grammar check cannot run; str() says why, for the note."""


FIELDS = frozenset({"match", "rule_id", "lt_message", "replacement", "advice"})
FIXES: frozenset = frozenset()


def validate(data: dict, located) -> None:
    """Nothing beyond the schema: its settings (the server) are the config's; see settings_from_config."""


def settings_from_config(data: dict | None) -> dict | None:
    """The config's `grammar:` table checked for what the schema cannot say (a server is
    named, and the public API is used only when its own flag says so), with the server
    filled in; None when there is none. Raises SettingsError."""
    if data is None:
        return None
    public = data.get("send-drafts-to-public-languagetool", False)
    server = data.get("server")
    if server and "languagetool.org" in server.lower() and not public:
        raise SettingsError(
            ("grammar", "server"),
            f"grammar: server {server!r} is the public LanguageTool API, which sends your drafts "
            "over the internet; set `send-drafts-to-public-languagetool: true` to accept that, "
            "or run your own server (see README: Spelling and grammar)",
        )
    if not server and not public:
        raise SettingsError(
            ("grammar",),
            "grammar: name your LanguageTool server (`server: http://localhost:8081`), or set "
            "`send-drafts-to-public-languagetool: true` to send drafts to languagetool.org",
        )
    if server and public and "languagetool.org" not in server.lower():
        raise SettingsError(
            ("grammar", "server"),
            "grammar: give either your own `server:` or `send-drafts-to-public-languagetool: true`, not both",
        )
    settings = dict(data)
    settings["server"] = server or PUBLIC_LANGUAGETOOL
    return settings


def check(rule, parsed, ctx, settings) -> list[Hit]:
    spelling_runs = settings.spelling_runs
    languagetool = settings.grammar
    if not languagetool:
        return []
    draft = parsed.draft
    pieces = [
        (s, draft.text[s:e])
        for name in rule.spec.regions
        for s, e in draft.regions.get(name, [])
        if draft.text[s:e].strip()
    ]
    if not pieces:
        return []
    try:
        client = _client(languagetool, settings.language or "en-US", spelling_runs)
        hits = []
        for start, text in pieces:
            hits.extend(_hits(client.check(text), start, text, spelling_runs))
    except Unavailable as exc:
        parsed.notes.append(f"grammar check skipped: {exc}")
        return []
    except Exception as exc:  # noqa: BLE001 - sorted out below; nothing a server says may crash a lint
        reason = _reason(exc, languagetool["server"])
        if reason is None:
            raise
        _down[languagetool["server"]] = (time.monotonic(), reason)
        _clients.clear()
        parsed.notes.append(f"grammar check skipped: {reason}")
        return []
    return sorted(hits, key=lambda h: h.start)


def _hits(matches, base: int, text: str, spelling_runs: bool) -> list[Hit]:
    to_points = _Utf16(text)
    out = []
    for m in matches:
        # By category, not issue type: LanguageTool files EN_A_VS_AN under "misspelling" too.
        if spelling_runs and m.category in _SPELLING_CATEGORIES:
            continue
        # language-tool-python has already turned the start into code points; the length
        # is still in UTF-16 units, so the end is found through the UTF-16 start.
        start = m.offset
        end = to_points.code_points(to_points.units(start) + m.error_length)
        if not (0 <= start < end <= len(text)):
            continue
        replacements = [r for r in m.replacements if isinstance(r, str)][:5]
        advice = ""
        if replacements:
            advice = (
                f"Write {replacements[0]!r}"
                + (f" (or {', '.join(repr(r) for r in replacements[1:3])})" if len(replacements) > 1 else "")
                + ". "
            )
        out.append(
            Hit(
                base + start,
                base + end,
                values={
                    "match": text[start:end],
                    "rule_id": m.rule_id,
                    "lt_message": m.message.strip(),
                    "replacement": replacements[0] if replacements else "",
                    "advice": advice,
                },
                fix={"replace": replacements[0], "safe": len(replacements) == 1} if replacements else None,
                source_rule=m.rule_id,
            )
        )
    return out


class _Utf16:
    """Offsets between code points and UTF-16 code units in one text."""

    def __init__(self, text: str):
        self.astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def units(self, point: int) -> int:
        return point + sum(1 for i in self.astral if i < point)

    def code_points(self, unit: int) -> int:
        # Each astral character wholly before `unit` took two units and is one point.
        return unit - sum(1 for k, i in enumerate(self.astral) if i + k + 2 <= unit)


def _client(settings: dict, language: str, spelling_runs: bool):
    server = settings["server"]
    failed = _down.get(server)
    if failed and time.monotonic() - failed[0] < RETRY_AFTER:
        raise Unavailable(failed[1])
    timeout = float(settings.get("timeout", DEFAULT_TIMEOUT))
    key = (
        server,
        language,
        timeout,
        spelling_runs,
        tuple(settings.get("disabled-rules", ())),
        tuple(settings.get("disabled-categories", ())),
    )
    if key in _clients:
        return _clients[key]
    try:
        import language_tool_python
    except ImportError:
        raise Unavailable("language-tool-python is not installed; run `pip install 'followup-lint[grammar]'`") from None
    try:
        _probe(server)
    except OSError as exc:
        reason = f"no LanguageTool server answers at {server} ({_short(exc)})"
        _down[server] = (time.monotonic(), reason)
        raise Unavailable(reason) from None

    class Tool(language_tool_python.LanguageTool):
        # language-tool-python's request timeout is a class constant of 300 s; a draft
        # check must not hold a lint that long.
        _TIMEOUT = timeout

    tool = Tool(language, remote_server=server)
    tool.disabled_rules = set(settings.get("disabled-rules", ()))
    tool.disabled_categories = set(settings.get("disabled-categories", ()))
    if spelling_runs:
        tool.disable_spellchecking()
    _down.pop(server, None)
    _clients[key] = tool
    return tool


def _probe(server: str) -> None:
    """Open and close a TCP connection to the server, or raise OSError quickly."""
    url = urllib.parse.urlsplit(server if "://" in server else "http://" + server)
    port = url.port or (443 if url.scheme == "https" else 80)
    with socket.create_connection((url.hostname or "localhost", port), timeout=PROBE_TIMEOUT):
        pass


def _reason(exc: Exception, server: str) -> str | None:
    """Why a check failed, for the note; None for errors that are bugs, not outages."""
    try:
        import requests
        from language_tool_python.exceptions import LanguageToolError
    except ImportError:
        return None
    # language-tool-python wraps connection errors and timeouts in LanguageToolError; a
    # bare requests error is handled the same way in case a version lets one through.
    cause = exc.__cause__ if isinstance(exc, LanguageToolError) else exc
    if isinstance(cause, (requests.exceptions.ConnectionError, requests.exceptions.Timeout)):
        return f"the LanguageTool server at {server} did not answer ({_short(cause)})"
    if isinstance(exc, LanguageToolError):
        return f"the LanguageTool server at {server} failed: {_short(exc)}"
    if isinstance(exc, (ValueError, KeyError)) and "language" in str(exc).lower():
        return f"the LanguageTool server at {server} does not check this language: {_short(exc)}"
    if isinstance(exc, (ValueError, KeyError, TypeError)):
        return f"the LanguageTool server at {server} sent an answer we could not read: {_short(exc)}"
    return None


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    # urllib3 buries the reason ("[Errno 111] Connection refused") in a long repr.
    errno = re.search(r"\[Errno -?\d+\] [^'\")(]+", text)
    if errno:
        return errno.group(0).strip()
    timeout = re.search(r"Read timed out[^'\")]*", text)
    if timeout:
        return timeout.group(0).strip(" .")
    return text if len(text) <= 160 else text[:157] + "…"
