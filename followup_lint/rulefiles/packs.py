"""Rule packs: folders of rule files, from the config's `packs:` or installed packages.

A pack is a folder of `*.yaml` rule files with an optional `pack.yaml` (`name:`,
`description:`). Its name prefixes its rule ids (`house-rules/no-whom`), so packs never
clash with the built-in rules or each other. The name is `name:` from pack.yaml, else the
folder's name (for an installed pack, its entry point's name).

An installed Python package ships a pack by declaring an entry point in the group
`followup_lint.packs`: its value names the package whose directory holds the rule files
(`acme_rules`) or a callable that returns that directory (`acme_rules:pack_dir`). Installed
packs do not run by themselves; a config lists them by name under `packs:`, so what a
lint checks never depends on what happens to be installed.

Loading an entry point imports the package that declares it, as any plugin system does;
the rule files themselves stay data (see loader.py).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from followup_lint.model.rule import Rule
from followup_lint.read import yamlsource
from followup_lint.read.yamlsource import YamlSourceError
from followup_lint.rulefiles.loader import RuleError, load_pack

ENTRY_POINT_GROUP = "followup_lint.packs"
PACK_FILE = "pack.yaml"
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class PackNotFound(LookupError):
    """A `packs:` entry that is neither a folder nor an installed pack."""


@dataclass
class Pack:
    name: str
    folder: Path
    description: str = ""
    origin: str = "folder"  # "folder", or "installed: <distribution> <version>"

    def rules(self) -> list[Rule]:
        return load_pack(self.folder, pack=self.name, prefix=f"{self.name}/")


@lru_cache(maxsize=1)
def pack_schema() -> dict:
    return json.loads(resources.files("followup_lint").joinpath("schema/pack.schema.json").read_text("utf-8"))


def _read_meta(folder: Path) -> tuple[dict, str | None]:
    """pack.yaml's content (validated) and its path, or ({}, None) without one."""
    path = folder / PACK_FILE
    if not path.is_file():
        return {}, None
    try:
        text = path.read_text(encoding="utf-8")
        located = yamlsource.load(text, str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(str(path), None, f"cannot read pack file: {exc}") from None
    except YamlSourceError as exc:
        raise RuleError(exc.path, exc.line, exc.message) from None
    data = located.data if located.data is not None else {}
    if not isinstance(data, dict):
        raise RuleError(str(path), 1, "pack.yaml must be a mapping (name:, description:)")
    import jsonschema

    errors = sorted(
        jsonschema.Draft202012Validator(pack_schema()).iter_errors(data), key=lambda e: located.line(e.absolute_path)
    )
    if errors:
        err = yamlsource.schema_error(located, errors[0])
        if errors[0].validator == "pattern":
            err.message = (
                f"name: {data.get('name')!r} is not a usable pack name; use lower-case words "
                "joined by hyphens (house-rules)"
            )
        raise RuleError(err.path, err.line, err.message)
    return data, str(path)


def from_folder(folder, default_name: str | None = None, origin: str = "folder") -> Pack:
    folder = Path(folder)
    if not folder.is_dir():
        raise RuleError(str(folder), None, "rule pack folder not found")
    meta, meta_path = _read_meta(folder)
    name = meta.get("name") or default_name or folder.name
    if not NAME_RE.match(name):
        raise RuleError(
            str(folder),
            None,
            f"{name!r} (the folder's name) is not a usable pack name: rename the folder or add a "
            f"{PACK_FILE} with `name: some-name` (lower-case words joined by hyphens)",
        )
    return Pack(name=name, folder=folder, description=" ".join(str(meta.get("description", "")).split()), origin=origin)


# --- installed packs -------------------------------------------------------------------


def entry_points() -> dict:
    """Installed packs by entry point name."""
    from importlib.metadata import entry_points as _eps

    return {ep.name: ep for ep in sorted(_eps(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)}


def _dist_label(ep) -> str:
    dist = getattr(ep, "dist", None)
    return f"{dist.metadata['Name']} {dist.version}" if dist is not None else "an installed package"


def from_entry_point(ep) -> Pack:
    where = f"{_dist_label(ep)}: entry point {ep.name} = {ep.value} (group {ENTRY_POINT_GROUP})"
    try:
        obj = ep.load()
    except Exception as exc:  # an installed package's import error, whatever it is
        raise RuleError(where, None, f"cannot load it: {type(exc).__name__}: {exc}") from None
    if hasattr(obj, "__path__"):  # a package: its own directory holds the rules
        folder = next(iter(obj.__path__), None)
    elif hasattr(obj, "__file__"):
        raise RuleError(
            where,
            None,
            "names a module, not a package directory; point it at a package "
            "(a folder with __init__.py) or at a function returning the folder",
        )
    elif callable(obj):
        try:
            folder = obj()
        except Exception as exc:
            raise RuleError(where, None, f"calling it failed: {type(exc).__name__}: {exc}") from None
    else:
        folder = obj
    if not isinstance(folder, (str, os.PathLike)):
        raise RuleError(where, None, f"gave {folder!r}, not a folder path")
    if not Path(folder).is_dir():
        raise RuleError(where, None, f"its folder {folder} does not exist")
    return from_folder(Path(folder), default_name=ep.name, origin=f"installed: {_dist_label(ep)}")


def installed() -> list[Pack]:
    return [from_entry_point(ep) for ep in entry_points().values()]


# --- config entries ---------------------------------------------------------------------


def _looks_like_path(entry: str) -> bool:
    return entry.startswith((".", "~")) or "/" in entry or "\\" in entry or os.path.isabs(entry)


def resolve(entry: str, root: Path) -> Pack:
    """A `packs:` entry: a folder (relative to the config's folder), or the name of an
    installed pack. A bare name that is also a folder beside the config is the folder."""
    folder = (Path(root) / Path(entry).expanduser()).resolve()
    if _looks_like_path(entry) or folder.is_dir():
        if not folder.is_dir():
            raise PackNotFound(f"rule pack folder not found: {folder}")
        return from_folder(folder)
    eps = entry_points()
    if entry in eps:
        return from_entry_point(eps[entry])
    known = f"installed: {', '.join(eps)}" if eps else "none is installed"
    raise PackNotFound(
        f"no rule pack {entry!r}: it is neither a folder beside the config ({folder}) nor an installed pack ({known})"
    )
