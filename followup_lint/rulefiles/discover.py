"""Finding the config that governs a draft, and the config's `exclude:` globs: what a cache
hit (cli/hit.py) needs of the config layer, without YAML, the schema or the rule loader.
"""

from __future__ import annotations

import fnmatch
import os
import re
from pathlib import Path

CONFIG_NAMES = (".followup-lint.yaml", ".followup-lint.yml")


def discover(start: Path) -> Path | None:
    start = Path(os.path.realpath(start))  # not resolve(): a symlink loop must not raise here
    directory = start if start.is_dir() else start.parent
    for d in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            if (d / name).is_file():
                return d / name
        pyproject = d / "pyproject.toml"
        if pyproject.is_file() and _pyproject_configures_us(pyproject):
            return pyproject
    return None


_OUR_TABLE = re.compile(
    r"""^\s*(\[\s*tool\s*\.\s*["']?followup-lint|tool\s*\.\s*["']?followup-lint|["']?followup-lint["']?\s*=)""", re.M
)


def _pyproject_configures_us(path: Path) -> bool:
    """Whether pyproject.toml has a [tool.followup-lint] table, in any TOML spelling; a file
    that looks like it does but is not valid TOML counts, so load() reports it."""
    try:
        text = path.read_text("utf-8", "replace")
    except OSError:
        return False
    if "followup-lint" not in text:
        return False
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        tool = tomllib.loads(text).get("tool")
    except (tomllib.TOMLDecodeError, ValueError):
        return bool(_OUR_TABLE.search(text))
    return isinstance(tool, dict) and "followup-lint" in tool


def excluded(patterns, root, path: Path) -> bool:
    """Whether a config's `exclude:` globs (relative to its folder, `root`) match `path`."""
    try:  # realpath, not resolve(): a symlink loop must not raise here
        rel = Path(os.path.realpath(path)).relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        rel = path.as_posix()
    return any(
        fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(path.name, g) or rel.startswith(g.rstrip("/") + "/")
        for g in patterns
    )
