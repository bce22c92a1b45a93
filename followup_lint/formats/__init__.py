"""Reporters: a list of FileReports in, text out. They never parse or check anything.

text, json and github also have a `Writer` that takes the reports one at a time (`writer`),
so a run over many drafts can write its report as it goes instead of keeping every report;
`render` is the same writer over a list. SARIF describes the whole run in one document and
is rendered from the list."""

from importlib import import_module

FORMATS = ("text", "json", "sarif", "github")


def render(name: str, reports, **options) -> str:
    """Render with the named format; `options` are show_source, color, quiet and `rules`
    (the rules in effect, which SARIF describes); a format ignores those it has no use for."""
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
    if name not in STREAMED:
        return import_module(f".{name}", __name__).render(reports, **options)
    out: list[str] = []
    w = writer(name, out.append, **options)
    for report in reports:
        w.add(report)
    w.finish()
    return "".join(out)


STREAMED = ("text", "json", "github")


def writer(name: str, write, **options):
    """The named format's Writer, calling write(str) as it goes; `options` as for render."""
    if name not in STREAMED:
        raise ValueError(f"{name!r} is rendered whole; stream one of {', '.join(STREAMED)}")
    module = import_module(f".{name}", __name__)
    if name == "text":
        keep = ("show_source", "color", "quiet", "width")
        return module.Writer(write, **{k: v for k, v in options.items() if k in keep})
    return module.Writer(write)
