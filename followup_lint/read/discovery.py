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
        proc = subprocess.run(
            ["git", "-C", str(directory), "check-ignore", "--stdin", "-z"],
            input="\0".join(absolute).encode(),
            capture_output=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return set()
    if proc.returncode not in (0, 1):  # 128: not a git work tree
        return set()
    return {absolute[p] for p in proc.stdout.decode(errors="replace").split("\0") if p in absolute}


def walk(directory: Path, excluded=lambda p: False, problems: list | None = None) -> list[Path]:
    """Draft files below `directory`, each once, the folder's own tree first (sorted).

    Symbolic links to folders are followed afterwards, unless the folder they lead to has
    been walked already (the same drafts under a second name) or holds the link itself (a
    loop). A folder that cannot be listed is appended to `problems` as (path, message).
    """
    found: list[Path] = []
    walked: set[str] = set()
    roots = [Path(directory)]

    def cannot_list(exc: OSError) -> None:
        if problems is not None:
            reason = "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc))
            problems.append((exc.filename, f"cannot list this folder ({reason}); its drafts were not linted"))

    while roots:
        top = roots.pop(0)
        links = []
        for root, dirs, files in os.walk(top, onerror=cannot_list):  # links are not followed here
            walked.add(os.path.realpath(root))
            keep = []
            for d in sorted(dirs):
                path = Path(root) / d
                if d in _SKIP_DIRS or d.startswith(".") or excluded(path):
                    continue
                (links if os.path.islink(path) else keep).append(path if os.path.islink(path) else d)
            dirs[:] = keep
            for name in sorted(files):
                path = Path(root) / name
                if path.suffix.lower() in DRAFT_SUFFIXES and not _DOC_NAME.match(name) and not excluded(path):
                    if os.path.exists(path) and not os.path.isfile(path):
                        continue  # a named pipe or a device: reading it could wait forever
                    found.append(path)
        for link in links:
            real = os.path.realpath(link)
            inside = os.path.realpath(link.parent)
            if real in walked or inside == real or inside.startswith(real.rstrip(os.sep) + os.sep):
                continue  # already walked under its own name, or a loop back to an ancestor
            if os.path.isdir(real):
                roots.append(link)
    ignored = _git_ignored(directory, found)
    return [p for p in found if p not in ignored]
