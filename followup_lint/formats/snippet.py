"""Annotated excerpts for the terminal: one line of a draft with carets under the words that
findings point at, in the manner of rustc and ruff (annotate-snippets):

    12 | …two weeks ago. Have you made a decision yet? This is my third email and I…
       |                          ^^^^^^^^^^^^^^^               ^^^^^^^^^^^ pushy
       |                          |
       |                          pushy

A line wider than the terminal is shown as a window around the annotated words, with an
ellipsis on the side that is cut; annotations too far apart for one window get a window
each. Columns are display columns: wide (CJK) characters and emoji take two, combining
marks none, a tab four, and control characters are shown escaped (`\\x1b`), so a caret
lands under its words whatever the line holds. Widths come from wcwidth, grapheme by
grapheme.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import click
from wcwidth import iter_graphemes, wcswidth, wrap

from followup_lint.model.text import printable

TAB = "    "
ELLIPSIS = "…"
MIN_WIDTH = 40


@dataclass
class Annotation:
    start: int  # code points into the line, [start, end); end may pass the line's end
    end: int
    label: str
    colour: str | None = None
    # filled in by the layout: display columns [c0, c1) in the whole line
    c0: int = 0
    c1: int = 0
    labels: list = field(default_factory=list)


@dataclass
class _Cell:
    start: int  # code points
    end: int
    shown: str
    width: int
    col: int = 0


def _cells(line: str) -> list[_Cell]:
    cells, pos, col = [], 0, 0
    for g in iter_graphemes(line):
        if g == "\t":
            shown, width = TAB, len(TAB)
        else:
            shown = printable(g)
            if shown != g:  # a control character: shown escaped, one column per character
                width = len(shown)
            else:
                width = max(wcswidth(g), 0)
        cells.append(_Cell(pos, pos + len(g), shown, width, col))
        pos += len(g)
        col += width
    return cells


def _start_column(cells: list[_Cell], point: int) -> int:
    """The display column where the grapheme holding code point `point` starts (the line's
    width past its end)."""
    for cell in cells:
        if cell.start <= point < cell.end:
            return cell.col
    return cells[-1].col + cells[-1].width if cells else 0


def _end_column(cells: list[_Cell], point: int) -> int:
    """The display column where the grapheme holding code point `point - 1` ends."""
    return next((c.col + c.width for c in cells if c.start < point <= c.end), _start_column(cells, point))


def _style(text: str, color: bool, **kw) -> str:
    return click.style(text, **kw) if color and text else text


def render_line(
    line_no: int,
    line: str,
    annotations: list[Annotation],
    width: int,
    gutter: int = 0,
    color: bool = False,
    emphasis: bool = True,
) -> list[str]:
    """The rows that show `line` (number `line_no`) with its annotations, each row at most
    `width` columns wide. `gutter` is the width of the line-number column."""
    gutter = max(gutter, len(str(line_no)))
    cells = _cells(line)
    total = cells[-1].col + cells[-1].width if cells else 0
    room = max(width, MIN_WIDTH) - gutter - 3  # "12 | "
    # Annotations on the same words share a caret run and one label.
    merged: dict = {}
    for a in annotations:
        c0 = _start_column(cells, a.start)
        c1 = max(_end_column(cells, min(a.end, len(line))), c0 + 1) if a.end > a.start else c0 + 1
        key = (c0, c1)
        if key in merged:
            if a.label not in merged[key].labels:
                merged[key].labels.append(a.label)
        else:
            a.c0, a.c1, a.labels = c0, c1, [a.label]
            merged[key] = a
    anns = sorted(merged.values(), key=lambda a: (a.c0, a.c1))

    # Group annotations into windows that fit the room, labels included. A span longer than
    # half the room is cut at the window's edge rather than given a window of its own.
    def reach(a):
        label_w = len(", ".join(a.labels))
        return max(a.c1 if a.c1 - a.c0 <= room // 2 else a.c0 + 10, a.c0 + label_w)

    fits = total <= room and all(a.c1 <= room for a in anns)  # the whole line: one window
    windows: list[list[Annotation]] = []
    for a in anns:
        if windows and fits or windows and max(map(reach, windows[-1] + [a])) - windows[-1][0].c0 <= room - 2:
            windows[-1].append(a)
        else:
            windows.append([a])
    pad = " " * gutter
    bar = _style(f"{pad} |", color, fg="blue", bold=True)
    rows: list[str] = []
    for group in windows:
        rows += _window(line_no, cells, total, group, room, gutter, bar, color, emphasis, reach)
    return rows


def _window(line_no, cells, total, group, room, gutter, bar, color, emphasis, reach) -> list[str]:
    left = group[0].c0
    right = max(reach(a) for a in group)
    if total <= room and all(a.c1 <= room for a in group):  # the whole line fits, carets too
        vs, ve = 0, total
    else:
        text_room = room - 2  # an ellipsis may be needed on each side
        if right <= text_room:
            vs = 0
        else:
            slack = max(text_room - (right - left), 0)
            vs = left - min(left, slack // 2)
            vs = max(0, min(vs, total - text_room, left))  # no room wasted after the end
            # Start on a word, not in the middle of one, when that costs little.
            if vs > 0:
                for c in cells:
                    if vs <= c.col < min(vs + 12, left) and c.shown.isspace():
                        vs = c.col + c.width
                        break
        ve = min(total, vs + text_room)
        if ve < total:  # and end after a word
            for c in reversed(cells):
                if max(right, ve - 12) <= c.col < ve and c.shown.isspace():
                    ve = c.col
                    break
    shown = [c for c in cells if c.col >= vs and c.col + c.width <= ve]
    if shown:
        vs, ve = shown[0].col, shown[-1].col + shown[-1].width
    else:
        ve = vs
    lead = 1 if vs > 0 else 0
    # The text row, the annotated words in bold.
    marked = [False] * len(shown)
    for i, c in enumerate(shown):
        marked[i] = any(a.c0 <= c.col < a.c1 for a in group)
    text = []
    run, flag = "", None
    for c, m in zip(shown, marked):
        if flag is not None and m != flag:
            text.append(_style(run, color and emphasis and flag, bold=True))
            run = ""
        run += c.shown
        flag = m
    if run:
        text.append(_style(run, color and emphasis and bool(flag), bold=True))
    line_text = (ELLIPSIS if lead else "") + "".join(text) + (ELLIPSIS if ve < total else "")
    number = _style(f"{line_no:>{gutter}} |", color, fg="blue", bold=True)
    rows = [f"{number} {line_text}".rstrip()]

    def col(c):  # a line column -> a column in the row after "| "
        return c - vs + lead

    limit = room
    # Overlapping spans go on separate caret rows (layers), each with its own labels.
    # Short spans first, so a sentence-wide span goes under the words it contains.
    layers: list[list[Annotation]] = []
    for a in sorted(group, key=lambda a: (a.c1 - a.c0, a.c0)):
        for layer in layers:
            if all(a.c0 >= b.c1 or a.c1 <= b.c0 for b in layer):
                layer.append(a)
                break
        else:
            layers.append([a])
    for layer in layers:
        layer.sort(key=lambda a: (a.c0, a.c1))
        rows += _layer(layer, col, limit, col(ve), bar, color)
    return rows


def _paint(chars, who, color) -> str:
    out, i = [], 0
    while i < len(chars):
        j = i
        while j < len(chars) and who[j] is who[i]:
            j += 1
        piece = "".join(chars[i:j])
        out.append(_style(piece, color and who[i] is not None, fg=who[i].colour if who[i] else None, bold=True))
        i = j
    return "".join(out).rstrip()


def _layer(group, col, limit, text_end, bar, color) -> list[str]:
    rows = []
    carets = [" "] * limit
    owners: list = [None] * limit
    for a in group:
        for c in range(max(col(a.c0), 0), max(min(col(a.c1), limit, text_end), col(a.c0) + 1)):
            carets[c] = "^"
            owners[c] = a
    # The annotation that ends rightmost takes its label inline when it fits.
    last = max(group, key=lambda a: (a.c1, a.c0))
    inline = None
    label = ", ".join(last.labels)
    if col(last.c1) + 1 + len(label) <= limit:
        inline = last
    below = [a for a in group if a is not inline]
    caret_row = _paint(carets, owners, color)
    if inline is not None:
        caret_row += " " + _style(label, color, fg=inline.colour, bold=True)
    rows.append(f"{bar} {caret_row}".rstrip())
    # The other labels hang below their first caret, rightmost first, with a bar down from
    # each caret still waiting for its label (a bar row first when more than one waits).
    anchors: dict = {}
    for a in below:
        anchors.setdefault(max(col(a.c0), 0), []).append(a)
    order = sorted(anchors, reverse=True)
    if len(order) > 1:
        chars, who = [" "] * limit, [None] * limit
        for c in order:
            chars[c], who[c] = "|", anchors[c][0]
        rows.append(f"{bar} {_paint(chars, who, color)}".rstrip())
    for k, c in enumerate(order):
        chars, who = [" "] * limit, [None] * limit
        for other in order[k + 1 :]:
            chars[other], who[other] = "|", anchors[other][0]
        text = ", ".join(l for a in anchors[c] for l in a.labels)
        if c + len(text) > limit:
            text = text[: max(limit - c - 1, 1)] + ELLIPSIS
        for i, ch in enumerate(text):
            if c + i < limit:
                chars[c + i], who[c + i] = ch, anchors[c][0]
        rows.append(f"{bar} {_paint(chars, who, color)}".rstrip())
    return rows


def wrap_prose(text: str, width: int, first: str, rest: str) -> list[str]:
    """`first` + text, wrapped on word boundaries at `width` display columns, continuation
    rows starting with `rest` (both prefixes plain text, already made printable)."""
    width = max(width, MIN_WIDTH, wcswidth(first) + 20)
    rows = wrap(
        printable(text),
        width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=True,
        break_on_hyphens=False,
    )
    return rows or [first.rstrip()]
