"""Fuzz the .eml reader (MIME, charsets, transfer encodings, HTML, headers) with atheris.

    pip install atheris
    python fuzz/fuzz_eml.py -max_total_time=600          # ten minutes
    python fuzz/fuzz_eml.py -runs=1000000                # or a number of inputs

Any exception other than DraftError, or a draft that breaks the invariants in _checks.py,
stops the run and leaves the input in crash-*; add it as a regression test. Seeds are the
corpus's and the test fixtures' .eml files, copied into fuzz/work/eml (not committed).
Not part of the test suite: it runs as long as you let it.
"""

import sys

import atheris

with atheris.instrument_imports():
    from followup_lint.model.draft import DEFAULT_MAX_BYTES, DraftError
    from followup_lint.read import draft as draft_mod

# after the instrumented imports, or they would be imported uninstrumented
from _checks import check_draft, check_error, seed_dir  # noqa: E402


def one_input(data: bytes) -> None:
    try:
        draft = draft_mod.read_bytes(data, "fuzz.eml", max_bytes=DEFAULT_MAX_BYTES)
    except DraftError as exc:
        check_error(exc)
        return
    check_draft(draft)


if __name__ == "__main__":
    argv = list(sys.argv)
    if not any(not a.startswith("-") for a in argv[1:]):
        argv.append(seed_dir("eml", ["corpus/*.eml", "tests/fixtures/drafts/*.eml"]))
    argv += [] if any(a.startswith("-timeout=") for a in argv) else ["-timeout=20"]
    atheris.Setup(argv, one_input)
    atheris.Fuzz()
