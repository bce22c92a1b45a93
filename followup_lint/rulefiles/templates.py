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


def check_template(template: str) -> None:
    """Raise TemplateError unless every {name} is a context value and brackets pair up."""
    for name in _FIELD.findall(template):
        if name not in PLACEHOLDERS:
            raise TemplateError(f"uses {{{name}}}, which is not available (use one of: {', '.join(PLACEHOLDERS)})")
    flat = _OPTIONAL.sub("", template)
    if "[" in flat or "]" in flat:
        raise TemplateError("has an unpaired or nested [ ]; an optional part is one [ ... ] with no brackets inside")


def render_template(template: str, values: dict) -> str | None:
    """Fill a template; a [part] whose values are not all known is left out. None when a
    value outside any [part] is unknown."""

    def optional(m):
        part = m.group(1)
        return part.format(**values) if all(n in values for n in _FIELD.findall(part)) else ""

    text = _OPTIONAL.sub(optional, template)
    if any(n not in values for n in _FIELD.findall(text)):
        return None
    return " ".join(text.format(**values).split())
