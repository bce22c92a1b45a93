"""A draft's regions run through spaCy, with offsets back into the draft's text."""

from __future__ import annotations

from dataclasses import dataclass

from . import nlp as nlp_mod


@dataclass
class Segment:
    region: str
    start: int      # offset of doc's first character in Draft.text
    doc: object     # spacy.tokens.Doc


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
        texts = [nlp_mod.prepare(self.draft.text[s:e]) for _, s, e in todo]
        for (name, s, _), doc in zip(todo, self.nlp.pipe(texts)):
            self._segments[name].append(Segment(name, s, doc))

    def segments(self, regions) -> list[Segment]:
        self.parse(regions)
        out = [seg for name in regions for seg in self._segments[name]]
        return sorted(out, key=lambda seg: seg.start)
