"""Split the text of an email body into regions: greeting, body, sign-off, signature, quoted.

Works on lines of the analysed text and returns character ranges into it, so the caller's
offsets stay exact. A line ends at "\\n", "\\r\\n" or a lone "\\r" (what editors do); nothing
else ends a line here (not U+2028, not form feed), so these rules agree with `Draft.locate`.

The heuristics are deliberately plain and line-based: an email's structure is visible in its
lines (a salutation opens it, a closing phrase and a name end it, an earlier thread hangs off
the bottom). Every non-blank character of the range ends up in exactly one region; blank
lines may sit inside a range but are never needed to form one.
"""

from __future__ import annotations

import re

from followup_lint.model.draft import DraftError
from followup_lint.model.text import Range, iter_lines, trim

REGION_NAMES = ("front-matter", "headers", "subject", "greeting", "body", "sign-off", "signature", "quoted")
# The regions a rule can read (`region:` in a rule file): all but the file's scaffolding.
RULE_REGIONS = tuple(name for name in REGION_NAMES if name not in ("front-matter", "headers"))


_ATTRIBUTION = re.compile(r"^\s*On\s.*\bwrote:\s*$")


_ATTRIBUTION_START = re.compile(r"^\s*On\s")


_WROTE_END = re.compile(r"\bwrote:\s*$")


_ORIGINAL = re.compile(r"^\s*-{2,}\s*Original Message\s*-{2,}\s*$", re.I)


_FORWARDED = re.compile(r"^\s*(?:-{3,}\s*Forwarded message\s*-{3,}|Begin forwarded message:\s*$)", re.I)


_OUTLOOK_FROM = re.compile(r"^\s*From:\s*\S")


_OUTLOOK_SENT = re.compile(r"^\s*(?:Sent|Date):")


_OUTLOOK_TO = re.compile(r"^\s*(?:To|Subject):")


# Outlook puts a rule of underscores above its "From:" block; it belongs to the quote.
_RULE_LINE = re.compile(r"^\s*[_\-=]{10,}\s*$")


_MAX_ATTRIBUTION = 300  # longer "On ... wrote:" lines are prose, not an attribution


def _is_quote_line(line: str) -> bool:
    return line.lstrip().startswith(">")


def _attribution_lines(lines: list[str], i: int) -> int:
    """How many lines (1 or 2) form a Gmail attribution starting at line i; 0 if none."""
    line = lines[i]
    if len(line) <= _MAX_ATTRIBUTION and _ATTRIBUTION.match(line):
        return 1
    # Gmail wraps a long attribution: "On Tue, 3 Mar 2025 at 10:14, Priya Raman <p@x.com>\nwrote:"
    if (
        i + 1 < len(lines)
        and _ATTRIBUTION_START.match(line)
        and _WROTE_END.search(lines[i + 1])
        and len(line) + len(lines[i + 1]) <= _MAX_ATTRIBUTION
    ):
        return 2
    return 0


def _is_outlook_block(lines: list[str], i: int) -> bool:
    if not _OUTLOOK_FROM.match(lines[i]):
        return False
    following = lines[i + 1 : i + 5]
    return any(_OUTLOOK_SENT.match(x) for x in following) and any(_OUTLOOK_TO.match(x) for x in following)


def quoted_lines(lines: list[str]) -> list[bool]:
    """Mark the lines that belong to an earlier message (quoted thread)."""
    n = len(lines)
    quoted = [_is_quote_line(x) for x in lines]
    i = 0
    while i < n:
        line = lines[i]
        if not line.strip() or quoted[i]:
            i += 1
            continue
        span = _attribution_lines(lines, i)
        if span:
            end = _attribution_extent(lines, i + span)
            for k in range(_rule_above(lines, i), end):
                quoted[k] = True
            i = end
            continue
        if _ORIGINAL.match(line) or _FORWARDED.match(line) or _is_outlook_block(lines, i):
            for k in range(_rule_above(lines, i), n):
                quoted[k] = True
            break
        i += 1
    return quoted


def _attribution_extent(lines: list[str], after: int) -> int:
    """End (exclusive line index) of the thread an attribution introduces.

    Usually the rest of the message. But when the attribution is followed by a run of ">"
    lines and then unquoted text again (a bottom-posted or interleaved reply), only that
    run is the quote, so the reply below it stays in the body.
    """
    n = len(lines)
    j = after
    while j < n and not lines[j].strip():
        j += 1
    if j == n or not _is_quote_line(lines[j]):
        return n
    while j < n and (_is_quote_line(lines[j]) or not lines[j].strip()):
        j += 1
    if j == n:
        return n
    # back off over the blank lines between the quote and the reply
    while j > after and not lines[j - 1].strip():
        j -= 1
    return j


def _rule_above(lines: list[str], i: int) -> int:
    """Index where the quote starts: i, or the separator rule just above it."""
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    return j if j >= 0 and _RULE_LINE.match(lines[j]) else i


_SALUTATION = re.compile(
    r"(?:dear|hi|hello|hey|hiya|heya|howdy|greetings"
    r"|good\s+(?:morning|afternoon|evening|day)|to\s+whom\s+it\s+may\s+concern)\b",
    re.I,
)


# Words that open a greeting ("Morning all,", "Yo Sam!") but also ordinary sentences
# ("Morning meetings are the worst, …"): they count only right before the punctuation.
_WEAK_SALUTATION = re.compile(r"(?:yo|morning|afternoon|evening)\b", re.I)


_MAX_WEAK_WORDS = 2


# Where a salutation ends on its line: a comma, colon, "!", a dash, or a full stop.
_GREETING_STOP = re.compile(r"[,:;!]+|[\u2014\u2013]|\s-\s|\.+(?=\s|$)")


_TITLES = {"mr", "ms", "mrs", "mx", "dr", "prof", "sr", "jr", "st", "rev", "hon"}


_MAX_GREETING_WORDS = 6  # words before the stop ("Dear Hiring Committee at Acme Corp,")


# ... unless the stop ends the line: "Dear Principal Whitaker and members of the hiring committee,"
_MAX_GREETING_LINE_WORDS = 12


_MAX_GREETING_WORDS_DOT = 4  # "Hi Sam." but not "Morning meetings are the worst."


def greeting_length(line: str) -> int | None:
    """Length of the salutation at the start of a stripped line ("Hi Sam," of "Hi Sam, thanks …")."""
    strong = _SALUTATION.match(line)
    if strong or _WEAK_SALUTATION.match(line):
        limit = _MAX_GREETING_WORDS if strong else _MAX_WEAK_WORDS
        for stop in _GREETING_STOP.finditer(line):
            before = line[: stop.start()].split()
            if stop.group().startswith("."):
                last = before[-1].rstrip(".").lower() if before else ""
                if last in _TITLES or len(last) == 1:
                    continue  # "Dr." or an initial, not the end of the salutation
                if len(before) > min(limit, _MAX_GREETING_WORDS_DOT):
                    return None
            elif len(before) > limit:
                whole_line = (
                    strong
                    and stop.end() == len(line)
                    and stop.group()[-1] in ",:"
                    and len(before) <= _MAX_GREETING_LINE_WORDS
                )
                if not whole_line:
                    return None
            return stop.end()
        return len(line) if len(line.split()) <= limit else None
    # A bare name as salutation: "Ms. Okafor," / "Priya:" / "Hiring Team,"
    if line[-1:] in (",", ":") and len(line.split()) <= _MAX_GREETING_WORDS:
        if is_name_like(line[:-1]) and closing_parts(line) is None:
            return len(line)
    return None


# Short closing phrases only: "Thank you for your time and consideration." is a body sentence.
_CLOSINGS = """
best | all the best | all best | my best | all my best | best regards | best wishes | kind regards
kindest regards | warm regards | warmest regards | warm wishes | warmest wishes | regards
kind wishes | with regards | with best regards | with kind regards | with warm regards
many thanks | many thanks again | thanks | thanks again | thanks so much | thanks very much
thanks a lot | thanks a million | thanks in advance | thank you | thank you again
thank you so much | thank you very much | thank you in advance | thank you kindly | thanks much
with thanks | with many thanks | with gratitude | with appreciation | gratefully | gratefully yours
sincerely | sincerely yours | yours sincerely | yours truly | very truly yours | yours faithfully
faithfully | yours | respectfully | respectfully yours | cordially | warmly | warmest | cheers
talk soon | speak soon | talk to you soon | take care | thx
"""


_CLOSING_ALTERNATIVES = sorted((c.strip() for c in re.split(r"[|\n]", _CLOSINGS) if c.strip()), key=len, reverse=True)


_CLOSING = re.compile(
    r"(?:" + "|".join(r"\s+".join(map(re.escape, c.split())) for c in _CLOSING_ALTERNATIVES) + r")\b",
    re.I,
)


_CLOSING_PUNCT = re.compile(r"\s*(?:[,!.;:]+|[\-\u2014\u2013]+)")


_SIGN_OFF_WINDOW = 8  # the sign-off is among the last this-many non-blank lines


def closing_parts(line: str) -> tuple[int, int | None] | None:
    """For a stripped closing line, (end of the sign-off, start of a name after it or None).

    "Best regards," -> (13, None); "Thanks, Sam" -> (7, 8); "Thanks for the chat." -> None.
    """
    m = _CLOSING.match(line)
    if not m:
        return None
    rest = line[m.end() :]
    if not rest.strip():
        return m.end(), None
    punct = _CLOSING_PUNCT.match(rest)
    if not punct:
        return None  # "Thanks Sam" thanks Sam; "Best practice is ..." is prose
    end = m.end() + punct.end()
    after = line[end:]
    if not after.strip():
        return end, None
    if is_name_like(after.strip()):
        return end, end + (len(after) - len(after.lstrip()))
    return None


# Lower-case words a name or a title line may hold: "Ana de la Cruz", "Head of Data at Acme".
_PARTICLES = {
    "de",
    "da",
    "di",
    "van",
    "von",
    "der",
    "den",
    "la",
    "le",
    "del",
    "du",
    "bin",
    "al",
    "of",
    "and",
    "at",
    "&",
    "for",
    "the",
}


_SEPARATORS = {"|", "\u00b7", "\u2022", "-", "\u2013", "\u2014", "/", ","}


def is_name_like(s: str) -> bool:
    """A short run of capitalised words: "Jordan Lee", "Ms. Okafor", "Senior Data Analyst | Acme"."""
    s = s.strip().lstrip("-\u2014\u2013~").strip()
    words = [w for w in s.split() if w not in _SEPARATORS]
    if not 1 <= len(words) <= 6:
        return False
    capitalised = 0
    for w in words:
        w = w.strip(",.()'\"")
        if not w:
            continue
        if w[0].isupper():
            capitalised += 1
        elif w.lower() not in _PARTICLES:
            return False
    return capitalised > 0


# The lookbehinds let a match start only where a run of address characters starts, so a
# long run ("a.a.a.a…", "_____") is scanned once, not from each of its characters
# (tests/test_bad_input.py: test_reading_long_runs_of_markup_and_address_characters).
_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")


_URL = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|(?<![\w\-.])(?:[\w\-]+\.)+(?:com|org|net|io|dev|me|co|ai|edu|gov|uk|ca|de|app|page)\b(?:/\S*)?",
    re.I,
)


_PHONE = re.compile(r"\+?\(?\d[\d\s().\-]{5,}\d")


def _contact_tokens_removed(line: str) -> tuple[str, bool]:
    found = False
    for pattern in (_EMAIL, _URL, _PHONE):
        if pattern.search(line):
            found = True
            line = pattern.sub(" ", line)
    return line, found


# A mail client's trailer ("Sent from my iPhone") is part of the signature block.
_CLIENT_TRAILER = re.compile(r"sent from my\b", re.I)


def is_signature_line(line: str) -> bool:
    """Strict: a name, title, phone, email or link line, as found at the very end of a draft."""
    if _CLIENT_TRAILER.match(line):
        return True
    rest, contact = _contact_tokens_removed(line)
    if contact:
        return len(rest.split()) <= 3
    return is_name_like(line)


_SPEAKER = re.compile(r"\b(?:i|i'm|i'd|i'll|i've|me|my|we|you|your)\b", re.I)


def _follows_sign_off(line: str) -> bool:
    """Lenient: what may come after a sign-off (a signature's lines), but not a sentence.

    A title line ("Senior Data Analyst, Acme") passes; "I look forward to hearing from you."
    does not, so a "Thanks!" in the middle of the last paragraph is not taken for a sign-off.
    """
    _, contact = _contact_tokens_removed(line)
    if contact or is_name_like(line) or _CLIENT_TRAILER.match(line):
        return True
    words = line.split()
    sentence = line.rstrip()[-1:] in (".", "?", "!") and len(words) > 2
    if sentence or _SPEAKER.search(line):
        return False
    # A long title line is mostly capitalised: "Solicitor (England & Wales) | Attorney at Law (New York)"
    alpha = [w for w in words if any(c.isalpha() for c in w)]
    capitalised = sum(1 for w in alpha if w.lstrip("(\"'")[:1].isupper())
    return len(words) <= 8 or (len(words) <= 14 and capitalised >= 0.6 * len(alpha))


def split_regions(text: str, start: int = 0, end: int | None = None) -> dict[str, list[Range]]:
    """Regions of the message body text[start:end] (greeting, body, sign-off, signature, quoted)."""
    spans = list(iter_lines(text, start, end))
    lines = [text[s:e] for s, e in spans]
    quoted = quoted_lines(lines)
    own = [i for i, line in enumerate(lines) if line.strip() and not quoted[i]]

    labels: dict[int, str] = {i: "quoted" for i, q in enumerate(quoted) if q and lines[i].strip()}
    for i in own:
        labels[i] = "body"
    segments: list[tuple[int, int, str]] = []  # (start, end, name) for the lines split inside

    greeting = own[0] if own else None
    if greeting is not None:
        s, e = trim(text, *spans[greeting])
        cut = greeting_length(text[s:e])
        if cut is None:
            greeting = None
        else:
            labels.pop(greeting)
            segments.append((s, s + cut, "greeting"))
            segments.append((s + cut, e, "body"))

    # A postscript after the signature is body again; look for the sign-off above it.
    closed = own[: _postscript_start(lines, own, greeting)]
    closing = _find_sign_off(lines, closed, greeting)
    if closing is not None:
        index, sign_end, name_start = closing
        s, e = trim(text, *spans[index])
        labels.pop(index)
        segments.append((s, s + sign_end, "sign-off"))
        if name_start is not None:
            segments.append((s + name_start, e, "signature"))
        for i in closed:
            if i > index:
                labels[i] = "signature"
    else:
        for i in _trailing_signature(lines, closed, greeting):
            labels[i] = "signature"

    for i, name in labels.items():
        segments.append((*spans[i], name))
    return _merge(text, segments)


_POSTSCRIPT = re.compile(r"(?:p\.?\s?){1,2}s\b", re.I)  # "P.S.", "PS:", "P.P.S."


def _postscript_start(lines: list[str], own: list[int], greeting: int | None) -> int:
    """Position in `own` of a "P.S." line near the end (len(own) if there is none)."""
    for pos in range(max(len(own) - _SIGN_OFF_WINDOW, 0), len(own)):
        i = own[pos]
        if i != greeting and _POSTSCRIPT.match(lines[i].strip()):
            return pos
    return len(own)


def _find_sign_off(lines: list[str], own: list[int], greeting: int | None) -> tuple[int, int, int | None] | None:
    """(line index, end of sign-off, start of name) for the closing line, or None.

    The last closing line among the final few counts, if only signature-like lines follow it.
    """
    window = [i for i in own[-_SIGN_OFF_WINDOW:] if i != greeting]
    for pos in range(len(window) - 1, -1, -1):
        i = window[pos]
        stripped = lines[i].strip()
        parts = closing_parts(stripped)
        if parts is None:
            continue
        following = [lines[k].strip() for k in window[pos + 1 :]]
        if "--" in following:  # whatever follows a "-- " delimiter is signature anyway
            following = following[: following.index("--")]
        if all(_follows_sign_off(line) for line in following):
            return i, parts[0], parts[1]
        return None  # a later line is prose; earlier candidates are followed by it too
    return None


def _trailing_signature(lines: list[str], own: list[int], greeting: int | None) -> list[int]:
    """Lines of a signature without a sign-off: a "-- " block, or name/contact lines at the end."""
    tail = [i for i in own[-_SIGN_OFF_WINDOW - 4 :] if i != greeting]
    for pos, i in enumerate(tail):
        if lines[i].strip() == "--":
            return tail[pos:]
    block: list[int] = []
    for i in reversed(tail):
        if not is_signature_line(lines[i].strip()):
            break
        block.insert(0, i)
    # A signature opens with the name; a trailing link alone is the body's.
    while block and not is_name_like(lines[block[0]].strip()):
        block.pop(0)
    if len(block) == len([i for i in own if i != greeting]):
        return []  # nothing but "name-like" lines: that is the message, not a signature
    return block


def _merge(text: str, segments: list[tuple[int, int, str]]) -> dict[str, list[Range]]:
    """Trim segments and join neighbours of the same region (blank lines between them are fine)."""
    regions: dict[str, list[Range]] = {}
    previous: str | None = None
    for s, e, name in sorted(segments):
        trimmed = trim(text, s, e)
        if trimmed is None:
            continue
        ranges = regions.setdefault(name, [])
        if previous == name:
            ranges[-1] = (ranges[-1][0], trimmed[1])
        else:
            ranges.append(trimmed)
        previous = name
    return regions


# spaCy's parser refuses longer texts (nlp.max_length); a region this long is not an email.
MAX_REGION_CHARS = 1_000_000


def check_regions(regions: dict, path: str) -> None:
    """Refuse a region too long to analyse, whatever the byte limit lets through."""
    for name, ranges in regions.items():
        for s, e in ranges:
            if e - s > MAX_REGION_CHARS:
                raise DraftError(
                    path,
                    f"the {name} is {e - s:,} characters long, more than the "
                    f"{MAX_REGION_CHARS:,} followup-lint can analyse; is it the right file?",
                )
