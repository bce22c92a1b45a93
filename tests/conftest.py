import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def private_results_cache(tmp_path_factory):
    """Every CLI run in the suite, in process or in a subprocess, caches results in a
    folder of its own, never in the user's cache."""
    old = os.environ.get("FOLLOWUP_LINT_CACHE_DIR")
    os.environ["FOLLOWUP_LINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("results-cache"))
    yield
    if old is None:
        os.environ.pop("FOLLOWUP_LINT_CACHE_DIR", None)
    else:
        os.environ["FOLLOWUP_LINT_CACHE_DIR"] = old


@pytest.fixture(autouse=True)
def cache_folder_choice_per_test():
    """An in-process CLI run sets this process's --cache-dir/--no-cache choice
    (storage.cachedir.configure); put it back so the next test starts from the default."""
    from followup_lint.storage import cachedir

    saved = cachedir.choice()
    yield
    cachedir.configure(**saved)


@pytest.fixture(scope="session")
def linter():
    """One Linter with the built-in rules and no user config, shared by the suite: the
    spaCy model loads once."""
    from followup_lint.engine.linter import Linter
    from followup_lint.rulefiles.config import Config

    return Linter(Config(root=ROOT))


@pytest.fixture
def no_config_env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path
