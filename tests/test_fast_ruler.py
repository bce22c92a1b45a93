"""The model's attribute_ruler answers its patterns from the doc's array instead of running a
Matcher over every token (language/pipeline.py, fast_attribute_ruler). It must find exactly
the matches spaCy's own AttributeRuler.match finds (the same list, so the same POS, morphology
and lemmas are set): on every corpus draft and on the words its exception patterns name."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The ruler's exceptions: contractions, colloquial spellings, expletive "there", space tokens.
TRICKY = [
    "",
    "   ",
    "\n\n \t x",
    "Hi Sam,\n\n  \nThanks!",
    "I ain't gonna lie, y'all, it was nothin' but fun. Lets go, let's go, gotta run.",
    "There is a role and there are two teams; there were questions. C'mon, Y'ALL ain't done.",
    "Ya all said nuthin'. I'm gonna wanna ask. Aint it? Ain't n't",
    "Wasn't it? It's ’s n't 'm 're. “Quoted” — dashes… and, emoji 🙂 .",
]


def _texts():
    texts = list(TRICKY)
    for path in sorted((ROOT / "corpus").glob("*.*")):
        if path.suffix in (".txt", ".md", ".eml"):
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return texts


def test_fast_attribute_ruler_matches_what_spacy_s_own_finds():
    from spacy.pipeline import AttributeRuler

    from followup_lint.language import pipeline

    nlp = pipeline.load()
    ruler = nlp.get_pipe("attribute_ruler")
    assert "match" in vars(ruler), "the run's pipeline uses the fast ruler"
    before = [c for c in ("attribute_ruler", "lemmatizer", "followup_lint_norm") if c in nlp.pipe_names]
    compared = 0
    with nlp.select_pipes(disable=before):
        for doc in nlp.pipe(_texts(), batch_size=64):
            assert ruler.match(doc) == AttributeRuler.match(ruler, doc), doc.text[:200]
            compared += 1
    assert compared > 100


def test_fast_attribute_ruler_sets_the_same_annotation_on_a_fresh_pipeline():
    """A pipeline as spaCy loads it, against ours (the fast ruler, the lemmatizer that
    remembers its answers): every token's tag, POS, morphology, lemma and dependency label
    agree, the second time a word is seen as the first."""
    import spacy

    from followup_lint.language import pipeline

    nlp = pipeline.load()
    assert "lemmatize" in vars(nlp.get_pipe("lemmatizer")), "the run's lemmatizer remembers its answers"
    plain = None
    for name in pipeline.MODEL_PACKAGES:
        try:
            plain = spacy.load(name, exclude=["ner"])
            break
        except OSError:
            continue
    assert plain is not None
    ours = list(plain.pipe_names)
    texts = _texts()[:80] + TRICKY + _texts()[:20]
    with nlp.select_pipes(enable=ours):
        got = [[(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in d] for d in nlp.pipe(texts)]
    want = [[(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in d] for d in plain.pipe(texts)]
    assert got == want
