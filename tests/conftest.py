import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def linter():
    """One Linter with the built-in rules and no user config, shared by the suite: the
    spaCy model loads once."""
    from followup_lint.api import Linter
    from followup_lint.config import Config

    return Linter(Config(root=ROOT))


@pytest.fixture
def no_config_env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path
