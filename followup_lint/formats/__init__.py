"""Reporters: a list of FileReports in, text out. They never parse or check anything."""

from importlib import import_module

FORMATS = ("text", "json", "sarif", "github")


def render(name: str, reports, **options) -> str:
    """Render with the named format; `options` are show_source, color, quiet and `rules`
    (the rules in effect, which SARIF describes); a format ignores those it has no use for."""
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
    return import_module(f".{name}", __name__).render(reports, **options)
