"""Fuzz front matter and the plain-text reader (decoding, YAML, Subject line, Markdown
blanking, regions) with atheris.

    pip install atheris
    python fuzz/fuzz_front_matter.py -max_total_time=600   # ten minutes
    python fuzz/fuzz_front_matter.py -runs=1000000         # or a number of inputs

The first input byte picks how the rest is used: as the YAML between two --- lines of a
.txt or .md draft, or as a whole .txt/.md file (bytes, so decoding is fuzzed too). Any
exception other than DraftError, or a draft that breaks the invariants in _checks.py, stops
the run and leaves the input in crash-*. Seeds: the corpus's drafts (fuzz/work/front-matter,
not committed). Not part of the test suite.
"""

import sys

import atheris

with atheris.instrument_imports():
    from followup_lint.model.draft import DEFAULT_MAX_BYTES, DraftError
    from followup_lint.read import draft as draft_mod

BODY = b"Hi Sam,\n\nThank you for the interview.\n\nBest,\nJo\n"

# after the instrumented imports, or they would be imported uninstrumented
from _checks import check_draft, check_error, seed_dir  # noqa: E402


def one_input(data: bytes) -> None:
    if not data:
        return
    mode, rest = data[0] % 4, data[1:]
    path = "fuzz.md" if mode % 2 else "fuzz.txt"
    if mode < 2:
        rest = b"---\n" + rest + b"\n---\n" + BODY
    try:
        draft = draft_mod.read_bytes(rest, path, max_bytes=DEFAULT_MAX_BYTES)
    except DraftError as exc:
        check_error(exc)
        return
    check_draft(draft)


if __name__ == "__main__":
    argv = list(sys.argv)
    if not any(not a.startswith("-") for a in argv[1:]):
        argv.append(seed_dir("front-matter", ["corpus/*.txt", "corpus/*.md", "tests/fixtures/drafts/*.txt"]))
    argv += [] if any(a.startswith("-timeout=") for a in argv) else ["-timeout=20"]
    atheris.Setup(argv, one_input)
    atheris.Fuzz()
