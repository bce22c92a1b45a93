"""Which files a run lints: paths, directories walked recursively, stdin."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

DRAFT_SUFFIXES = (".txt", ".md", ".eml")
_SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache"}
# README.md, LICENSE.txt, CHANGELOG.md, LABELS.md...: project documents, not drafts.
_DOC_NAME = re.compile(r"^[A-Z][A-Z0-9_-]+(\.[a-z]+)?$")


class DiscoveryError(Exception):
    pass


def _git_ignored(directory: Path, files: list[Path]) -> set[Path]:
    if not files:
        return set()
    absolute = {os.path.realpath(f): f for f in files}  # realpath: never raises on a loop
    try:
        proc = subprocess.run(["git", "-C", str(directory), "check-ignore", "--stdin", "-z"],
                              input="\0".join(absolute).encode(), capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return set()
    if proc.returncode not in (0, 1):  # 128: not a git work tree
        return set()
    return {absolute[p] for p in proc.stdout.decode(errors="replace").split("\0") if p in absolute}


def walk(directory: Path, excluded=lambda p: False, problems: list | None = None) -> list[Path]:
    """Draft files below `directory`, sorted, each once. Symbolic links are followed, except
    one that leads back to a folder being walked (a loop) or to a folder already walked.
    A folder that cannot be listed is appended to `problems` as (path, message)."""
    found: list[Path] = []
    seen_dirs = {os.path.realpath(directory)}

    def cannot_list(exc: OSError) -> None:
        if problems is not None:
            reason = "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc))
            problems.append((exc.filename, f"cannot list this folder ({reason}); its drafts were not linted"))

    for root, dirs, files in os.walk(directory, followlinks=True, onerror=cannot_list):
        here = os.path.realpath(root)
        keep = []
        for d in sorted(dirs):
            if d in _SKIP_DIRS or d.startswith(".") or excluded(Path(root) / d):
                continue
            real = os.path.realpath(os.path.join(root, d))
            if real == here or here.startswith(real.rstrip(os.sep) + os.sep) or real in seen_dirs:
                continue  # a loop back to an ancestor, or a folder reached another way
            seen_dirs.add(real)
            keep.append(d)
        dirs[:] = keep
        for name in sorted(files):
            path = Path(root) / name
            if path.suffix.lower() in DRAFT_SUFFIXES and not _DOC_NAME.match(name) and not excluded(path):
                found.append(path)
    ignored = _git_ignored(directory, found)
    return [p for p in found if p not in ignored]
