"""A learned second opinion on a sentence's tone: hostile, pushy or needy.

Patterns see what a rule author could list; this sees wording nobody listed. It is a
logistic regression per label over features the lint parse has already computed, so it
costs no extra model run:

- the lower-cased lemmas of the sentence and its lemma bigrams (a bag of n-grams; the
  trainer keeps those holding a content word), and
- optionally the mean of the sentence's token vectors from the spaCy model's own tok2vec
  layer (`doc.tensor`; en_core_web_sm has no static vectors). The trainer measures it; the
  shipped weights leave it out (`meta.features`), because on real drafts it rated short
  lines such as subject lines and sign-offs far too high.

Both parts are linear in the sentence's tokens, so each token's share of the score is exact:
its n-gram weights plus its vector's dot product with the label's vector weights over the
sentence length. A finding points at the run of up to three tokens with the largest share
(the words that made it fire) inside the sentence.

The weights are trained by tools/train_opinion.py from labelled sentences written from the
advice (tools/opinion-data/) and ship as package data (data/opinion.json). Nothing here is
loaded until a rule with an `opinion:` pattern meets its first sentence; `version()` (a hash
of the file) is part of the results-cache key whenever such a rule is enabled.
"""

from __future__ import annotations

import hashlib
import json
import math
from functools import lru_cache
from importlib import resources

# The labels the model may be asked about (the rule schema's `opinion.label` lists the same).
LABELS = ("hostile", "pushy", "needy")
RESOURCE = "data/opinion.json"
WINDOW = 3  # a finding quotes at most this many consecutive tokens
_CACHE_KEY = "followup_lint_opinion"


def _artefact():
    return resources.files("followup_lint").joinpath(RESOURCE)


@lru_cache(maxsize=1)
def version() -> str:
    """A hash of the shipped weights: a retrained model is a new cache key."""
    return hashlib.sha256(_artefact().read_bytes()).hexdigest()[:16]


def used_by(rules) -> bool:
    """Does any of these rules have an `opinion:` pattern (in its patterns or conditions)?"""

    def walk(obj):
        if isinstance(obj, dict):
            return "opinion" in obj or any(walk(v) for v in obj.values())
        if isinstance(obj, list):
            return any(walk(v) for v in obj)
        return False

    return any(walk([r.patterns, r.when, r.unless]) for r in rules)


class Model:
    """The weights, as read from data/opinion.json (written by tools/train_opinion.py)."""

    def __init__(self, data: dict):
        import numpy as np

        self.labels = tuple(data["labels"])
        self.bias = np.asarray(data["bias"], dtype=np.float32)  # (labels,)
        self.ngrams = {g: np.asarray(w, dtype=np.float32) for g, w in data["ngrams"].items()}  # g -> (labels,)
        tensor = data.get("tensor")
        self.tensor = np.asarray(tensor, dtype=np.float32) if tensor else None  # (width, labels)
        self.meta = data.get("meta", {})

    def token_shares(self, norms: list[str], vectors):
        """(tokens, labels) array: each token's share of each label's logit (without the
        bias). A bigram's weight is split between its two tokens."""
        import numpy as np

        n = len(norms)
        shares = np.zeros((n, len(self.labels)), dtype=np.float32)
        for g, positions in ngrams(norms):
            w = self.ngrams.get(g)
            if w is not None:
                for i in positions:
                    shares[i] += w / len(positions)
        if self.tensor is not None and vectors is not None and len(vectors) == n and n:
            shares += (np.asarray(vectors, dtype=np.float32) @ self.tensor) / n
        return shares

    def probabilities(self, shares) -> dict:
        logits = self.bias + shares.sum(axis=0)
        return {label: 1.0 / (1.0 + math.exp(-float(x))) for label, x in zip(self.labels, logits)}


@lru_cache(maxsize=1)
def load() -> Model:
    """The shipped model, read once per process."""
    return Model(json.loads(_artefact().read_text("utf-8")))


def ngrams(norms: list[str]) -> list[tuple[str, tuple]]:
    """The sentence's n-gram features, each once: (n-gram, the token positions it covers).
    Unigrams are lemmas; bigrams join neighbours, with <s> and </s> at the edges (a
    sentence that opens with "Surely" differs from one that contains it)."""
    out, seen = [], set()
    for i, g in enumerate(norms):
        if g not in seen:
            seen.add(g)
            out.append((g, (i,)))
    n = len(norms)
    for i, (a, b) in enumerate(zip(["<s>", *norms], [*norms, "</s>"])):
        g = f"{a} {b}"
        if g in seen:
            continue
        seen.add(g)
        out.append((g, tuple(j for j in (i - 1, i) if 0 <= j < n)))
    return out


def sentence_tokens(sent) -> tuple[list[str], list[int]]:
    """The features' words of a sentence: lower-cased lemmas (NORM) of its non-space
    tokens, and their indices in the doc."""
    norms, index = [], []
    for t in sent:
        if not t.is_space:
            norms.append(t.norm_)
            index.append(t.i)
    return norms, index


def _judged(doc, model: Model) -> list:
    """Per sentence of `doc`: (sentence span, {label: probability}, shares, token indices),
    computed once per doc and kept on it (several rules ask about the same sentences)."""
    cached = doc.user_data.get(_CACHE_KEY)
    if cached is not None and cached[0] is model:
        return cached[1]
    tensor = doc.tensor if getattr(doc, "tensor", None) is not None and len(doc.tensor) == len(doc) else None
    out = []
    for sent in doc.sents:
        norms, index = sentence_tokens(sent)
        if not norms:
            continue
        vectors = tensor[index] if tensor is not None else None
        shares = model.token_shares(norms, vectors)
        out.append((sent, model.probabilities(shares), shares, index))
    doc.user_data[_CACHE_KEY] = (model, out)
    return out


def find(doc, label: str, minimum: float) -> list:
    """Spans of `doc` (up to WINDOW tokens, inside one sentence) whose sentence the model
    rates `label` with probability >= `minimum`: the tokens with the largest share."""
    model = load()
    if label not in model.labels:
        return []
    k = model.labels.index(label)
    found = []
    for _sent, probs, shares, index in _judged(doc, model):
        if probs[label] < minimum:
            continue
        col = [float(x) for x in shares[:, k]]
        best, where = None, (0, 1)
        for i in range(len(col)):
            total = 0.0
            for j in range(i, min(i + WINDOW, len(col))):
                total += col[j]
                if best is None or total > best + 1e-9:
                    best, where = total, (i, j + 1)
        start, end = index[where[0]], index[where[1] - 1] + 1
        found.append(doc[start:end])
    return found


def rate(doc) -> list[tuple[str, dict]]:
    """(sentence text, {label: probability}) for each sentence: for tools and tests."""
    return [(sent.text, probs) for sent, probs, _, _ in _judged(doc, load())]
