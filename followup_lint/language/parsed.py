"""A draft's regions run through spaCy, with offsets back into the draft's text."""

from __future__ import annotations

from dataclasses import dataclass

from followup_lint.language import pipeline as nlp_mod


@dataclass
class Segment:
    region: str
    start: int      # offset of doc's first character in Draft.text
    doc: object     # spacy.tokens.Doc
    end: int = 0    # offset just past the segment in Draft.text
    offsets: list | None = None   # doc character index -> offset from `start`, when they differ

    def at(self, i: int) -> int:
        """The Draft.text offset of character `i` of the doc (or of its end, i == len)."""
        return self.start + (self.offsets[i] if self.offsets is not None else i)


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


# Regions nearly every rule reads; a batch parses them for all its drafts in one pipe call.
COMMON_REGIONS = ("subject", "greeting", "body", "sign-off")


def parse_batch(drafts, nlp, regions=COMMON_REGIONS, batch_size: int = 64) -> list[ParsedDraft]:
    """ParsedDrafts for many drafts at once: spaCy batches the work (nlp.pipe), which is
    several times faster than one call per region per draft."""
    parsed = [ParsedDraft(d, nlp) for d in drafts]
    todo = [(p, name, s, e) for p in parsed for name in regions for s, e in p.draft.regions.get(name, [])]
    unified = [unify_line_breaks(p.draft.text[s:e]) for p, _, s, e in todo]
    docs = nlp.pipe((nlp_mod.prepare(text) for text, _ in unified), batch_size=batch_size)
    for p in parsed:
        for name in regions:
            p._segments.setdefault(name, [])
    for (p, name, s, e), (_, offsets), doc in zip(todo, unified, docs):
        p._segments[name].append(Segment(name, s, doc, e, offsets))
    return parsed


class ParsedDraft:
    """Parses regions on demand; most rules read only the body, so the quoted thread and
    signature are parsed only if some enabled rule asks for them."""

    def __init__(self, draft, nlp):
        self.draft = draft
        self.nlp = nlp
        self._segments: dict[str, list[Segment]] = {}
        # Remarks a rule type makes about the whole draft ("spelling not checked: ...");
        # the report carries them as notes.
        self.notes: list[str] = []

    def parse(self, regions) -> None:
        todo = [(name, s, e) for name in regions if name not in self._segments
                for s, e in self.draft.regions.get(name, [])]
        for name in regions:
            self._segments.setdefault(name, [])
        unified = [unify_line_breaks(self.draft.text[s:e]) for _, s, e in todo]
        texts = [nlp_mod.prepare(text) for text, _ in unified]
        for (name, s, e), (_, offsets), doc in zip(todo, unified, self.nlp.pipe(texts)):
            self._segments[name].append(Segment(name, s, doc, e, offsets))

    def segments(self, regions) -> list[Segment]:
        self.parse(regions)
        out = [seg for name in regions for seg in self._segments[name]]
        return sorted(out, key=lambda seg: seg.start)
