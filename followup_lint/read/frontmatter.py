"""YAML front matter at the top of a .txt/.md draft: the context of the draft (kind,
dates, names), read with the line of every key so errors can point at it.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from followup_lint.model.draft import FRONT_MATTER_KEYS, DraftError
from followup_lint.model.text import LINE_BREAK, iter_lines, trim
from followup_lint.read.yamlsource import MAX_VALUES, expanded_size

_FM_OPEN = re.compile(r"---[ \t]*$")


_FM_CLOSE = re.compile(r"(?:---|\.\.\.)[ \t]*$")


def parse_front_matter(text: str, path: str, starts: list[int], notes: list[str]):
    """(mapping, key lines, region range or None, offset where the message begins).

    A first line "---" opens YAML front matter, a "---" or "..." line closes it. A block
    that never closes is read as text (with a note): a draft may open with a rule of dashes.
    """
    lines = iter_lines(text)
    first = next(lines, None)
    if first is None or not _FM_OPEN.match(text[first[0] : first[1]]):
        return {}, {}, None, 0
    yaml_start = _next_line_start(text, first[1])
    for s, e in lines:
        if _FM_CLOSE.match(text[s:e]):
            mapping, key_lines = _load_yaml(text, yaml_start, s, path, starts, notes)
            return mapping, key_lines, trim(text, first[0], e), _next_line_start(text, e)
    notes.append("the '---' on line 1 is never closed by another '---' line, so it was read as text, not front matter")
    return {}, {}, None, 0


def _next_line_start(text: str, line_end: int) -> int:
    m = LINE_BREAK.match(text, line_end)
    return m.end() if m else line_end


def _line_at(starts: list[int], offset: int) -> int:
    return bisect_right(starts, offset)


def _load_yaml(text: str, start: int, end: int, path: str, starts: list[int], notes: list[str]):
    """Parse the YAML between the --- lines, remembering the file line of every key."""
    import yaml  # only a draft with front matter pays for PyYAML (not a run answered from the cache)

    source = text[start:end]

    def line_of(index: int) -> int:
        return _line_at(starts, start + min(max(index, 0), len(source)))

    def fail(index: int, what: str):
        raise DraftError(path, f"front matter {what}; fix it or remove the --- block", line_of(index))

    loader = None
    try:
        try:
            loader = yaml.SafeLoader(source)  # checks for unprintable characters already
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            fail(mark.index if mark else 0, f"is not valid YAML: {e.problem or e.context}")
        except yaml.reader.ReaderError as e:
            fail(e.position, f"is not valid YAML: character {e.character!r} is not allowed")
        except (yaml.YAMLError, RecursionError) as e:
            fail(0, f"is not valid YAML: {type(e).__name__}")
        if node is None:
            return {}, {}
        if expanded_size(node) > MAX_VALUES:
            fail(
                node.start_mark.index,
                f"expands to more than {MAX_VALUES:,} values through its YAML aliases (*name); write the values out",
            )
        if not isinstance(node, yaml.MappingNode):
            kind = {yaml.SequenceNode: "a list"}.get(type(node), "a single value")
            fail(node.start_mark.index, f"must be a mapping of 'key: value' lines, not {kind}")
        return _construct_mapping(loader, node, line_of, fail, notes)
    finally:
        if loader is not None:
            loader.dispose()


def _construct_mapping(loader, node, line_of, fail, notes):
    import yaml

    mapping: dict = {}
    key_lines: dict = {}
    try:
        loader.flatten_mapping(node)  # resolves "<<" merge keys
    except yaml.YAMLError as e:
        fail(node.start_mark.index, f"is not valid YAML: {getattr(e, 'problem', None) or e}")
    for key_node, value_node in node.value:
        try:
            key = loader.construct_object(key_node, deep=True)
            hash(key)
        except (yaml.YAMLError, TypeError, ValueError, OverflowError, RecursionError):
            fail(key_node.start_mark.index, "has a key that is not a plain name")
        try:
            value = loader.construct_object(value_node, deep=True)
        except (yaml.YAMLError, TypeError, ValueError, OverflowError, RecursionError) as e:
            # e.g. "interview_date: 2024-02-30" looks like a date but is not one
            reason = getattr(e, "problem", None) or str(e) or type(e).__name__
            fail(value_node.start_mark.index, f"value for {key!r} is not valid: {reason}")
        line = line_of(key_node.start_mark.index)
        mapping[key] = value
        key_lines[key] = line
        if key not in FRONT_MATTER_KEYS:
            notes.append(f"unknown front-matter key {key!r} (line {line})")
    return mapping, key_lines
