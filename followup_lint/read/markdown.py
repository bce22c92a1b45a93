"""Markdown syntax blanked out (replaced by spaces of the same length), so offsets into the
prose stay offsets into the file.
"""

from __future__ import annotations

import re

from followup_lint.model.text import Range, iter_lines

_MD_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)


_MD_FENCE = re.compile(r"[ \t]{0,3}(?:`{3,}|~{3,})")


_MD_RULE = re.compile(r"[ \t]{0,3}([-*_=])(?:[ \t]*\1){2,}[ \t]*$")


_MD_HEADING = re.compile(r"[ \t]{0,3}(#{1,6})(?=\s|$)")


_MD_HEADING_CLOSE = re.compile(r"\s(#+)[ \t]*$")


_MD_BULLET = re.compile(r"[ \t]*([-*+])[ \t]+")


_MD_CODE = re.compile(r"(`+)(.+?)\1")


# Link text stops at another "[", so a long run of "[" is not scanned to the line's end
# from each of them (tests/test_bad_input.py: test_reading_long_runs_of_markup_and_address_characters).
_MD_LINK = re.compile(r"(!?\[)([^\[\]\r\n]*)(\]\([^)\s]*(?:\s+\"[^\"\r\n]*\")?\))")


# "*", "_", "**", "___" that open (before a word) or close (after one), never inside a word.
_MD_EMPHASIS = re.compile(r"(?<![\w*_])[*_]{1,3}(?=[^\s*_])|(?<=[^\s*_])[*_]{1,3}(?![\w*_])")


def blank_markdown(text: str, start: int = 0) -> str:
    """The text with Markdown markup after `start` blanked to spaces (lines and lengths kept)."""
    chars = list(text)

    def blank(s: int, e: int) -> None:
        for k in range(s, e):
            if chars[k] not in "\r\n":
                chars[k] = " "

    for m in _MD_COMMENT.finditer(text, start):
        blank(*m.span())
    for s, e in iter_lines(text, start):
        line = text[s:e]
        if _MD_FENCE.match(line) or _MD_RULE.match(line):
            blank(s, e)
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            blank(s + heading.start(1), s + heading.end(1))
            closing = _MD_HEADING_CLOSE.search(line, heading.end())
            if closing:
                blank(s + closing.start(1), s + closing.end(1))
        bullet = _MD_BULLET.match(line)
        if bullet:
            blank(s + bullet.start(1), s + bullet.end(1))
        code: list[Range] = []
        for m in _MD_CODE.finditer(line):
            blank(s + m.start(1), s + m.end(1))
            blank(s + m.end(2), s + m.end())
            code.append(m.span())

        def in_code(i: int, code=code) -> bool:
            return any(a <= i < b for a, b in code)

        for m in _MD_LINK.finditer(line):
            if not in_code(m.start()):
                blank(s + m.start(1), s + m.end(1))
                blank(s + m.start(3), s + m.end(3))
        for m in _MD_EMPHASIS.finditer(line):
            if not in_code(m.start()):
                blank(s + m.start(), s + m.end())
    return "".join(chars)
