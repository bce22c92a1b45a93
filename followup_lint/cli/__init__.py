"""The command line (click): `followup-lint`, `eval`, `schedule`, `lsp`, `rules ...`."""
