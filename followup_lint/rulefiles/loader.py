"""Loading rule packs: YAML files -> validated Rule objects.

A pack is a folder of `*.yaml` rule files. Every file is checked against the published
JSON Schema and then for what a schema cannot see: here what every rule shares (a regex
that does not compile, a message field nothing fills in, duplicate ids), and by the rule's
type (ruletypes/) the keys that type reads (an option a metric names but does not define).
Problems are RuleError with `path:line: what is wrong`, never a traceback.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from followup_lint.language import regex_guard
from followup_lint.model.rule import KINDS, SETTINGS, Rule
from followup_lint.read import yamlsource
from followup_lint.read.yamlsource import YamlSourceError
from followup_lint.ruletypes import TYPES
from followup_lint.ruletypes.common import check_fixes

REGEX_MAX_LEN = 2000


class RuleError(YamlSourceError):
    """A rule file that cannot be used."""


@lru_cache(maxsize=1)
def rule_schema() -> dict:
    return json.loads(resources.files("followup_lint").joinpath("schema/rule.schema.json").read_text("utf-8"))


def builtin_pack_dir() -> Path:
    """The built-in rules: inside the wheel, or the repository's top-level rules/."""
    packaged = Path(__file__).resolve().parents[1] / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


def _schema_validator():
    import jsonschema

    return jsonschema.Draft202012Validator(rule_schema())


def load_rule_file(path: Path, pack: str = "builtin", prefix: str = "") -> Rule:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(str(path), None, f"cannot read rule file: {exc}") from None
    try:
        located = yamlsource.load(text, str(path))
    except YamlSourceError as exc:
        raise RuleError(exc.path, exc.line, exc.message) from None
    data = located.data
    if not isinstance(data, dict):
        raise RuleError(str(path), 1, "a rule file must be a mapping with id, title, type, ...")
    errors = sorted(_schema_validator().iter_errors(data), key=lambda e: located.line(e.absolute_path))
    errors = yamlsource.unknown_keys_first(errors)  # a stable sort: still by line within each group
    if errors:
        err = yamlsource.schema_error(located, _most_specific(errors[0]))
        raise RuleError(err.path, err.line, err.message)
    try:
        _check_semantics(data, located)
    except YamlSourceError as exc:
        raise RuleError(exc.path, exc.line, exc.message) from None
    regions = data.get("region", "body")
    rule_id = f"{prefix}{data['id']}"
    return Rule(
        id=rule_id,
        title=data["title"],
        severity=data["severity"],
        type=data["type"],
        message=data["message"],
        rationale=" ".join(data["rationale"].split()),
        weight=data.get("weight", 10),
        applies_to=tuple(data.get("applies_to", KINDS)),
        settings=tuple(data.get("settings", SETTINGS)),
        regions=(regions,) if isinstance(regions, str) else tuple(regions),
        suggestion=" ".join(data.get("suggestion", "").split()),
        source=data.get("source", ""),
        options=dict(data.get("options", {})),
        per=data.get("per", "sentence"),
        patterns=data.get("patterns", []),
        when=data.get("when", []),
        unless=data.get("unless", []),
        conditions=data.get("conditions", []),
        timing=data.get("timing", {}),
        requires_context=tuple(data.get("requires_context", ())),
        fix=data.get("fix"),
        examples=data["examples"],
        path=str(path),
        line=located.line(("id",)),
        pack=pack,
        lines=located.lines,
    )


def _most_specific(error):
    # oneOf/anyOf failures hide the useful message in their context.
    while error.context:
        error = min(error.context, key=lambda e: len(list(e.absolute_path)) * -1)
    return error


def _iter_patterns(data, keys=()):
    """Yield (keys, pattern) for every pattern in a rule, conditions' patterns included."""
    for i, pattern in enumerate(data.get("patterns", [])):
        yield keys + ("patterns", i), pattern
        for ckeys, cue in _iter_patterns({"patterns": pattern.get("cues", [])}):
            yield keys + ("patterns", i, "cues") + ckeys[1:], cue  # a `cues:` pattern's own patterns
        for ckey in ("when", "unless"):
            for j, cond in enumerate(pattern.get(ckey, [])):
                for sub in ("sentence", "before", "draft"):
                    for k, p in enumerate(cond.get(sub, [])):
                        yield keys + ("patterns", i, ckey, j, sub, k), p
    for ckey in ("when", "unless"):
        for j, cond in enumerate(data.get(ckey, [])):
            for sub in ("sentence", "before", "draft"):
                for k, p in enumerate(cond.get(sub, [])):
                    yield keys + (ckey, j, sub, k), p


def _check_semantics(data: dict, located) -> None:
    rule_type = TYPES[data["type"]]
    check_fixes(data, located, rule_type.FIXES)
    _check_insert_templates(data, located)
    for keys, pattern in _iter_patterns(data):
        if "regex" in pattern:
            rx = pattern["regex"]
            if len(rx) > REGEX_MAX_LEN:
                raise located.error(keys + ("regex",), f"regex longer than {REGEX_MAX_LEN} characters")
            try:
                re.compile(rx)
            except re.error as exc:
                raise located.error(keys + ("regex",), f"regex does not compile: {exc}") from None
            _check_regex_risk(rx, 0 if pattern.get("case") else re.IGNORECASE, located, keys + ("regex",))
        risk = regex_guard.token_pattern_risk(pattern.get("tokens", []))
        if risk:
            raise located.error(keys + ("tokens",), f"token pattern refused: {risk}")
        for j, token in enumerate(pattern.get("tokens", [])):
            for tkeys, rx in _token_regexes(token, keys + ("tokens", j)):
                try:
                    re.compile(rx)
                except (re.error, TypeError) as exc:
                    raise located.error(tkeys, f"REGEX does not compile: {exc}") from None
                _check_regex_risk(rx, 0, located, tkeys)
    rule_type.validate(data, located)
    # What a message can name: the rule's options, the draft's kind and setting, and what
    # the rule's type fills in.
    fmt_keys = set(data.get("options", {})) | {"kind", "setting"} | rule_type.FIELDS
    for key in ("message", "suggestion"):
        for name in re.findall(r"{(\w+)[^}]*}", data.get(key, "")):
            if name not in fmt_keys:
                raise located.error(
                    (key,), f"{key} uses {{{name}}}, which is not available (use one of: {', '.join(sorted(fmt_keys))})"
                )
    for keys, template in _templates(data):
        _check_template_fields(template, located, keys)


def _check_regex_risk(rx: str, flags: int, located, keys) -> None:
    try:
        regex_guard.check(rx, flags)
    except regex_guard.RegexRisk as exc:
        raise located.error(keys, f"regex refused: {exc}") from None


def _token_regexes(token, keys):
    """(keys, regex) for each spaCy REGEX predicate in one token pattern: `{TEXT: {REGEX: ...}}`."""
    if not isinstance(token, dict):
        return
    for attr, value in token.items():
        if isinstance(value, dict):
            for op, arg in value.items():
                if op == "REGEX":
                    yield keys + (attr, op), arg
                elif isinstance(arg, dict):  # {_: {extension: {REGEX: ...}}}
                    yield from _token_regexes({op: arg}, keys + (attr,))


def _templates(data: dict):
    """Every string the engine fills in with str.format: messages, suggestions, fix texts."""
    for key in ("message", "suggestion"):
        if key in data:
            yield (key,), data[key]
    for i, pattern in enumerate(data.get("patterns", [])):
        if "message" in pattern:
            yield ("patterns", i, "message"), pattern["message"]
    for i, cond in enumerate(data.get("conditions", [])):
        if "message" in cond:
            yield ("conditions", i, "message"), cond["message"]
    fixes = [(("fix",), data.get("fix"))] + [
        (("patterns", i, "fix"), p.get("fix")) for i, p in enumerate(data.get("patterns", []))
    ]
    for keys, fix in fixes:
        for key in ("insert", "title"):
            if fix and isinstance(fix.get(key), str):
                yield keys + (key,), fix[key]


# `{name}`, `{name!r}`, `{name:.0%}`: a field names a value and may format it, nothing more.
# Attribute and index access (`{match.__class__}`) would let a rule file read the
# program's internals, and a huge width (`{match:>999999999}`) would exhaust memory.
_SAFE_SPEC = re.compile(r"[<>^=]?[+\- ]?#?0?\d{0,3},?(\.\d{1,2})?[a-z%]?")


def _check_template_fields(template: str, located, keys) -> None:
    import string

    try:
        fields = [
            (name, conv, spec) for _lit, name, spec, conv in string.Formatter().parse(template) if name is not None
        ]
    except ValueError as exc:
        raise located.error(keys, f"{exc}; write {{{{ and }}}} for literal braces") from None
    for name, conv, spec in fields:
        if not re.fullmatch(r"\w+", name):
            raise located.error(
                keys, f"{{{name}}}: a field is a plain name like {{match}}; attributes and indexes are not allowed"
            )
        if conv not in (None, "r", "s"):
            raise located.error(keys, f"{{{name}!{conv}}}: only !r and !s conversions are allowed")
        if spec and not _SAFE_SPEC.fullmatch(spec):
            raise located.error(keys, f"{{{name}:{spec}}}: use a short format such as :.0% or :>3")


def _check_insert_templates(data: dict, located) -> None:
    """An insert template (which rule types take one is the type's business: FIXES) only
    names context values."""
    from followup_lint.rulefiles.templates import TemplateError, check_template

    fix = data.get("fix") or {}
    if "insert" in fix:
        try:
            check_template(fix["insert"])
        except TemplateError as exc:
            raise located.error(("fix", "insert"), f"fix: insert {exc}") from None


def load_pack(folder: Path, pack: str = "builtin", prefix: str = "") -> list[Rule]:
    folder = Path(folder)
    if not folder.is_dir():
        raise RuleError(str(folder), None, "rule pack folder not found")
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
        if path.name == "pack.yaml":
            continue
        rule = load_rule_file(path, pack=pack, prefix=prefix)
        if rule.id in seen:
            raise RuleError(str(path), rule.line, f"duplicate rule id {rule.id!r} (also in {seen[rule.id].path})")
        seen[rule.id] = rule
        rules.append(rule)
    return rules


@lru_cache(maxsize=1)
def builtin_rules() -> tuple:
    return tuple(load_pack(builtin_pack_dir()))
