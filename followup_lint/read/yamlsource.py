"""YAML loading that remembers where each value came from.

Rule files, config files and front matter are written by people; when one is wrong the
message must name the line. PyYAML's composed node tree carries positions, so we build
the plain data and a map from each key path to its 1-based line in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache


class YamlSourceError(Exception):
    def __init__(self, path: str, line: int | None, message: str):
        super().__init__(message)
        self.path, self.line, self.message = path, line, message

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass
class Located:
    """Parsed YAML data plus the line of every key path (tuple of keys/indexes)."""

    data: object
    path: str
    lines: dict = field(default_factory=dict)
    line_offset: int = 0

    def line(self, keys=()) -> int:
        """Line of the deepest known prefix of `keys` (the file's first line if none)."""
        keys = tuple(keys)
        while keys and keys not in self.lines:
            keys = keys[:-1]
        return self.lines.get(keys, 1) + self.line_offset

    def error(self, keys, message: str) -> YamlSourceError:
        return YamlSourceError(self.path, self.line(keys), message)


@lru_cache(maxsize=1)
def _loader_class():
    """The YAML loader, built (and PyYAML imported) on first use: a run answered from the
    cache reads no YAML at all."""
    import yaml

    class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when present: 5-10x faster
        pass

    # YAML 1.1 reads `on`, `off`, `yes`, `no` as booleans; in our files they are words
    # (a rule's phrase list may well contain "no"). Keep only true/false.
    _Loader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )

    def _int(loader, node):
        # A number too long for int() (Python limits it to 4300 digits) is a located error.
        try:
            return yaml.SafeLoader.construct_yaml_int(loader, node)
        except ValueError:
            raise yaml.constructor.ConstructorError(
                None, None, f"a number of {len(node.value)} characters is too long", node.start_mark
            ) from None

    def _float(loader, node):
        value = yaml.SafeLoader.construct_yaml_float(loader, node)
        if value != value:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value} (not a number) is not a usable value", node.start_mark
            )
        return value

    _Loader.add_constructor("tag:yaml.org,2002:int", _int)
    _Loader.add_constructor("tag:yaml.org,2002:float", _float)
    return _Loader


class _Duplicate(Exception):
    def __init__(self, key, line: int, first: int):
        self.key, self.line, self.first = key, line, first


# Values a YAML document may hold once its aliases are expanded. An alias repeats a value
# by reference, so ~700 bytes of nested aliases stand for billions of values, and anything
# that walks the data (schema checks, key lines, our rules) would never finish.
MAX_VALUES = 100_000


def expanded_size(node, limit: int = MAX_VALUES) -> int:
    """How many nodes `node` stands for with every alias expanded (stops counting past
    `limit`); linear in the composed tree, which shares aliased nodes."""
    import yaml

    sizes: dict = {}
    stack = [(node, False)]
    while stack:
        current, done = stack.pop()
        key = id(current)
        if key in sizes and not done:
            continue
        children = []
        if isinstance(current, yaml.MappingNode):
            children = [n for pair in current.value for n in pair]
        elif isinstance(current, yaml.SequenceNode):
            children = list(current.value)
        if not done:
            sizes[key] = None  # in progress: a recursive alias counts as too big
            stack.append((current, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        total = 1
        for c in children:
            size = sizes.get(id(c))
            total += limit + 1 if size is None else size
        sizes[key] = min(total, limit + 1)
    return sizes[id(node)]


def check_expansion(node, path: str, line_offset: int = 0) -> None:
    if node is not None and expanded_size(node) > MAX_VALUES:
        raise YamlSourceError(
            path,
            node.start_mark.line + 1 + line_offset,
            f"the YAML expands to more than {MAX_VALUES:,} values through its aliases "
            f"(*name); write the values out instead",
        )


def _walk(node, keys, lines):
    import yaml

    lines.setdefault(keys, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                if key in seen:  # PyYAML would quietly keep the last one
                    raise _Duplicate(key, key_node.start_mark.line + 1, seen[key])
                seen[key] = key_node.start_mark.line + 1
            lines[keys + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, keys + (key,), lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, keys + (i,), lines)


def load(text: str, path: str, line_offset: int = 0) -> Located:
    """Parse one YAML document. Raises YamlSourceError naming path:line on bad syntax."""
    import yaml

    loader = _loader_class()(text)
    try:
        node = loader.get_single_node()
        check_expansion(node, path, line_offset)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.context_mark and mark and exc.context_mark.line != mark.line:
            problem += f" ({exc.context} that starts on line {exc.context_mark.line + 1 + line_offset})"
        raise YamlSourceError(path, line, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise YamlSourceError(path, None, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    lines: dict = {}
    if node is not None:
        try:
            _walk(node, (), lines)
        except _Duplicate as dup:
            raise YamlSourceError(
                path,
                dup.line + line_offset,
                f"duplicate key {dup.key!r} (first on line {dup.first + line_offset}); give each key once",
            ) from None
        except RecursionError:
            raise YamlSourceError(path, None, "invalid YAML: nested too deeply") from None
    return Located(data, path, lines, line_offset)


def did_you_mean(word, choices) -> str:
    """ " (did you mean 'pushy'?)" for the closest of `choices`, or "" when none is close."""
    import difflib

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_keys_first(errors: list) -> list:
    """Errors ordered so that an unknown key comes before what it causes: `severty:` also
    makes 'severity' a missing required property, and the typo is the news."""
    return sorted(errors, key=lambda e: e.validator != "additionalProperties")


def schema_error(located: Located, error) -> YamlSourceError:
    """Turn a jsonschema ValidationError into a one-line, located message."""
    keys = tuple(error.absolute_path)
    where = "/".join(str(k) for k in keys)
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        if extra:
            keys = keys + (extra[0],)
            names = sorted(error.schema.get("properties", {}))
            allowed = ", ".join(names)
            msg = f"unknown key {extra[0]!r}" + (f" under {where!r}" if where else "")
            return located.error(keys, f"{msg}{did_you_mean(extra[0], names)}; expected one of: {allowed}")
    msg = error.message
    if len(msg) > 200:
        msg = msg[:200] + "…"
    return located.error(keys, f"{where + ': ' if where else ''}{msg}")
