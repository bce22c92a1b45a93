"""The language server (pygls): diagnostics, hovers and quick fixes over the same engine."""
