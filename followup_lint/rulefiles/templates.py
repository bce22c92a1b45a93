"""Insert templates in a rule's `fix:` ("Thank you ...[ about the {role} role]."): checked
when a rule file is loaded, filled from the draft's context when a fix is built.
"""

from __future__ import annotations

import re

PLACEHOLDERS = ("interviewer", "company", "role", "interview_date")


_FIELD = re.compile(r"{(\w*)}")


_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")


class TemplateError(ValueError):
    pass


def _fields(template: str) -> list:
    """The {name}s of a template; TemplateError for anything str.format would read as more
    than a plain name (a format spec, a conversion, an index) or for a lone brace."""
    import string

    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:
        raise TemplateError("has a lone { or }; write {{ or }} for a literal brace") from None
    names = []
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if spec or conversion or not re.fullmatch(r"\w*", name):
            shown = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            raise TemplateError(f"uses {{{shown}}}; a placeholder is a plain name in braces, like {{role}}")
        names.append(name)
    return names


def check_template(template: str) -> None:
    """Raise TemplateError unless every {name} is a context value and brackets pair up."""
    for name in _fields(template):
        if name not in PLACEHOLDERS:
            raise TemplateError(f"uses {{{name}}}, which is not available (use one of: {', '.join(PLACEHOLDERS)})")
    flat = _OPTIONAL.sub("", template)
    if "[" in flat or "]" in flat:
        raise TemplateError("has an unpaired or nested [ ]; an optional part is one [ ... ] with no brackets inside")


def render_template(template: str, values: dict) -> str | None:
    """Fill a template; a [part] whose values are not all known is left out. None when a
    value outside any [part] is unknown, or the template is not one check_template passes."""

    def fill(text: str) -> str:
        return "".join(
            literal + (str(values[name]) if name is not None else "")
            for literal, name, _, _ in __import__("string").Formatter().parse(text)
        )

    def optional(m):
        part = m.group(1)
        return fill(part) if all(n in values for n in _fields(part)) else ""

    try:
        text = _OPTIONAL.sub(optional, template)
        if any(n not in values for n in _fields(text)):
            return None
        return " ".join(fill(text).split())
    except TemplateError:
        return None
