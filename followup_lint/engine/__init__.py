"""Running rules on a parsed draft: the checker, kind inference, fixes as edits (no I/O),
scoring, the send-date schedule, and the Linter that ties them together.
"""
