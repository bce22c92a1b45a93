"""The fingerprints a results-cache key (run/cache.py) and a stored build (run/stored.py)
are made of: our code, the installed packages our results depend on, the rules in effect.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import fields
from functools import lru_cache
from pathlib import Path

from followup_lint import __version__


def _plain(obj):
    # What differs from one process to the next must not reach a key: a set's order, an
    # object's address.
    if isinstance(obj, (set, frozenset)):
        return sorted(obj, key=repr)
    return re.sub(r" at 0x[0-9A-Fa-f]+", "", repr(obj))


def _digest(obj) -> str:
    try:
        text = json.dumps(obj, sort_keys=True, default=_plain, ensure_ascii=False)
    except TypeError:  # keys of mixed types cannot be sorted
        text = repr(obj)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Fingerprints that a stored build vouches for (run/stored.py: the package's files and the
# installed packages have the same stat as when these were computed from their bytes).
KNOWN: dict = {}


def code_fingerprint() -> str:
    """The tool's version and the bytes of its code and data files: an editable install
    changes without its version number changing."""
    return KNOWN.get("code") or _code_fingerprint()


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _dist_version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except (metadata.PackageNotFoundError, ValueError):
        return "absent"


def environment_fingerprint() -> str:
    """The installed versions of everything we depend on (spaCy, textstat, optional checkers)
    and of the model package the pipeline will load, read from package metadata: neither
    spaCy nor the model is imported."""
    return KNOWN.get("environment") or _environment_fingerprint()


@lru_cache(maxsize=1)
def _environment_fingerprint() -> str:
    import importlib.util
    from importlib import metadata

    from followup_lint.language import pipeline as nlp  # its spaCy imports are inside functions

    try:
        requirements = metadata.requires("followup-lint") or []
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        requirements = ["spacy"]
    names = sorted({re.match(r"[A-Za-z0-9._-]+", r).group(0) for r in requirements if "extra == 'test'" not in r})
    override = os.environ.get("FOLLOWUP_LINT_SPACY_MODEL")
    model = None
    for name in (override,) if override else nlp.MODEL_PACKAGES:
        try:
            if importlib.util.find_spec(name) is not None:
                model = name
                break
        except (ImportError, ValueError):
            continue
    versions = {name: _dist_version(name) for name in names}
    versions["model"] = f"{model} {_dist_version(model)}" if model else "none"
    return _digest(versions)


def rules_fingerprint(rules, stored: str | None = None) -> str:
    if stored:  # computed when the rule set was stored (stored.py), from the same rules
        return stored
    # Every field of every rule in effect, overrides applied; `lines` only locates errors.
    return _digest([{f.name: getattr(r, f.name) for f in fields(r) if f.name != "lines"} for r in rules])


def entry_key(run: str, display: str, data: bytes) -> str:
    """A draft's key in the results cache: the run's fingerprint, where the draft is (the
    path matters too: per-file-ignores and the reported path depend on it) and its bytes."""
    where = f"{display}\0{os.path.abspath(display)}"
    return hashlib.sha256(
        f"{run}\0{where}\0".encode("utf-8", "surrogateescape") + hashlib.sha256(data).digest()
    ).hexdigest()
