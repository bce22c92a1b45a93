"""A draft's regions run through spaCy, with offsets back into the draft's text."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from followup_lint.language import pipeline as nlp_mod
from followup_lint.language.patterns import doc_text

# What reaches the parser is bounded before it starts, since spaCy cannot be interrupted
# mid-parse: its tokenizer is quadratic on a long run without spaces ("!" x 20,000 took
# a minute), and it needs about 1 GB of memory per 100,000 characters of one doc.
# A run of non-space characters longer than RUN_LIMIT reaches the parser as its first and
# last RUN_KEEP characters (offsets map back, as for CRLF); regexes still read the run.
RUN_LIMIT = 100
RUN_KEEP = 50
# What of each region (subject, body, ...) the parser reads: at most PARSE_CHARS characters
# are tokenized and PARSE_TOKENS tokens parsed; what lies beyond is not checked, with a
# note. A follow-up email is a few hundred words; this is about 4,000.
PARSE_CHARS = 50_000
PARSE_TOKENS = 5_000
# Characters parsed together in one nlp.pipe call, and regions per batch in it.
BATCH_CHARS = 100_000
PIPE_BATCH = 64
# Regions per batch of the shared tok2vec layer. Its arrays for a batch grow with the batch's
# tokens and are all alive until the layer returns, and glibc keeps the memory they took, so
# a process's peak is its baseline plus the largest such batch it met: at 64 regions (about
# 16 drafts) a long run peaked higher than a short one. At 16 a 1,000-draft run's peak is
# about 50 MB lower (226 against 278 MB at -j 1) at the same speed, which smaller batches
# for every component were not: the parser is slower in small batches (bench/results.md).
# The tagger and parser read the vectors from the docs when their batch is not the layer's
# (spaCy's listeners do), so the annotation is the same.
TOK2VEC_BATCH = 16

_LONG_RUN = re.compile(rf"(?<!\S)\S{{{RUN_LIMIT + 1},}}")


@dataclass
class Segment:
    region: str
    start: int  # offset of the segment's first character in Draft.text
    doc: object  # spacy.tokens.Doc
    end: int = 0  # offset just past the segment in Draft.text
    offsets: list | None = None  # `text` index -> offset from `start`, when they differ (CRLF)
    text: str | None = None  # what regexes read: the segment as parsed, before runs were shortened
    runs: tuple | None = None  # (doc starts, shifts, text starts): doc index <-> `text` index, when runs were shortened

    def __post_init__(self):
        if self.text is None:
            self.text = self.doc.text

    def at(self, i: int) -> int:
        """The Draft.text offset of character `i` of the doc (or of its end, i == len)."""
        return self.text_at(self.text_index(i))

    def text_at(self, j: int) -> int:
        """The Draft.text offset of character `j` of `text`."""
        return self.start + (self.offsets[j] if self.offsets is not None else j)

    def text_index(self, i: int) -> int:
        return _to_text(self.runs, i)

    def doc_index(self, j: int) -> int:
        """The doc character standing for character `j` of `text` (the kept end of a
        shortened run for a character that was left out)."""
        if self.runs is None:
            return j
        starts, shifts, text_starts = self.runs
        k = max(bisect_right(text_starts, j) - 1, 0)
        i = j - shifts[k]
        return min(i, starts[k + 1]) if k + 1 < len(starts) else min(i, len(self.doc.text))

    def char_span(self, j: int, k: int):
        """The doc span covering characters j..k of `text` (expanded to whole tokens)."""
        return self.doc.char_span(self.doc_index(j), self.doc_index(k), alignment_mode="expand")


def unify_line_breaks(text: str) -> tuple[str, list | None]:
    """`text` with CRLF and lone CR written as "\n", and where each character came from.

    The parser is sensitive to white space: a draft saved with Windows line endings must
    parse exactly like the same draft with "\n", or findings would differ between them.
    """
    if "\r" not in text:
        return text, None
    out, offsets, i = [], [], 0
    while i < len(text):
        if text[i] == "\r" and i + 1 < len(text) and text[i + 1] == "\n":
            i += 1  # drop the CR of a CRLF; the LF stands for both
        out.append("\n" if text[i] == "\r" else text[i])
        offsets.append(i)
        i += 1
    offsets.append(len(text))
    return "".join(out), offsets


def shorten_runs(text: str) -> tuple[str, tuple | None]:
    """`text` with every run of more than RUN_LIMIT non-space characters cut to its first
    and last RUN_KEEP, and how to map the result back (None if unchanged): doc pieces start
    at `starts`, a doc index i in piece k is text index i + shifts[k]."""
    out, starts, shifts, pos, length = [], [0], [0], 0, 0
    for m in _LONG_RUN.finditer(text):
        head, tail = m.start() + RUN_KEEP, m.end() - RUN_KEEP
        out.append(text[pos:head])
        length += head - pos
        out.append(text[tail : m.end()])
        starts.append(length)
        shifts.append(tail - length)
        length += RUN_KEEP
        pos = m.end()
    if len(starts) == 1:
        return text, None
    out.append(text[pos:])
    return "".join(out), (starts, shifts, [a + b for a, b in zip(starts, shifts)])


def _to_text(runs, i: int) -> int:
    if runs is None:
        return i
    starts, shifts, _ = runs
    return i + shifts[max(bisect_right(starts, i) - 1, 0)]


def longest_run(text: str) -> int:
    """The longest run of non-space characters in `text` (what the tokenizer is quadratic in)."""
    return max((len(w) for w in text.split()), default=0)


# Regions nearly every rule reads; a batch parses them for all its drafts in one pipe call.
COMMON_REGIONS = ("subject", "greeting", "body", "sign-off")


def parse_batch(drafts, nlp, regions=COMMON_REGIONS) -> list[ParsedDraft]:
    """ParsedDrafts for many drafts at once: spaCy batches the work (nlp.pipe), which is
    several times faster than one call per region per draft."""
    parsed = [ParsedDraft(d, nlp) for d in drafts]
    todo = [(p, name, s, e) for p in parsed for name in regions for s, e in p.draft.regions.get(name, [])]
    for p in parsed:
        for name in regions:
            p._segments.setdefault(name, [])
    planned = [(p, name, s, e, p._plan(name, s, e)) for p, name, s, e in todo]
    planned = [job for job in planned if job[4] is not None]
    docs = _pipe(nlp, [plan[0] for *_, plan in planned])
    for (p, name, s, e, plan), doc in zip(planned, docs):
        p._segments[name].append(_segment(name, s, e, doc, plan))
    return parsed


def _segment(name, s, e, doc, plan) -> Segment:
    _short, text, offsets, runs = plan
    index_sentences(doc)
    return Segment(name, s, doc, e, offsets, text, runs)


def _pipe(nlp, texts: list):
    """nlp.pipe over `texts` (tokenized docs), at most BATCH_CHARS characters in flight at a time."""
    batches = {"batch_size": PIPE_BATCH, "component_cfg": {"tok2vec": {"batch_size": TOK2VEC_BATCH}}}
    group, size = [], 0
    for text in texts:
        length = len(doc_text(text))  # the tokenizer's text, kept on the doc (doc.text joins it anew)
        if group and size + length > BATCH_CHARS:
            yield from nlp.pipe(group, **batches)
            group, size = [], 0
        group.append(text)
        size += length
    if group:
        yield from nlp.pipe(group, **batches)


def index_sentences(doc) -> None:
    nlp_mod.index_sentences(doc)


class ParsedDraft:
    """Parses regions on demand; most rules read only the body, so the quoted thread and
    signature are parsed only if some enabled rule asks for them."""

    def __init__(self, draft, nlp):
        self.draft = draft
        self.nlp = nlp
        self._segments: dict[str, list[Segment]] = {}
        self._left: dict[str, tuple] = {}  # region -> (characters, tokens) the parser may still read
        # Remarks a rule type makes about the whole draft ("spelling not checked: ...");
        # the report carries them as notes.
        self.notes: list[str] = []

    def _plan(self, name: str, s: int, e: int):
        """(doc to parse, regex text, CRLF offsets, run map) for one range of a region, cut
        to what is left of the region's allowance; None when nothing is left."""
        chars, tokens = self._left.get(name, (PARSE_CHARS, PARSE_TOKENS))
        if chars <= 0 or tokens <= 0:
            return None
        unified, offsets = unify_line_breaks(self.draft.text[s:e])
        text = nlp_mod.prepare(unified)
        short, runs = shorten_runs(text)
        cut = len(short)
        if len(short) > chars:
            space = short.rfind(" ", 0, chars)
            cut = space if space > chars // 2 else chars
        doc = self.nlp.make_doc(short[:cut])
        if len(doc) > tokens:
            cut = doc[tokens].idx
            doc = self.nlp.make_doc(short[:cut])
        doc.user_data["followup_lint_text"] = short[:cut]  # doc.text, as doc_text() keeps it
        if cut < len(short):
            text = text[: _to_text(runs, cut)]
            self.notes.append(
                f"only the first {len(text):,} characters of the {name} were checked "
                f"(a follow-up email is far shorter); the rest was not read"
            )
            chars = tokens = 0
        self._left[name] = (chars - cut, tokens - len(doc))
        return doc, text, offsets, runs

    def parse(self, regions) -> None:
        todo = [
            (name, s, e) for name in regions if name not in self._segments for s, e in self.draft.regions.get(name, [])
        ]
        for name in regions:
            self._segments.setdefault(name, [])
        planned = [(name, s, e, plan) for name, s, e in todo if (plan := self._plan(name, s, e)) is not None]
        for (name, s, e, plan), doc in zip(planned, _pipe(self.nlp, [plan[0] for *_, plan in planned])):
            self._segments[name].append(_segment(name, s, e, doc, plan))

    def segments(self, regions) -> list[Segment]:
        self.parse(regions)
        out = [seg for name in regions for seg in self._segments[name]]
        return sorted(out, key=lambda seg: seg.start)
