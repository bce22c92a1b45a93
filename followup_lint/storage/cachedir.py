"""Where the cache lives: --cache-dir, else FOLLOWUP_LINT_CACHE_DIR, else the platform's
per-user cache folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_VAR = "FOLLOWUP_LINT_CACHE_DIR"

# What the front end chose for this process (--cache-dir, --no-cache): the results cache and
# the syllable table (language/readability.py) both follow it.
_chosen: dict = {"option": None, "enabled": True}


def configure(option: str | None = None, enabled: bool = True) -> None:
    """Set this process's cache folder choice (the CLI does, from --cache-dir/--no-cache)."""
    _chosen.update(option=option, enabled=enabled)


def choice() -> dict:
    """The choice, to hand to worker processes (configure(**choice()))."""
    return dict(_chosen)


def chosen_dir() -> Path | None:
    """The folder this process may keep files in, or None with --no-cache."""
    return resolve_dir(_chosen["option"]) if _chosen["enabled"] else None


def default_dir() -> Path:
    """The platform's per-user cache folder for followup-lint."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "followup-lint" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "followup-lint"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "followup-lint"


def resolve_dir(option: str | None = None) -> Path:
    """--cache-dir, else FOLLOWUP_LINT_CACHE_DIR, else the platform's cache folder."""
    chosen = option or os.environ.get(ENV_VAR)
    return Path(chosen).expanduser() if chosen else default_dir()
