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
    absolute = {str(f.resolve()): f for f in files}
    try:
        proc = subprocess.run(["git", "-C", str(directory), "check-ignore", "--stdin", "-z"],
                              input="\0".join(absolute).encode(), capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return set()
    if proc.returncode not in (0, 1):  # 128: not a git work tree
        return set()
    return {absolute[p] for p in proc.stdout.decode(errors="replace").split("\0") if p in absolute}


def walk(directory: Path, excluded=lambda p: False) -> list[Path]:
    found: list[Path] = []
    seen_dirs: set = set()
    for root, dirs, files in os.walk(directory, followlinks=True):
        real = os.path.realpath(root)
        if real in seen_dirs:  # a symlink loop
            dirs[:] = []
            continue
        seen_dirs.add(real)
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith(".") and not excluded(Path(root) / d))
        for name in sorted(files):
            path = Path(root) / name
            if path.suffix.lower() in DRAFT_SUFFIXES and not _DOC_NAME.match(name) and not excluded(path):
                found.append(path)
    ignored = _git_ignored(directory, found)
    return [p for p in found if p not in ignored]
