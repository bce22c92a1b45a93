"""Configuration: `.followup-lint.yaml` or `[tool.followup-lint]` in pyproject.toml.

Found by walking up from the draft (or the working directory for stdin). The first file
that configures followup-lint wins; there is no merging of several levels. Every key and
rule id is checked, and a mistake names the file and line.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from followup_lint.model.context import DAY_NAMES, WORKING_DAYS
from followup_lint.model.draft import DEFAULT_MAX_BYTES
from followup_lint.model.rule import ProjectSettings
from followup_lint.read import yamlsource
from followup_lint.read.yamlsource import YamlSourceError
from followup_lint.rulefiles.discover import CONFIG_NAMES, _pyproject_configures_us, discover, excluded  # noqa: F401
from followup_lint.rulefiles.loader import builtin_rules

# The project word list for the spelling rule: next to the config file (or in the working
# directory when there is none), one word a line, `#` starts a comment.
WORDS_FILE = ".followup-lint-words.txt"


class ConfigError(YamlSourceError):
    pass


@dataclass
class Config:
    path: str | None = None
    root: Path = field(default_factory=Path.cwd)
    select: list | None = None
    ignore: list = field(default_factory=list)
    per_file_ignores: dict = field(default_factory=dict)
    exclude: list = field(default_factory=list)
    packs: list = field(default_factory=list)
    rules: dict = field(default_factory=dict)
    defaults: dict = field(default_factory=dict)  # context defaults: setting, kind
    fail_under: float | None = None
    words: list = field(default_factory=list)  # spelling: accepted words
    language: str | None = None  # spelling/grammar: en-US | en-GB | None (both)
    grammar: dict | None = None  # LanguageTool settings; None: no grammar check
    max_file_size: int = DEFAULT_MAX_BYTES  # bytes; a larger draft file is refused
    working_days: tuple = WORKING_DAYS  # weekday numbers (Monday=0) mail is read on
    context: dict = field(default_factory=dict)  # path glob -> {interview_date: ..., company: ...}
    _line: object = None  # callable(keys) -> line

    def line(self, keys) -> int | None:
        return self._line(keys) if self._line else None

    def ignored_for(self, display_path: str) -> set:
        """Rule ids that per-file-ignores switch off for this draft."""
        out = set()
        try:
            rel = Path(os.path.abspath(display_path)).relative_to(self.root.resolve()).as_posix()
        except ValueError:
            rel = Path(display_path).as_posix()
        for pattern, ids in self.per_file_ignores.items():
            if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(Path(rel).name, pattern):
                out.update(ids)
        return out

    def context_for(self, display_path: str) -> dict:
        """The `context:` values for this draft: every entry whose glob matches its path
        (relative to the config's folder), its file name, or a folder above it; a later
        entry wins over an earlier one."""
        if not self.context:
            return {}
        try:
            rel = Path(os.path.abspath(display_path)).relative_to(self.root.resolve()).as_posix()
        except ValueError:
            rel = Path(display_path).as_posix()
        out: dict = {}
        for pattern, values in self.context.items():
            if (
                fnmatch.fnmatch(rel, pattern)
                or fnmatch.fnmatch(Path(rel).name, pattern)
                or rel.startswith(pattern.rstrip("/") + "/")
            ):
                out.update(values)
        return out

    def excluded(self, path: Path) -> bool:
        return excluded(self.exclude, self.root, path)


@lru_cache(maxsize=1)
def config_schema() -> dict:
    return json.loads(resources.files("followup_lint").joinpath("schema/config.schema.json").read_text("utf-8"))


def load(path: Path | None) -> Config:
    if path is None:
        return Config()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), None, f"cannot read config: {exc}") from None
    if path.name == "pyproject.toml":
        data, line = _from_pyproject(text, path)
    else:
        try:
            located = yamlsource.load(text, str(path))
        except YamlSourceError as exc:
            raise ConfigError(exc.path, exc.line, exc.message) from None
        data, line = located.data if located.data is not None else {}, located.line
    if not isinstance(data, dict):
        raise ConfigError(str(path), 1, "the configuration must be a mapping of keys (select, ignore, rules, ...)")
    import jsonschema

    errors = yamlsource.unknown_keys_first(list(jsonschema.Draft202012Validator(config_schema()).iter_errors(data)))
    if errors:
        err = errors[0]
        located = yamlsource.Located(data, str(path))
        located.line = line  # reuse schema_error's wording with our line lookup
        e = yamlsource.schema_error(located, err)
        raise ConfigError(str(path), e.line, e.message)
    fail_under = data.get("fail-under")
    if isinstance(fail_under, float) and fail_under != fail_under:  # NaN passes the schema's range
        raise ConfigError(
            str(path), line(("fail-under",)), "fail-under: nan is not a score; give a number from 0 to 100"
        )
    cfg = Config(
        path=str(path),
        root=path.parent,
        select=data.get("select"),
        ignore=list(data.get("ignore", [])),
        per_file_ignores=dict(data.get("per-file-ignores", {})),
        exclude=list(data.get("exclude", [])),
        packs=[str(p) for p in data.get("packs", [])],
        rules=dict(data.get("rules", {})),
        defaults={k: data[k] for k in ("setting", "kind") if k in data},
        fail_under=data.get("fail-under"),
        words=list(data.get("words", [])),
        language=data.get("language"),
        grammar=_grammar_settings(data.get("grammar"), path, line),
        max_file_size=_size(data.get("max-file-size", DEFAULT_MAX_BYTES)),
        working_days=tuple(sorted(DAY_NAMES.index(d) for d in set(data["working-days"])))
        if "working-days" in data
        else WORKING_DAYS,
        context=_path_context(data.get("context"), path, line),
        _line=line,
    )
    return cfg


def _path_context(data, path: Path, line) -> dict:
    """`context:` with its dates read now, so a bad date names the config line."""
    from followup_lint.model.context import DATE_KEYS, ContextError, parse_date

    out = {}
    for glob, values in (data or {}).items():
        entry = dict(values)
        for key in DATE_KEYS:
            if key in entry:
                try:
                    entry[key] = parse_date(entry[key], key)
                except ContextError as exc:
                    raise ConfigError(str(path), line(("context", glob, key)), f"context: {glob}: {exc}") from None
        out[str(glob)] = entry
    return out


def _size(value) -> int:
    """Bytes from 2000000, "2MB", "500 KB" or "1.5MiB" (the schema has checked the form)."""
    if isinstance(value, int):
        return value
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmM]?)(i?)[bB]?\s*", value)
    number, unit, binary = float(m.group(1)), m.group(2).lower(), m.group(3)
    scale = {"": 1, "k": 1000, "m": 1000**2}[unit] if not binary else {"": 1, "k": 1024, "m": 1024**2}[unit]
    return max(int(number * scale), 1)


def _grammar_settings(data, path: Path, line) -> dict | None:
    """The grammar: table, checked by the grammar rule type that reads it."""
    from followup_lint.ruletypes import grammar
    from followup_lint.ruletypes.common import SettingsError

    try:
        return grammar.settings_from_config(data)
    except SettingsError as exc:
        raise ConfigError(str(path), line(exc.keys), exc.message) from None


def project_words(cfg: Config) -> tuple:
    """Lower-cased words from `words:` and the project word list beside the config."""
    words = {w.strip().lower() for w in cfg.words if w.strip()}
    path = cfg.root / WORDS_FILE
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(str(path), None, f"cannot read the word list: {exc}") from None
        for line in text.splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                words.update(w.lower() for w in line.split())
    # Sorted, not a set: run fingerprints (the results cache) must not depend on hash order.
    return tuple(sorted(words))


def _from_pyproject(text: str, path: Path):
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ConfigError(str(path), int(m.group(1)) if m else None, f"invalid TOML: {exc}") from None
    except ValueError:  # int() refuses more than 4300 digits
        raise ConfigError(str(path), None, "invalid TOML: a number is too long") from None
    data = doc.get("tool", {}).get("followup-lint", {})
    lines = text.splitlines()
    header = next((i for i, l in enumerate(lines) if l.strip() == "[tool.followup-lint]"), 0)

    def line(keys) -> int:
        # tomllib keeps no positions: find the key's line below the table header.
        keys = [str(k) for k in keys if not isinstance(k, int)]
        for key in reversed(keys):
            rx = re.compile(r'^\s*(?:\[tool\.followup-lint\.)?"?' + re.escape(key) + r'"?\s*[=\]]')
            for i in range(header, len(lines)):
                if rx.search(lines[i]):
                    return i + 1
        return header + 1

    return data, line


# --- which rules run -----------------------------------------------------------------


@dataclass
class RuleSet:
    rules: list  # Rule objects, overrides applied, disabled ones removed
    by_id: dict
    settings: ProjectSettings = field(default_factory=ProjectSettings)  # handed to every check
    folders: list = field(default_factory=list)  # the rule pack folders read (a stored build's sources)
    fingerprint: str | None = None  # rules_fingerprint(rules), when a stored build has it


def _known(ids, rules_by_id, cfg: Config, keys) -> None:
    for i, rid in enumerate(ids):
        if rid == "ALL":
            continue
        if rid not in rules_by_id and not any(r.startswith(rid.rstrip("/") + "/") for r in rules_by_id):
            where = cfg.path or "--select/--ignore"
            raise ConfigError(
                where,
                cfg.line(tuple(keys) + (i,)) if cfg.path else None,
                f"unknown rule id {rid!r}{yamlsource.did_you_mean(rid, rules_by_id)}; see `followup-lint --list-rules`",
            )


def build_ruleset(cfg: Config, select: list | None = None, ignore: list | None = None) -> RuleSet:
    """The rules this run uses: built-in + packs, config overrides, select/ignore."""
    from followup_lint.rulefiles import packs as packs_mod
    from followup_lint.rulefiles.loader import builtin_pack_dir

    rules = list(builtin_rules())
    builtin_ids = {r.id for r in rules}
    loaded: dict = {}
    for i, entry in enumerate(cfg.packs):
        try:
            pack = packs_mod.resolve(entry, cfg.root)
        except packs_mod.PackNotFound as exc:
            raise ConfigError(cfg.path or "config", cfg.line(("packs", i)), str(exc)) from None
        if pack.name in loaded or pack.name in builtin_ids:
            other = f"the pack in {loaded[pack.name].folder}" if pack.name in loaded else "a built-in rule"
            raise ConfigError(
                cfg.path or "config",
                cfg.line(("packs", i)),
                f"pack name {pack.name!r} ({pack.folder}) is already taken by {other}; "
                f"give one of them another `name:` in its pack.yaml",
            )
        loaded[pack.name] = pack
        rules.extend(pack.rules())
    by_id = {r.id: r for r in rules}
    for rid in cfg.rules:
        if rid not in by_id:
            raise ConfigError(
                cfg.path or "config",
                cfg.line(("rules", rid)),
                f"unknown rule id {rid!r} under rules:{yamlsource.did_you_mean(rid, by_id)}; see `followup-lint --list-rules`",
            )
        unknown = [
            k for k in cfg.rules[rid] if k not in ("severity", "weight", "enabled") and k not in by_id[rid].options
        ]
        if unknown:
            opts = ", ".join(["severity", "weight", "enabled", *by_id[rid].options])
            raise ConfigError(
                cfg.path or "config",
                cfg.line(("rules", rid, unknown[0])),
                f"rule {rid!r} has no option {unknown[0]!r}"
                f"{yamlsource.did_you_mean(unknown[0], opts.split(', '))}; it takes: {opts}",
            )
        for key, value in cfg.rules[rid].items():
            default = by_id[rid].options.get(key)
            if (
                isinstance(default, (int, float))
                and not isinstance(default, bool)
                and (isinstance(value, bool) or not isinstance(value, (int, float)))
            ):
                raise ConfigError(
                    cfg.path or "config",
                    cfg.line(("rules", rid, key)),
                    f"rule {rid!r}: {key} takes a number (it is {default} unless set), not {value!r}",
                )
    _known(cfg.select or [], by_id, cfg, ("select",))
    _known(cfg.ignore, by_id, cfg, ("ignore",))
    for glob, ids in cfg.per_file_ignores.items():
        _known(ids, by_id, cfg, ("per-file-ignores", glob))
    cli = Config()
    _known(select or [], by_id, cli, ())
    _known(ignore or [], by_id, cli, ())
    chosen = select if select else cfg.select
    dropped = set(cfg.ignore) | set(ignore or [])
    words = project_words(cfg) if any(r.type == "spelling" for r in rules) else ()
    out = []
    for rule in rules:
        if chosen and "ALL" not in chosen and not matches_any(rule.id, chosen):
            continue
        if matches_any(rule.id, dropped):
            continue
        overrides = cfg.rules.get(rule.id, {})
        if overrides.get("enabled") is False:
            continue
        out.append(rule.with_overrides(overrides) if overrides else rule)
    settings = ProjectSettings(
        words=words, language=cfg.language, grammar=cfg.grammar, spelling_runs=any(r.type == "spelling" for r in out)
    )
    return RuleSet(
        out, {r.id: r for r in out}, settings, folders=[builtin_pack_dir(), *(p.folder for p in loaded.values())]
    )


def matches_any(rule_id: str, ids) -> bool:
    """A rule id matches itself and its pack prefix ("house" or "house/" selects house/*)."""
    return any(rule_id == i or rule_id.startswith(i.rstrip("/") + "/") for i in ids)


# --- editing a config: the editor's "Ignore RULE for this draft" --------------------------


def per_file_ignore_glob(draft: Path, config_dir: Path) -> str:
    """The per-file-ignores key naming exactly this draft, relative to the config's folder."""
    import glob

    return glob.escape(Path(os.path.relpath(draft, config_dir)).as_posix())


def add_per_file_ignore(text: str, glob: str, rule_id: str) -> str | None:
    """`text` (a .followup-lint.yaml, "" for a new one) with `rule_id` added to
    per-file-ignores[glob], touching nothing else (comments and order stay). None when it is
    already there, or when the file is written in a way this does not edit safely (flow
    style over several lines, broken YAML): then the caller offers the front matter instead."""
    try:
        located = yamlsource.load(text, "config")
    except YamlSourceError:
        return None
    data = located.data if located.data is not None else {}
    if not isinstance(data, dict):
        return None
    table = data.get("per-file-ignores")
    if table is not None and not isinstance(table, dict):
        return None
    if isinstance(table, dict) and rule_id in (table.get(glob) or []):
        return None
    nl = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    key, entry = json.dumps(glob), f"[{rule_id}]"

    def line_text(n: int) -> str:  # 1-based, without its line break
        return lines[n - 1].rstrip("\r\n")

    def replace_line(n: int, new: str) -> str:
        ending = lines[n - 1][len(line_text(n)) :]
        return "".join(lines[: n - 1]) + new + ending + "".join(lines[n:])

    def insert_after(n: int, new_line: str) -> str:
        before = "".join(lines[:n])
        if before and not before.endswith(("\n", "\r")):
            before += nl
        return before + new_line + nl + "".join(lines[n:])

    def before_comment(line: str) -> str:
        return re.sub(r"\s+#.*$", "", line)

    if "per-file-ignores" not in data:
        new = (
            text
            + ("" if not text or text.endswith(("\n", "\r")) else nl)
            + f"per-file-ignores:{nl}  {key}: {entry}{nl}"
        )
    elif glob in (table or {}):
        n = located.lines[("per-file-ignores", glob)]
        line = before_comment(line_text(n))
        if line.rstrip().endswith("]") and "[" in line:
            close = line.rstrip().rindex("]")
            inside = line[line.index("[", line.index(":")) + 1 : close]
            new = replace_line(n, line[:close] + (", " if inside.strip() else "") + rule_id + line_text(n)[close:])
        elif (("per-file-ignores", glob, 0)) in located.lines:  # a block list: one more item after the last
            last = max(v for k, v in located.lines.items() if k[:2] == ("per-file-ignores", glob) and len(k) == 3)
            indent = re.match(r"[ \t]*", line_text(last)).group()
            new = insert_after(last, f"{indent}- {rule_id}")
        else:
            return None
    else:
        n = located.lines[("per-file-ignores",)]
        line = before_comment(line_text(n))
        after_colon = line[line.index(":") + 1 :].strip()
        if after_colon in ("", "~", "null") and table:
            first = min(v for k, v in located.lines.items() if k[:1] == ("per-file-ignores",) and len(k) == 2)
            indent = re.match(r"[ \t]*", line_text(first)).group()
            new = insert_after(n, f"{indent}{key}: {entry}")
        elif after_colon in ("", "~", "null"):
            indent = re.match(r"[ \t]*", line_text(n)).group() + "  "
            new = replace_line(n, line[: line.index(":") + 1]) if after_colon else text
            lines = new.splitlines(keepends=True)
            new = insert_after(n, f"{indent}{key}: {entry}")
        elif after_colon.startswith("{") and after_colon.endswith("}"):
            close = line.rstrip().rindex("}")
            inside = after_colon[1:-1]
            new = replace_line(
                n, line[:close] + (", " if inside.strip() else "") + f"{key}: {entry}" + line_text(n)[close:]
            )
        else:
            return None
    # Check the edit by reading it back: the one change, nothing else.
    try:
        after = yamlsource.load(new, "config").data
    except YamlSourceError:
        return None
    expected = dict(data)
    expected["per-file-ignores"] = {**(table or {}), glob: [*((table or {}).get(glob) or []), rule_id]}
    return new if after == expected else None
