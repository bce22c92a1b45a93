"""Where the cache lives: --cache-dir, else FOLLOWUP_LINT_CACHE_DIR, else the platform's
per-user cache folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_VAR = "FOLLOWUP_LINT_CACHE_DIR"


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
