"""The model's matrix products run on NumPy's BLAS instead of the BLIS that thinc bundles
(language/pipeline.py, _numpy_blas): about a third of BLIS's time for tok2vec, the larger
half of a parse. The arithmetic is the same up to rounding, so the parse must be the same:
every token's tag, POS, lemma, dependency label and head, and every sentence start, on every
corpus draft, against the same model loaded the way spaCy loads it by default."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _corpus_texts():
    return [
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted((ROOT / "corpus").glob("*.*"))
        if p.suffix in (".txt", ".md", ".eml")
    ]


def _layer_ops(nlp):
    """The backends of tok2vec's layers, named with ':blis' when they multiply on BLIS."""
    return {
        type(node.ops).__name__ + (":blis" if getattr(node.ops, "use_blis", False) else "")
        for node in nlp.get_pipe("tok2vec").model.walk()
    }


def _annotation(nlp, texts):
    return [
        [(t.tag_, t.pos_, t.lemma_, t.dep_, t.head.i, t.is_sent_start) for t in doc]
        for doc in nlp.pipe(texts, batch_size=32)
    ]


@pytest.fixture(scope="module")
def blis_pipeline():
    """The same model and components as the run's, loaded on thinc's default backend."""
    from followup_lint.language import pipeline

    original = pipeline._numpy_blas
    pipeline._numpy_blas = nullcontext
    try:
        return pipeline.load.__wrapped__(pipeline.DEFAULT_EXCLUDE)
    finally:
        pipeline._numpy_blas = original


def test_the_run_s_model_multiplies_on_numpy_and_leaves_the_caller_s_backend_as_it_was(blis_pipeline):
    from thinc.api import NumpyOps, get_current_ops

    from followup_lint.language import pipeline

    nlp = pipeline.load()
    assert _layer_ops(nlp) == {"NumpyOps"}
    assert _layer_ops(blis_pipeline) == {"NumpyOps:blis"}, "the comparison pipeline is thinc's default"
    current = get_current_ops()
    assert type(current) is NumpyOps and current.use_blis, "loading the model put the caller's backend back"


def test_the_parse_on_numpy_s_blas_is_the_parse_on_blis_for_every_corpus_draft(blis_pipeline):
    from followup_lint.language import pipeline

    texts = _corpus_texts()
    assert len(texts) > 600
    got = _annotation(pipeline.load(), texts)
    want = _annotation(blis_pipeline, texts)
    differing = [texts[i][:120] for i, (g, w) in enumerate(zip(got, want)) if g != w]
    assert not differing, differing[:3]


def test_a_backend_the_caller_chose_is_left_to_the_model():
    """Another CPU backend (thinc's Apple ops is one; a subclass stands in for it here) is the
    caller's choice: the model is loaded on it unchanged."""
    from thinc.api import NumpyOps, use_ops
    from thinc.config import registry

    from followup_lint.language import pipeline

    @registry.ops("followup_lint_test_ops")
    class ChosenOps(NumpyOps):
        name = "followup_lint_test_ops"

    with use_ops("followup_lint_test_ops"):
        nlp = pipeline.load.__wrapped__(pipeline.DEFAULT_EXCLUDE)
    assert _layer_ops(nlp) == {"ChosenOps:blis"}


def test_a_numpy_without_an_optimised_blas_keeps_blis(monkeypatch):
    """NumPy on the reference BLAS multiplies far slower than BLIS: the model stays on BLIS."""
    import numpy

    from followup_lint.language import pipeline

    assert pipeline._optimised_blas(), "this machine's NumPy has an optimised BLAS"
    config = {**numpy.__config__.CONFIG}
    config["Build Dependencies"] = {**config["Build Dependencies"], "blas": {"name": "blas", "found": True}}
    monkeypatch.setattr(numpy.__config__, "CONFIG", config)
    assert not pipeline._optimised_blas()
    nlp = pipeline.load.__wrapped__(pipeline.DEFAULT_EXCLUDE)
    assert _layer_ops(nlp) == {"NumpyOps:blis"}


def test_a_run_s_batches_give_the_annotation_of_one_plain_pipe_call():
    """The run parses in groups, with a smaller batch for the tok2vec layer than for the tagger
    and parser (language/parsed.py _pipe, for memory); they then read the vectors from the
    docs. Every token must get what one plain nlp.pipe call gives it."""
    from followup_lint.language import parsed, pipeline

    nlp = pipeline.load()
    texts = _corpus_texts()[:200]
    assert parsed.TOK2VEC_BATCH < parsed.PIPE_BATCH
    got = [
        [(t.tag_, t.pos_, t.lemma_, t.dep_, t.head.i, t.is_sent_start) for t in doc]
        for doc in parsed._pipe(nlp, [nlp.make_doc(t) for t in texts])
    ]
    assert got == _annotation(nlp, texts)
