#!/usr/bin/env python3
"""Train the learned second opinion (followup_lint/language/opinion.py) and report it.

    python tools/train_opinion.py                    # held-out report, then write data/opinion.json
    python tools/train_opinion.py --report-only      # the held-out report alone
    python tools/train_opinion.py --compare          # also spaCy's TextCatBOW.v3 on the same split
    python tools/train_opinion.py --all-features     # also the tok2vec mean and both (slow)

Data: every tools/opinion-data/*.jsonl ({"text": ..., "labels": [...]}; see its README), one
file per writer. Never the corpus or the blind sets: they are the evaluation.

Two held-out reports: the pooled split (80/20 over every writer's sentences) and BY WRITER
(train on the other writers' files, test on one writer's): the second is the honest estimate
of wording the model has not seen, and the thresholds in the rules are chosen from it.

Deterministic: a stratified 80/20 split with a fixed seed (by label set), zero-initialised
full-batch training, the L2 strength chosen by 5-fold cross-validation on the 80% part. The
held-out precision/recall per label is printed for each feature set tried (lemma n-grams,
the tok2vec mean vector, both) and for spaCy's bag-of-words text classifier with --compare.
The shipped model uses the chosen feature set and is retrained on every sentence.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from followup_lint.language import opinion  # noqa: E402
from followup_lint.language import pipeline as nlp_mod  # noqa: E402

DATA = ROOT / "tools" / "opinion-data"
OUT = ROOT / "followup_lint" / opinion.RESOURCE
SEED = 13
MIN_DF = 2  # an n-gram must occur in at least this many training sentences
L2S = (1.0, 3.0, 10.0, 30.0)  # penalty per weight, scaled by 1/N
EPOCHS = 400


def read(path: Path) -> list[dict]:
    """One writer's file, or every *.jsonl in a folder (each row remembers its file)."""
    if path.is_dir():
        return [row for f in sorted(path.glob("*.jsonl")) for row in read(f)]
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            labels = [lab for lab in row.get("labels", []) if lab in opinion.LABELS]
            rows.append({"text": row["text"], "labels": sorted(set(labels)), "writer": path.stem})
    return rows


def split(rows: list[dict], share: float = 0.2, seed: int = SEED):
    """Stratified by label set: each set (none, hostile, hostile+pushy, ...) gives `share`."""
    by_key: dict = {}
    for i, row in enumerate(rows):
        by_key.setdefault(tuple(row["labels"]), []).append(i)
    rng = random.Random(seed)
    held = set()
    for key in sorted(by_key):
        idx = by_key[key][:]
        rng.shuffle(idx)
        held |= set(idx[: round(len(idx) * share)])
    return [r for i, r in enumerate(rows) if i not in held], [r for i, r in enumerate(rows) if i in held]


def featurise(rows: list[dict], nlp) -> list[tuple[list, np.ndarray]]:
    """Per row: its n-grams and the mean tok2vec vector, read off the lint pipeline's parse
    of the whole text (a training row is one sentence, sometimes two)."""
    out = []
    texts = [nlp_mod.prepare(r["text"]) for r in rows]
    for doc in nlp.pipe(texts, batch_size=64):
        norms, index = opinion.sentence_tokens(doc)
        grams = [g for g, _ in opinion.ngrams(norms)]
        vec = doc.tensor[index].mean(axis=0) if index else np.zeros(doc.tensor.shape[1], dtype=np.float32)
        out.append((grams, np.asarray(vec, dtype=np.float64)))
    return out


_STOP: set = set()


def content(gram: str) -> bool:
    """Does the n-gram hold a content word? Commas, articles and pronouns alone learn the
    training sentences' length and style, not their tone: on drafts "Third, a couple of
    questions." came out hostile. ("you" stays: hostility is aimed at the reader.)"""
    if not _STOP:
        from spacy.lang.en.stop_words import STOP_WORDS

        _STOP.update(STOP_WORDS - KEEP, {"<s>", "</s>", "'s", "'re", "'ve", "'m", "'ll", "'d", "n't"})
    return any(w not in _STOP and any(ch.isalnum() for ch in w) for w in gram.split())


# Function words that carry tone in a follow-up and stay features on their own.
KEEP = {"you", "your", "yours", "yourself", "why", "never", "nobody", "please", "again", "already", "still", "really"}


def targets(rows) -> np.ndarray:
    return np.array([[lab in r["labels"] for lab in opinion.LABELS] for r in rows], dtype=np.float64)


class Design:
    """The feature matrix: binary n-grams (those seen MIN_DF times in training) and the
    standardised mean vector."""

    def __init__(self, feats, use_ngrams: bool, use_tensor: bool):
        self.use_ngrams, self.use_tensor = use_ngrams, use_tensor
        df = Counter(g for grams, _ in feats for g in set(grams))
        self.vocab = sorted(g for g, c in df.items() if c >= MIN_DF and content(g)) if use_ngrams else []
        self.index = {g: i for i, g in enumerate(self.vocab)}
        vecs = np.stack([v for _, v in feats])
        self.mean, self.std = vecs.mean(axis=0), vecs.std(axis=0) + 1e-6

    def matrix(self, feats) -> np.ndarray:
        parts = []
        if self.use_ngrams:
            x = np.zeros((len(feats), len(self.vocab)), dtype=np.float32)
            for r, (grams, _) in enumerate(feats):
                for g in grams:
                    if g in self.index:
                        x[r, self.index[g]] = 1.0
            parts.append(x)
        if self.use_tensor:
            parts.append(((np.stack([v for _, v in feats]) - self.mean) / self.std).astype(np.float32))
        return np.hstack(parts)


def fit(x: np.ndarray, y: np.ndarray, l2: float, epochs: int = EPOCHS) -> tuple[np.ndarray, np.ndarray]:
    """One-vs-rest logistic regression, full-batch Adam from zero weights (deterministic)."""
    n, d = x.shape
    w, b = np.zeros((d, y.shape[1])), np.zeros(y.shape[1])
    mw, vw, mb, vb = np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)
    lr, b1, b2 = 0.05, 0.9, 0.999
    for t in range(1, epochs + 1):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        gw = x.T @ (p - y) / n + l2 * w / n
        gb = (p - y).mean(axis=0)
        mw, vw = b1 * mw + (1 - b1) * gw, b2 * vw + (1 - b2) * gw**2
        mb, vb = b1 * mb + (1 - b1) * gb, b2 * vb + (1 - b2) * gb**2
        w -= lr * (mw / (1 - b1**t)) / (np.sqrt(vw / (1 - b2**t)) + 1e-8)
        b -= lr * (mb / (1 - b1**t)) / (np.sqrt(vb / (1 - b2**t)) + 1e-8)
    return w, b


def predict(x, w, b) -> np.ndarray:
    return 1 / (1 + np.exp(-(x @ w + b)))


def prf(y: np.ndarray, p: np.ndarray, threshold: float) -> list[tuple[float, float, float]]:
    out = []
    for k in range(y.shape[1]):
        pred, gold = p[:, k] >= threshold, y[:, k] > 0
        tp, fp, fn = int((pred & gold).sum()), int((pred & ~gold).sum()), int((~pred & gold).sum())
        prec = tp / (tp + fp) if tp + fp else 1.0
        rec = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out.append((prec, rec, f1))
    return out


def choose_l2(feats, y, use_ngrams, use_tensor) -> float:
    """The L2 strength with the best mean log-loss over 5 folds of the training part."""
    folds = [list(range(i, len(feats), 5)) for i in range(5)]
    best = None
    for l2 in L2S:
        losses = []
        for fold in folds:
            held = set(fold)
            tr = [i for i in range(len(feats)) if i not in held]
            design = Design([feats[i] for i in tr], use_ngrams, use_tensor)
            w, b = fit(design.matrix([feats[i] for i in tr]), y[tr], l2, epochs=EPOCHS // 2)
            p = np.clip(predict(design.matrix([feats[i] for i in fold]), w, b), 1e-6, 1 - 1e-6)
            yy = y[fold]
            losses.append(-(yy * np.log(p) + (1 - yy) * np.log(1 - p)).mean())
        loss = float(np.mean(losses))
        if best is None or loss < best[0]:
            best = (loss, l2)
    return best[1]


THRESHOLDS = (0.5, 0.7, 0.8, 0.9, 0.95)


def report(name: str, y, p) -> None:
    for threshold in THRESHOLDS:
        cells = "  ".join(
            f"{lab} P {pr:.2f} R {rc:.2f} F1 {f1:.2f}"
            for lab, (pr, rc, f1) in zip(opinion.LABELS, prf(y, p, threshold))
        )
        print(f"  {name:<24} >= {threshold:.2f}  {cells}")


def spacy_bow(train, held) -> np.ndarray:
    """spaCy's textcat_multilabel with TextCatBOW.v3 (unigrams + bigrams) in a blank English
    pipeline, trained on the same split: the baseline the issue suggests."""
    spacy = nlp_mod.import_spacy()
    from spacy.training import Example

    spacy.util.fix_random_seed(SEED)
    nlp = spacy.blank("en")
    config = {
        "threshold": 0.5,
        "model": {
            "@architectures": "spacy.TextCatBOW.v3",
            "exclusive_classes": False,
            "ngram_size": 2,
            "no_output_layer": False,
            "length": 262144,
        },
    }
    textcat = nlp.add_pipe("textcat_multilabel", config=config)
    for lab in opinion.LABELS:
        textcat.add_label(lab)
    examples = [
        Example.from_dict(nlp.make_doc(r["text"]), {"cats": {lab: float(lab in r["labels"]) for lab in opinion.LABELS}})
        for r in train
    ]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(SEED)
    for _ in range(20):
        order = examples[:]
        rng.shuffle(order)
        for i in range(0, len(order), 16):
            nlp.update(order[i : i + 16], sgd=optimizer, drop=0.0)
    return np.array([[doc.cats[lab] for lab in opinion.LABELS] for doc in nlp.pipe(r["text"] for r in held)])


def export(design: Design, w: np.ndarray, b: np.ndarray, meta: dict) -> dict:
    """Weights as opinion.Model reads them; the vector part's standardisation folded into
    its weights and the bias, so the runtime only takes a dot product."""
    k = 0
    ngrams = {}
    if design.use_ngrams:
        for g in design.vocab:
            row = w[k]
            if np.abs(row).max() >= 0.005:  # a weight this small changes no decision
                ngrams[g] = [round(float(v), 4) for v in row]
            k += 1
    bias = b.copy()
    tensor = None
    if design.use_tensor:
        wt = w[k:] / design.std[:, None]
        bias = bias - (design.mean[:, None] * wt).sum(axis=0)
        tensor = [[round(float(v), 5) for v in row] for row in wt]
    return {
        "labels": list(opinion.LABELS),
        "bias": [round(float(v), 5) for v in bias],
        "ngrams": dict(sorted(ngrams.items())),
        "tensor": tensor,
        "meta": meta,
    }


def by_writer(rows, writers, nlp, features: str, l2: float) -> None:
    """Train on every writer but one, test on that one's sentences: unseen wording. Per
    writer and over the three tests together (the thresholds are chosen from the latter)."""
    use = {"ngrams": (True, False), "tensor": (False, True), "both": (True, True)}[features]
    feats = featurise(rows, nlp)
    y = targets(rows)
    ys, ps = [], []
    print(f"by writer ({features}, l2 {l2:g}): train on the others, test on one")
    for writer in writers:
        tr = [i for i, r in enumerate(rows) if r["writer"] != writer]
        te = [i for i, r in enumerate(rows) if r["writer"] == writer]
        design = Design([feats[i] for i in tr], *use)
        w, b = fit(design.matrix([feats[i] for i in tr]), y[tr], l2)
        p = predict(design.matrix([feats[i] for i in te]), w, b)
        report(f"test {writer} ({len(te)})", y[te], p)
        ys.append(y[te])
        ps.append(p)
    report("all three tests", np.vstack(ys), np.vstack(ps))


def drafts_report(directories: list[Path], shown: float) -> None:
    """Draft level, against each folder's labels.yaml: a draft counts as rated `label` when
    one sentence of its subject or body is; P/R at a few thresholds, and the drafts
    rated >= `shown` that are not labelled so (and the labelled ones below it)."""
    import yaml

    from followup_lint.language.parsed import ParsedDraft
    from followup_lint.read.draft import read_path

    nlp = nlp_mod.load()
    for directory in directories:
        labels = yaml.safe_load((directory / "labels.yaml").read_text("utf-8"))
        best, gold = [], []
        for name in sorted(labels):
            parsed = ParsedDraft(read_path(directory / name), nlp)
            top = dict.fromkeys(opinion.LABELS, 0.0)
            where = dict.fromkeys(opinion.LABELS, "")
            for seg in parsed.segments(("subject", "body")):
                for text, probs in opinion.rate(seg.doc):
                    for lab in opinion.LABELS:
                        if probs[lab] > top[lab]:
                            top[lab], where[lab] = probs[lab], text
            best.append((name, top, where))
            gold.append(set(labels[name].get("expected") or []))
        print(f"{directory} ({len(best)} drafts)")
        y = np.array([[lab in g for lab in opinion.LABELS] for g in gold], dtype=float)
        p = np.array([[t[lab] for lab in opinion.LABELS] for _, t, _ in best])
        for threshold in (0.5, 0.7, 0.8, 0.9, 0.95):
            cells = "  ".join(
                f"{lab} P {pr:.2f} R {rc:.2f}" for lab, (pr, rc, _) in zip(opinion.LABELS, prf(y, p, threshold))
            )
            print(f"  >= {threshold:.2f}  {cells}")
        for lab in opinion.LABELS:
            for (name, top, where), g in zip(best, gold):
                if top[lab] >= shown and lab not in g:
                    print(f"    {lab} not labelled  {top[lab]:.2f} {name}: {where[lab][:110]!r}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--features", choices=("ngrams", "tensor", "both"), default="ngrams")
    ap.add_argument("--report-only", action="store_true")
    ap.add_argument("--all-features", action="store_true", help="report the tok2vec mean and both, too (slow)")
    ap.add_argument(
        "--l2", type=float, help="this L2 strength instead of choosing it by 5-fold CV (slow on 4,800 sentences)"
    )
    ap.add_argument("--compare", action="store_true", help="also train spaCy TextCatBOW.v3 on the same split")
    ap.add_argument("--drafts", type=Path, nargs="*", help="rate these labelled folders' drafts with the shipped model")
    ap.add_argument("--shown", type=float, default=0.8, help="with --drafts: list unlabelled drafts rated this high")
    args = ap.parse_args()
    if args.drafts:
        drafts_report(args.drafts, args.shown)
        return 0

    rows = read(args.data)
    train, held = split(rows)
    counts = Counter(lab for r in rows for lab in (r["labels"] or ["none"]))
    writers = sorted({r["writer"] for r in rows})
    print(f"{len(rows)} sentences ({dict(sorted(counts.items()))}) from {len(writers)} writers {writers}")
    print(f"pooled split: train {len(train)}, held out {len(held)}")
    nlp = nlp_mod.load()
    feats_train, feats_held = featurise(train, nlp), featurise(held, nlp)
    y_train, y_held = targets(train), targets(held)
    chosen = {}
    sets = (("ngrams", (True, False)), ("tensor", (False, True)), ("both", (True, True)))
    for name, use in sets if args.all_features else sets[:1] if args.features == "ngrams" else sets:
        l2 = args.l2 if args.l2 is not None else choose_l2(feats_train, y_train, *use)
        design = Design(feats_train, *use)
        w, b = fit(design.matrix(feats_train), y_train, l2)
        chosen[name] = l2
        report(f"{name} (l2 {l2:g})", y_held, predict(design.matrix(feats_held), w, b))
    if len(writers) > 1:
        by_writer(rows, writers, nlp, args.features, chosen[args.features])
    if args.compare:
        report("spaCy TextCatBOW.v3", y_held, spacy_bow(train, held))
    if args.report_only:
        return 0
    use = {"ngrams": (True, False), "tensor": (False, True), "both": (True, True)}[args.features]
    feats_all = feats_train + feats_held
    design = Design(feats_all, *use)
    w, b = fit(design.matrix(feats_all), np.vstack([y_train, y_held]), chosen[args.features])
    meta = {
        "trained_by": "tools/train_opinion.py",
        "data": str(args.data.relative_to(ROOT)) if args.data.is_relative_to(ROOT) else args.data.name,
        "writers": writers,
        "sentences": len(rows),
        "features": args.features,
        "l2": chosen[args.features],
        "model": nlp_mod.signature(nlp).split("|")[0],
    }
    data = export(design, w, b, meta)
    args.out.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n", "utf-8")
    print(f"wrote {args.out.relative_to(ROOT)}: {len(data['ngrams'])} n-grams, {args.out.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
