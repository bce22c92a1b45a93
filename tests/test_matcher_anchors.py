"""The shared matcher runs each token pattern whose first token names its words only where
those words occur (language/patterns.py, _MatcherHub._anchored_matches). It must find
exactly what one spaCy Matcher over the whole doc finds: for the built-in packs on every
corpus draft, and for the operators that look past a match's end ("!", "?", "{n,m}", "+")
at the ends of a doc."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _whole(hub, vocab):
    """One Matcher holding every token pattern of `hub` (built once: building it per doc
    made this test take minutes on the 570-draft corpus)."""
    from spacy.matcher import Matcher

    whole = Matcher(vocab)
    for key, patterns in hub.matcher._patterns.items():
        whole.add(key, patterns)
    for matcher, *_ in hub.anchored:
        for key, patterns in matcher._patterns.items():
            whole.add(key, patterns)
    return whole


def _reference(hub, doc, whole=None) -> dict:
    """{key: sorted (start, end)} from one Matcher holding every token pattern of `hub`."""
    strings = doc.vocab.strings
    whole = whole if whole is not None else _whole(hub, doc.vocab)
    out: dict = {}
    for match_id, start, end in whole(doc) if len(whole) else ():
        out.setdefault(strings[match_id], set()).add((start, end))
    for match_id, start, end in hub.phrases(doc) if len(hub.phrases) else ():
        out.setdefault(strings[match_id], set()).add((start, end))
    return {k: sorted(v) for k, v in out.items()}


def _ours(hub, doc) -> dict:
    found = hub.matches(doc)
    return {k: sorted(set(v)) for k, v in found.items() if isinstance(k, str)}


def test_anchored_matching_finds_what_one_matcher_finds_on_the_corpus(linter):
    from followup_lint.language.parsed import parse_batch
    from followup_lint.model.draft import DraftError
    from followup_lint.read.draft import read_path

    hub = linter.engine.hub
    assert hub.anchored, "the built-in packs have anchored patterns"
    drafts = []
    for folder in (ROOT / "corpus",):
        for path in sorted(folder.glob("*.*")):
            if path.suffix in (".txt", ".md", ".eml"):
                try:
                    drafts.append(read_path(path))
                except DraftError:
                    pass
    assert len(drafts) > 500
    docs = 0
    whole = _whole(hub, linter.nlp.vocab)
    for start in range(0, len(drafts), 32):
        for parsed in parse_batch(drafts[start : start + 32], linter.nlp):
            for name, segments in parsed._segments.items():
                for seg in segments:
                    assert _ours(hub, seg.doc) == _reference(hub, seg.doc, whole), (parsed.draft.path, name)
                    docs += 1
    assert docs > 1000


EDGE_PATTERNS = [
    [{"LOWER": "thank"}, {"LOWER": "you"}],
    [{"LOWER": {"IN": ["thank", "thanks"]}}, {"LOWER": "you", "OP": "?"}],
    [{"LOWER": "thank"}, {"LOWER": "you", "OP": "!"}],
    [{"LOWER": "hear"}, {"OP": "{0,3}"}, {"LOWER": "soon"}],
    [{"LOWER": "hear"}, {"IS_ALPHA": True, "OP": "+"}],
    [{"LOWER": "hear"}, {"IS_ALPHA": True, "OP": "*"}],
    [{"NORM": {"IN": ["be", "have"]}}, {"LOWER": "you", "OP": "{1,2}"}, {"LOWER": {"NOT_IN": ["there"]}}],
    [{"LOWER": {"NOT_IN": ["a"]}, "OP": "?"}, {"LOWER": "you"}],  # not anchored: the whole-doc matcher
    [{"LOWER": {"NOT_IN": ["a"]}}, {"LOWER": "you"}],  # anchored on its second token
    [{"IS_ALPHA": True}, {"POS": "ADV"}, {"LOWER": "much"}, {"OP": "?"}],
    [{"LOWER": "thank"}, {}],  # words only: checked without the Matcher, never past the end
    [{"LOWER": {"IN": ["so", "thank"]}, "NORM": {"IN": ["so", "thanks"]}}, {"ORTH": "much"}],
    [{"LOWER": "so", "POS": "ADV"}, {"LOWER": "much", "OP": "?"}, {"LOWER": "!", "OP": "!"}],
    # Runs bounded by their words or labels, after "?", "!" and "{n,}" (see _reach_plan).
    [{"LOWER": "so"}, {"LOWER": {"IN": ["much", "so"]}, "OP": "*"}, {"LOWER": "!", "OP": "?"}],
    [{"LOWER": "hear"}, {"LOWER": "hear", "OP": "+"}, {"LOWER": "soon"}],
    [{"LOWER": "hear"}, {"LOWER": "from", "OP": "?"}, {"POS": "PRON", "OP": "{1,}"}, {"LOWER": "soon", "OP": "!"}],
    [{"LOWER": "you", "DEP": "dobj"}, {"TAG": {"IN": ["RB", "VBN"]}, "OP": "*"}],
]

EDGE_TEXTS = [
    "Thank you",
    "thank",
    "Thank you so much!",
    "Thanks, thank you, thank",
    "I hope to hear from you soon",
    "I hope to hear",
    "hear hear hear soon soon",
    "Have you you been there? Be you you",
    "so much",
    "so",
    "So much! Thanks so much",
]


@pytest.mark.parametrize("text", EDGE_TEXTS)
def test_anchored_matching_at_the_ends_of_a_doc(linter, text):
    from followup_lint.language.patterns import _MatcherHub

    hub = _MatcherHub(linter.nlp.vocab)
    for pattern in EDGE_PATTERNS:
        hub.add([pattern])
    assert len(hub.anchored) == len(EDGE_PATTERNS) - 1
    doc = linter.nlp(text)
    assert _ours(hub, doc) == _reference(hub, doc)


class _Counting:
    """Stands in for an anchored pattern's Matcher: counts the tokens it is asked to read."""

    def __init__(self, matcher):
        self.matcher, self.read = matcher, 0

    def __call__(self, span, **kw):
        self.read += len(span)
        return self.matcher(span, **kw)


@pytest.mark.parametrize(
    "pattern, text",
    [
        # "soon" is nowhere within reach of the first "hear": only the second is a start.
        (
            [{"LOWER": "hear"}, {"OP": "{0,2}"}, {"LOWER": "soon"}],
            "I hope to hear about the role and the team and the plans, and to hear soon",
        ),
        # The run of "very" ends two tokens in: the rest of the doc is not the Matcher's.
        (
            [{"LOWER": "i"}, {"LOWER": {"IN": ["very", "so"]}, "OP": "*"}, {"LOWER": "glad"}],
            "I very glad to have met the whole team on Tuesday and to hear about the plans for the clinic",
        ),
        # The first token must be an adverb: "so" as a conjunction starts nothing.
        (
            [{"LOWER": "so", "POS": "ADV"}, {"OP": "?"}, {"LOWER": "much"}],
            "I wrote, so I hope. I called, so I waited. I came, so I stayed. I liked it so much",
        ),
    ],
)
def test_the_matcher_reads_only_where_a_match_can_be(linter, pattern, text):
    from followup_lint.language.patterns import _MatcherHub

    hub = _MatcherHub(linter.nlp.vocab)
    hub.add([pattern])
    whole = _whole(hub, linter.nlp.vocab)
    counting = _Counting(hub.anchored[0][0])
    hub.anchored[0] = (counting, *hub.anchored[0][1:])
    doc = linter.nlp(text)
    assert _ours(hub, doc) == _reference(hub, doc, whole)
    assert counting.read <= 6, f"the Matcher read {counting.read} of {len(doc)} tokens"


def test_phrases_analysed_without_the_parser_get_the_parser_s_norms(linter):
    # analyse_phrases leaves the parser out: a phrase's norms (lemmas) must be what the whole
    # pipeline gives, for every phrase of the built-in rules.
    from followup_lint.language import patterns

    nlp = linter.nlp
    phrases = sorted(patterns._phrase_table(nlp))
    assert len(phrases) > 500
    whole = {
        p: tuple((t.text, t.norm_, t.lower_) for t in d if not t.is_space) for p, d in zip(phrases, nlp.pipe(phrases))
    }
    assert patterns.analyse_phrases(nlp, phrases) == whole
