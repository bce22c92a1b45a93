"""Reporters: a list of FileReports in, text out. They never parse or check anything."""

FORMATS = ("text", "json")


def render(name: str, reports, **options) -> str:
    if name == "json":
        from .json import render as r
    else:
        from .text import render as r
    return r(reports, **options)
