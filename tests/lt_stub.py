"""A stand-in for a LanguageTool server, for tests only.

The real LanguageTool (a Java server) cannot be downloaded on the machines these tests run
on, so this small HTTP server answers the two endpoints language-tool-python calls, in
LanguageTool's documented JSON shape (https://languagetool.org/http-api/):

    GET  /v2/languages -> [{"name": "English (US)", "code": "en", "longCode": "en-US"}, ...]
    POST /v2/check     -> {"software": {...}, "language": {...}, "matches": [...]}

Its matches are computed from the submitted text by a few of LanguageTool's real English
rules, re-implemented as regular expressions: ENGLISH_WORD_REPEAT_RULE ("for for"),
EN_A_VS_AN ("a idea", "an great"), and MORFOLOGIK_RULE_EN_US for a handful of misspellings
(so the spelling category and its suppression can be tested). Offsets and lengths are
counted in UTF-16 code units, as LanguageTool's Java server counts them. It is not
LanguageTool: it knows only these patterns, and tests must not treat it as more.

Run it alone with `python tests/lt_stub.py 8081` to try `grammar: {server: ...}` by hand.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LANGUAGES = [
    {"name": "English", "code": "en", "longCode": "en"},
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
    {"name": "German (Germany)", "code": "de", "longCode": "de-DE"},
]
_REPEAT = re.compile(r"\b(\w+)\s+(\1)\b", re.I)
_REPEAT_OK = {"had", "that", "is"}  # LanguageTool's exceptions: "had had", "that that"
_ARTICLE = re.compile(r"\b(a|an)\s+(\w+)", re.I)
# Words whose first letter misleads: vowel letter with a consonant sound, silent h.
_CONSONANT_SOUND = ("uni", "use", "usu", "eu", "one", "once", "ewe")
_VOWEL_SOUND = ("hour", "honest", "honour", "honor", "heir")
_TYPOS = {"definately": "definitely", "recieve": "receive", "oppurtunity": "opportunity"}


def _wants_an(word: str) -> bool:
    w = word.lower()
    if w.startswith(_VOWEL_SOUND):
        return True
    if w.startswith(_CONSONANT_SOUND):
        return False
    return w[:1] in "aeiou"


def _utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def _match(text, start, end, message, replacements, rule_id, category, issue_type):
    offset, length = _utf16(text, start), _utf16(text, end) - _utf16(text, start)
    s = max(0, start - 40)
    context = text[s : end + 40]
    return {
        "message": message,
        "shortMessage": "",
        "replacements": [{"value": r} for r in replacements],
        "offset": offset,
        "length": length,
        "context": {"text": context, "offset": _utf16(context, start - s), "length": length},
        "sentence": text,
        "type": {"typeName": "Other"},
        "rule": {
            "id": rule_id,
            "description": message,
            "issueType": issue_type,
            "category": {"id": category, "name": category.title()},
        },
        "ignoreForIncompleteSentence": False,
        "contextForSureMatch": 0,
    }


def find_matches(text: str, disabled_categories=(), disabled_rules=()) -> list:
    out = []
    for m in _REPEAT.finditer(text):
        if m.group(1).lower() not in _REPEAT_OK:
            out.append(
                _match(
                    text,
                    m.start(),
                    m.end(),
                    "Possible typo: you repeated a word.",
                    [m.group(1)],
                    "ENGLISH_WORD_REPEAT_RULE",
                    "MISC",
                    "duplication",
                )
            )
    for m in _ARTICLE.finditer(text):
        article, word = m.group(1), m.group(2)
        right = "an" if _wants_an(word) else "a"
        if article.lower() != right:
            fixed = right.capitalize() if article[0].isupper() else right
            out.append(
                _match(
                    text,
                    m.start(1),
                    m.end(1),
                    f"Use “{fixed}” instead of “{article}” if the following word starts with a "
                    f"{'vowel' if right == 'an' else 'consonant'} sound.",
                    [fixed],
                    "EN_A_VS_AN",
                    "MISC",
                    "misspelling",
                )
            )
    for m in re.finditer(r"\b\w+\b", text):
        if m.group(0).lower() in _TYPOS:
            out.append(
                _match(
                    text,
                    m.start(),
                    m.end(),
                    "Possible spelling mistake found.",
                    [_TYPOS[m.group(0).lower()]],
                    "MORFOLOGIK_RULE_EN_US",
                    "TYPOS",
                    "misspelling",
                )
            )
    out = [
        o
        for o in out
        if o["rule"]["category"]["id"] not in disabled_categories and o["rule"]["id"] not in disabled_rules
    ]
    return sorted(out, key=lambda o: o["offset"])


class Handler(BaseHTTPRequestHandler):
    requests_seen: list = []  # (path, params) of every request, for tests

    def log_message(self, *args):  # keep test output clean
        pass

    def _send(self, status: int, body) -> None:
        data = json.dumps(body).encode("utf-8") if not isinstance(body, bytes) else body
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if not isinstance(body, bytes) else "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (timeout tests)

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        Handler.requests_seen.append((path, {}))
        if path == "/v2/languages":
            self._send(200, LANGUAGES)
        elif path == "/v2/healthcheck":
            self._send(200, b"OK")
        else:
            self._send(404, b"Not found")

    def do_POST(self):
        path = urllib.parse.urlsplit(self.path).path
        length = int(self.headers.get("Content-Length", 0))
        params = {k: v[0] for k, v in urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8")).items()}
        Handler.requests_seen.append((path, params))
        if path != "/v2/check":
            self._send(404, b"Not found")
            return
        if "text" not in params or "language" not in params:
            self._send(400, b"Error: Missing 'text' or 'language' parameter")
            return
        if params["language"] not in {l["longCode"] for l in LANGUAGES} | {"auto"}:
            self._send(400, f"Error: '{params['language']}' is not a language code known to LanguageTool.".encode())
            return
        split = lambda key: [x for x in params.get(key, "").split(",") if x]  # noqa: E731
        matches = find_matches(params["text"], split("disabledCategories"), split("disabledRules"))
        lang = next(l for l in LANGUAGES if l["longCode"] == params["language"])
        self._send(
            200,
            {
                "software": {"name": "LanguageTool (test stand-in)", "version": "6.6", "apiVersion": 1},
                "language": {
                    "name": lang["name"],
                    "code": lang["longCode"],
                    "detectedLanguage": {"name": lang["name"], "code": lang["longCode"], "confidence": 0.9},
                },
                "matches": matches,
            },
        )


def start(port: int = 0):
    """Start the stand-in on localhost in a thread; returns (server, url)."""
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


if __name__ == "__main__":
    srv, url = start(int(sys.argv[1]) if len(sys.argv) > 1 else 8081)
    print(f"LanguageTool stand-in (tests only) at {url}")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        srv.shutdown()
