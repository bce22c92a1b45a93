"""A body between the judgement tests' standard greeting and sign-off, linted with the
suite's shared Linter (the `linter` fixture) in a corporate setting unless told otherwise."""

from followup_lint.read.draft import read_text


def lint_body(linter, body, **context):
    text = f"Hi Sam,\n\n{body}\n\nBest regards,\nJo Park\n"
    return linter.lint_draft(read_text(text, "d.txt"), {"setting": "corporate", **context})
