"""Patterns and conditions from rule YAML, compiled against the pipeline.

A pattern is a lemma phrase list, a spaCy Matcher token pattern or a regular expression;
a condition asks the parse about the head word of a match (negated? hedged? which
grammatical role?). Rule types combine these; they never look at raw strings themselves.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

from followup_lint.language import pipeline as nlp_mod

# Regexes run on a region at most this long; drafts are short and user packs are
# untrusted, so a pathological pattern cannot grind through a pasted novel.
REGEX_TEXT_LIMIT = 20_000
# Seconds of regex matching one rule may spend on one draft. A sane pattern needs well
# under a millisecond on a follow-up email; regex_guard.py refuses the exponential shapes,
# and this caps the slow polynomial ones (`\w+!` is quadratic on a long run of letters).
REGEX_BUDGET = 0.5


class RegexTimeout(Exception):
    """A rule's regexes used up their time on this draft."""

    def __init__(self, keys, pattern: str, budget: float):
        super().__init__(f"regex `{pattern}` ran past the {budget:g} s a rule may spend on one draft")
        self.keys, self.pattern, self.budget = keys, pattern, budget


class _Alarm(Exception):
    pass


_local = threading.local()


@contextmanager
def regex_budget(seconds: float = None):
    """Regexes matched inside share one time budget (the engine opens one per rule and
    draft); when it runs out, RegexTimeout names the pattern."""
    previous = getattr(_local, "budget", None)
    _local.budget = budget = _Budget(REGEX_BUDGET if seconds is None else seconds)
    try:
        yield budget
    finally:
        budget.close()
        _local.budget = previous


class _Budget:
    """One rule's regex time on one draft. The SIGALRM timer is armed once, at the first
    search, and stays armed until the budget closes (setting it around every search cost
    more than the searches: some 55,000 calls per 1,000 drafts). When it goes off, the
    handler (`alarm`) counts only the time spent searching: within the allowance it sets
    the timer again for what is left; past it, inside a search, it interrupts the search."""

    def __init__(self, seconds: float):
        self.seconds, self.used = seconds, 0.0
        self.alarm_state = None  # None: not armed yet; False: cannot be armed; else _arm's answer
        self.since = None  # when the search under way started

    def finditer(self, rx: re.Pattern, text: str, keys) -> list:
        # Relative to size: every call may also spend a little per character, so the
        # fixed cost of many short regions never adds up to a timeout on an honest draft.
        self.seconds += PER_CALL + PER_CHAR * len(text)
        left = self.seconds - self.used
        if left <= 0:
            raise RegexTimeout(keys, rx.pattern, self.seconds)
        start = time.perf_counter()
        try:  # armed and searched inside the `try`: an alarm that fires early or late is caught here
            try:
                if self.alarm_state is None:
                    self._arm(left)
                self.since = start = time.perf_counter()
                found = list(rx.finditer(text))
            finally:
                self.since = None
        except _Alarm:
            self.since, found = None, None
        self.used += time.perf_counter() - start
        if found is None or self.used > self.seconds:
            # Off the main thread nothing can interrupt `re`; stop after the fact.
            self.close()
            raise RegexTimeout(keys, rx.pattern, self.seconds)
        return found

    def _arm(self, seconds: float) -> None:
        self.alarm_state = False
        state = _arm(seconds)
        if state is not None:
            self.alarm_state = state
            _local.alarm_owner = self

    def alarm(self) -> None:
        """SIGALRM went off while this budget's timer was armed."""
        if self.since is None:
            self.close()  # between searches (the rule's other work): the next search arms it again
            return
        used = self.used + time.perf_counter() - self.since
        if used >= self.seconds:
            raise _Alarm()
        signal.setitimer(signal.ITIMER_REAL, max(self.seconds - used, 0.000_5))

    def close(self) -> None:
        """Disarm the timer (also before a token regex sets one of its own)."""
        if self.alarm_state:
            if getattr(_local, "alarm_owner", None) is self:
                _local.alarm_owner = None
            _disarm(self.alarm_state)
        self.alarm_state = None


# The allowance a regex budget grows by per call and per character of text searched.
PER_CALL = 0.000_05
PER_CHAR = 0.000_001


def _timed(search, seconds: float):
    """(search() or None if interrupted, seconds taken). The alarm is armed and disarmed
    inside the `try`, so an alarm that fires early or late is still caught here."""
    alarm = None
    start = time.perf_counter()
    try:
        try:
            alarm = _arm(seconds)
            start = time.perf_counter()  # the search's own time, not the alarm's set-up
            found = search()
        finally:
            _disarm(alarm)
    except _Alarm:
        found = None
    return found, time.perf_counter() - start


def _on_alarm(signum, frame):
    if getattr(_local, "armed", False):
        owner = getattr(_local, "alarm_owner", None)
        if owner is not None:
            owner.alarm()  # a regex budget: it decides
        else:
            raise _Alarm()


def _arm(seconds: float):
    """Interrupt a runaway match with SIGALRM: `re` checks for signals while it
    backtracks. Only on the main thread of a POSIX process, and only when nobody else
    uses the alarm, so an embedding program's own timer is never disturbed."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return None
    try:
        previous = signal.getsignal(signal.SIGALRM)
        if previous not in (signal.SIG_DFL, None) or signal.getitimer(signal.ITIMER_REAL) != (0.0, 0.0):
            return None
        signal.signal(signal.SIGALRM, _on_alarm)
    except (ValueError, OSError):
        return None
    _local.armed = True
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.000_001))  # 0 would mean "no timer"
    return (previous,)


def _disarm(armed) -> None:
    if armed is None:
        return
    _local.armed = False
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, armed[0] if armed[0] is not None else signal.SIG_DFL)


def _finditer(rx: re.Pattern, text: str, keys) -> list:
    budget = getattr(_local, "budget", None)
    if budget is None:  # outside the engine (kind cues, a tool): a budget of its own
        with regex_budget() as budget:
            return budget.finditer(rx, text, keys)
    return budget.finditer(rx, text, keys)


# Seconds one token REGEX (a predicate inside spaCy's Matcher) may take on one token.
TOKEN_REGEX_BUDGET = 0.05


class _TokenRegex:
    """Stands in for the compiled regex of a Matcher REGEX predicate: each search is timed
    like a pattern regex, and one that runs out of time counts as no match and is recorded
    so the rule that owns it is reported as skipped (the shared matcher must not fail every
    rule for one slow pattern)."""

    def __init__(self, rx: re.Pattern, hub):
        self.rx, self.pattern, self.hub = rx, rx.pattern, hub

    def search(self, text: str):
        if self.pattern in self.hub.timed_out:
            return None
        owner = getattr(_local, "alarm_owner", None)
        if owner is not None:
            owner.close()  # the rule's regex budget sets its timer again at its next search
        found, took = _timed(lambda: self.rx.search(text) or False, TOKEN_REGEX_BUDGET)
        if found is None or took > TOKEN_REGEX_BUDGET:
            self.hub.timed_out.add(self.pattern)
            return None
        return found or None

    def __getattr__(self, name):
        return getattr(self.rx, name)


@dataclass
class Match:
    start: int  # offsets in Draft.text
    end: int
    segment: object  # parsed.Segment
    span: object  # spacy Span covering the match
    pattern: int  # index of the pattern in its list

    @property
    def text(self) -> str:
        return self.span.text if self.span is not None else ""


def doc_text(doc) -> str:
    """doc.text, kept on the doc: spaCy joins it token by token on every call, and a draft's
    patterns ask for it a few dozen times (it was a fifth of the lint time)."""
    text = doc.user_data.get("followup_lint_text")
    if text is None:
        text = doc.user_data["followup_lint_text"] = doc.text
    return text


_NOT_A_NAME = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "the",
    "and",
    "inc",
    "ltd",
    "llc",
    "plc",
    "co",
    "group",
    "company",
    "of",
    "for",
    "senior",
    "junior",
    "lead",
    "head",
}


def context_terms(ctx, fields) -> list[str]:
    """How a draft may refer to its context: "Dana Whitfield" as Dana or Whitfield, "Larkspur
    Health" as Larkspur, "Patient Services Coordinator" as the coordinator role."""
    terms: list[str] = []
    for name in fields:
        value = getattr(ctx, name, None)
        if not value:
            continue
        terms.append(value)
        words = [w for w in re.findall(r"[\w'&-]+", value) if len(w) >= 3 and w.lower() not in _NOT_A_NAME]
        if name == "interviewer":
            terms.extend(words)
        elif name == "company" and words and len(words[0]) >= 4:
            terms.append(words[0])
        elif name == "role" and words:
            terms.append(words[-1])
    return sorted(set(terms), key=len, reverse=True)


def context_regex(ctx, fields):
    terms = context_terms(ctx, fields)
    if not terms:
        return None
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(t) for t in terms) + r")(?!\w)", re.IGNORECASE)


class PatternError(ValueError):
    def __init__(self, keys, message):
        super().__init__(message)
        self.keys, self.message = keys, message


def _lemma_key(pattern: list) -> list:
    # Rule authors write LEMMA; we match the lower-cased lemma stored in NORM.
    out = []
    for token in pattern:
        token = dict(token)
        if "LEMMA" in token:
            value = token.pop("LEMMA")
            token["NORM"] = _lower_values(value)
        out.append(token)
    return out


def _lower_values(value):
    if isinstance(value, str):
        return value.lower()
    if isinstance(value, dict):
        return {k: ([v.lower() for v in vs] if isinstance(vs, list) else vs) for k, vs in value.items()}
    return value


class _MatcherHub:
    """One spaCy Matcher holding the token and phrase patterns of every rule, condition and
    kind cue of one rule set (new_hub: its owner hands it to each Patterns). A doc is
    matched once and the result kept on the doc, so each token's predicates are computed
    once instead of once per rule (the matcher was half of the lint time with a matcher
    per rule)."""

    def __init__(self, vocab):
        from spacy.matcher import Matcher, PhraseMatcher

        self.vocab = vocab
        self.matcher = Matcher(vocab, validate=True)
        # Phrase lists are exact sequences of lower-cased lemmas: a hash lookup per token
        # (PhraseMatcher), not a predicate per pattern per token (Matcher).
        self.phrases = PhraseMatcher(vocab, attr="NORM")
        # Token patterns whose first token names its words (LOWER/NORM/ORTH, equal or IN) run
        # one Matcher each, only where a doc has that word (see matches()); the rest share
        # `self.matcher`, which runs over every token.
        self.anchored: list = []  # (Matcher, key id, max length, required words, fixed prefix)
        self._first: dict = {}  # attr id -> {word id: [(index in self.anchored, token offset)]}
        self._seen: set = set()  # attributes the anchored patterns read (annotation check)
        self.version = 0  # bumped on every add: results cached on a doc are then stale
        self.timed_out: set = set()  # token REGEX patterns that ran out of time on this doc
        # Linters built in threads (the API under a threaded scheduler) share the hub: a key
        # is taken and its patterns added under the lock, or two lists could share one key.
        self._lock = threading.Lock()

    def add(self, specs: list) -> str:
        from spacy.matcher import Matcher

        with self._lock:
            key = f"p{self.version}"
            anchor = _anchor_at(specs[0]) if len(specs) == 1 else None
            if anchor is None:
                matcher = self.matcher
                matcher.add(key, specs)  # validates first; a bad pattern raises before it is added
            else:
                matcher = Matcher(self.vocab, validate=True)
                matcher.add(key, specs)
                at, attr, ids = anchor
                strings = self.vocab.strings
                # Words the doc must hold somewhere for a match: those of every later token
                # that must occur (no operator, or "+").
                later = [_anchor([_without_op(t)]) for t in specs[0][1:] if t.get("OP") in (None, "+")]
                required = [(a, frozenset(strings.add(v) for v in vs)) for a, vs in filter(None, later)]
                # The tokens from the first up to the first operator: the words they must be.
                # When every part of the pattern is such a word list, checking them is the
                # whole match, and the Matcher need not run (`simple`).
                prefix, labels, simple = [], [], True
                for offset, token in enumerate(specs[0]):
                    if "OP" in token:
                        simple = False
                        break
                    for name, value in token.items():
                        words = _words_of(name, value)
                        if words is None:
                            simple = False
                            # A tag, part of speech or dependency the token must have:
                            # checked before the Matcher runs, as the words are.
                            label = _words_of(name, value, _LABEL_ATTRS)
                            if label is not None:
                                labels.append((offset, label[0], frozenset(strings.add(v) for v in label[1])))
                        else:
                            prefix.append((offset, words[0], frozenset(strings.add(v) for v in words[1])))
                for word in ids:
                    where = self._first.setdefault(attr, {}).setdefault(strings.add(word), [])
                    where.append((len(self.anchored), at))
                length = len(specs[0]) if simple else None
                self.anchored.append(
                    (
                        matcher,
                        strings[key],
                        _max_length(specs[0]),
                        required,
                        prefix,
                        length,
                        labels,
                        _reach_plan(specs[0], strings),
                    )
                )
                self._seen.update(getattr(matcher, "_seen_attrs", ()))
            for pred in getattr(matcher, "_extra_predicates", ()):
                if isinstance(getattr(pred, "value", None), re.Pattern) and "REGEX" in getattr(pred, "operators", ()):
                    pred.value = _TokenRegex(pred.value, self)  # time every token REGEX
            self.version += 1
        return key

    def add_phrases(self, phrase_docs: list) -> str:
        """phrase_docs: each phrase's tokens as (text, norm, lower) (analyse_phrases). Each
        phrase matches its lemmas in isolation or its own lower-cased spelling, token by
        token ("thanks" alone may lemmatise to "thank" or stay "thanks")."""
        from itertools import product

        from spacy.tokens import Doc

        variants = {}
        for tokens in phrase_docs:
            options = [sorted({norm, lower}) for _, norm, lower in tokens]
            words = [text for text, _, _ in tokens]
            for combo in product(*options):
                variants[(tuple(words), combo)] = None
        docs = []
        for words, norms in variants:
            d = Doc(self.vocab, words=list(words))
            for token, norm in zip(d, norms):
                token.norm_ = norm
            docs.append(d)
        with self._lock:
            key = f"p{self.version}"
            self.phrases.add(key, docs)
            self.version += 1
        return key

    def matches(self, doc) -> dict:
        cached = doc.user_data.get("followup_lint_matches")
        if cached is not None and cached[0] is self and cached[1] == self.version:
            return cached[2]
        out: dict = {}
        strings = doc.vocab.strings
        self.timed_out = set()
        for matcher in (self.matcher, self.phrases):
            if len(matcher):
                for match_id, start, end in matcher(doc):
                    out.setdefault(strings[match_id], []).append((start, end))
        if self.anchored:
            for match_id, start, end in self._anchored_matches(doc):
                out.setdefault(strings[match_id], []).append((start, end))
        out[_TIMED_OUT] = set(self.timed_out)
        doc.user_data["followup_lint_matches"] = (self, self.version, out)
        return out

    def _anchored_matches(self, doc):
        """The matches of the anchored patterns: each pattern's Matcher runs only on the
        stretches of `doc` that start where its first word token (the first token, or one a
        fixed number of tokens in) finds its word, and only when the
        doc holds every word the pattern requires. A Matcher costs about the same per token
        and pattern whatever the pattern, and almost every token starts no match, so the
        same matches come at a fraction of the cost (a quarter or less for the packs'
        patterns; tests/test_matcher_anchors.py compares with one Matcher over the doc)."""
        from bisect import bisect_left

        from spacy.attrs import DEP, LOWER, NORM, ORTH, POS, TAG

        _check_annotation(doc, self._seen)
        n = len(doc)
        if n == 0:
            return
        attrs = (LOWER, NORM, ORTH, POS, TAG, DEP)
        columns = dict(zip(attrs, doc.to_array(list(attrs)).T.tolist()))
        index = {}
        for attr in (LOWER, NORM, ORTH):
            column = columns[attr]
            where: dict = {}
            for i, v in enumerate(column):
                where.setdefault(v, []).append(i)
            index[attr] = where
        # Where each pattern may start: the positions of the words its first token names.
        candidates: dict = {}  # pattern -> [(positions of its word, offset)], made into starts if it can match
        for attr, first in self._first.items():
            for v, positions in index[attr].items():
                for k, at in first.get(v, ()):
                    candidates.setdefault(k, []).append((positions, at))
        for k in sorted(candidates):
            matcher, match_id, longest, required, prefix, length, labels, plan = self.anchored[k]
            if required and not all(not index[a].keys().isdisjoint(vs) for a, vs in required):
                continue
            found = set()
            for positions, at in candidates[k]:
                found.update(positions if at == 0 else [p - at for p in positions if p >= at])
            starts = sorted(i for i in found if all(i + off < n and columns[a][i + off] in vs for off, a, vs in prefix))
            if not starts:
                continue
            if length is not None:  # the words were the whole pattern
                for i in starts:
                    if i + length <= n:
                        yield match_id, i, i + length
                continue
            # A match from i ends by i + longest, so each word the pattern requires must occur
            # in that reach; most starts fail this, and a Matcher call costs what a few dozen
            # such checks do.
            for a, vs in required:
                where = sorted(p for v in index[a].keys() & vs for p in index[a][v])
                reach = n if longest is None else longest
                starts = [i for i in starts if (j := bisect_left(where, i)) < len(where) and where[j] < i + reach]
            if labels:
                starts = [i for i in starts if all(i + off < n and columns[a][i + off] in vs for off, a, vs in labels)]
            if not starts:
                continue
            # Stretches from each start to the pattern's longest reach (one token more, for a
            # trailing "!" or optional token to see what follows), merged where they overlap.
            stretches, lo, hi = [], None, None
            for i in starts:
                if longest is not None:
                    end = min(n, i + longest + 1)
                elif plan is not None:
                    end = min(n, _reach(plan, columns, i, n) + 1)
                else:
                    end = n
                if lo is not None and i <= hi:
                    hi = max(hi, end)
                    continue
                if lo is not None:
                    stretches.append((lo, hi))
                lo, hi = i, end
            stretches.append((lo, hi))
            begin = set(starts)
            for lo, hi in stretches:
                for mid, s, e in matcher(doc[lo:hi], allow_missing=True):
                    if lo + s in begin:
                        yield mid, lo + s, lo + e


_TIMED_OUT = object()  # key of the token REGEX patterns that ran out of time, in a match result

# Token attributes a first token may be anchored on (the Matcher's TEXT is ORTH).
_ANCHOR_ATTRS = {"LOWER": "LOWER", "NORM": "NORM", "ORTH": "ORTH", "TEXT": "ORTH"}


def _without_op(token: dict) -> dict:
    return {k: v for k, v in token.items() if k != "OP"}


def _anchor(pattern):
    """(attribute id, words) that a token pattern's first token must have one of, or None
    when it has no such word list (an operator on it, only tags, NOT_IN, ...)."""

    if not isinstance(pattern, list) or not pattern or not isinstance(pattern[0], dict) or "OP" in pattern[0]:
        return None
    best = None
    for name, value in pattern[0].items():
        words = _words_of(name, value)
        if words is not None and (best is None or len(words[1]) < len(best[1])):
            best = words
    return best


def _anchor_at(pattern):
    """(offset, attribute id, words): the first token of `pattern` at a fixed offset from
    its start (no operator on it or before it) that must be one of a list of words; None
    when there is none."""
    if not isinstance(pattern, list) or not all(isinstance(t, dict) for t in pattern):
        return None
    for offset, token in enumerate(pattern):
        if "OP" in token:
            return None
        found = _anchor([token])
        if found is not None:
            return (offset, *found)
    return None


# Token attributes whose value a pattern names as a string (a label), checked like words.
_LABEL_ATTRS = {"POS": "POS", "TAG": "TAG", "DEP": "DEP"}


def _words_of(name, value, names=_ANCHOR_ATTRS):
    """(attribute id, words) when a token pattern's `name: value` asks for one of a list of
    words (LOWER/NORM/ORTH, equal to one or IN a list of strings), else None. `names`: the
    attributes that count (the label attributes instead: _LABEL_ATTRS)."""
    from spacy.attrs import IDS

    if not isinstance(name, str) or name.upper() not in names:
        return None
    if isinstance(value, str):
        words = [value]
    elif (
        isinstance(value, dict)
        and list(value) == ["IN"]
        and isinstance(value["IN"], list)
        and value["IN"]
        and all(isinstance(v, str) for v in value["IN"])
    ):
        words = value["IN"]
    else:
        return None
    return IDS[names[name.upper()]], words


def _max_length(pattern) -> int | None:
    """The most tokens a match of `pattern` can span (None: no bound)."""
    total = 0
    for token in pattern:
        op = token.get("OP")
        if op in (None, "?", "!", "1"):
            total += 1
        elif isinstance(op, str) and re.fullmatch(r"\{\d*(,\d*)?\}", op):
            body = op[1:-1]
            hi = body.split(",")[-1]
            if not hi:
                return None
            total += int(hi)
        else:  # "+", "*" or anything else: unbounded
            return None
    return total


def _reach_plan(pattern, strings):
    """How far a match of an unbounded `pattern` can reach, as steps: a number of tokens,
    or the words or labels (attribute id, ids) every token of a "*"/"+" run must have. None
    when some run can take any token."""
    plan: list = []
    for token in pattern:
        op = token.get("OP")
        if op in (None, "1", "?", "!"):
            plan.append(1)
            continue
        if isinstance(op, str) and re.fullmatch(r"\{\d*(,\d*)?\}", op) and op[1:-1].split(",")[-1]:
            plan.append(int(op[1:-1].split(",")[-1]))
            continue
        if op not in ("*", "+") and not (isinstance(op, str) and re.fullmatch(r"\{\d*,\}", op)):
            return None
        checks = []
        for name, value in token.items():
            found = None if name == "OP" else _words_of(name, value) or _words_of(name, value, _LABEL_ATTRS)
            if found is not None:
                checks.append((found[0], frozenset(strings.add(v) for v in found[1])))
        if not checks:
            return None
        plan.append(tuple(checks))
    return plan


def _reach(plan, columns, i: int, n: int) -> int:
    """The furthest a match of a pattern with reach `plan` (_reach_plan) that starts at
    token i can end: a run goes on while each token holds its words or labels."""
    pos = i
    for step in plan:
        if isinstance(step, int):
            pos += step
            continue
        while pos < n and all(columns[a][pos] in vs for a, vs in step):
            pos += 1
    return pos


def _check_annotation(doc, seen) -> None:
    """Raise as the Matcher does when a pattern reads an annotation the doc lacks (the
    anchored matchers run with allow_missing, so the check is made once here)."""
    from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG
    from spacy.matcher import Matcher

    for attr, name in ((TAG, "TAG"), (POS, "POS"), (MORPH, "MORPH"), (LEMMA, "LEMMA"), (DEP, "DEP")):
        if attr in seen and not doc.has_annotation(attr):
            probe = Matcher(doc.vocab)
            probe.add("annotation", [[{name: "_"}]])
            probe(doc)  # raises the Matcher's own error naming the missing component


def _token_regexes(value):
    """Every REGEX string inside a token pattern (or a list of them)."""
    if isinstance(value, list):
        for item in value:
            yield from _token_regexes(item)
    elif isinstance(value, dict):
        for op, arg in value.items():
            if op == "REGEX" and isinstance(arg, str):
                yield arg
            else:
                yield from _token_regexes(arg)


# Phrase -> its tokens as (text, lower-cased lemma, lower-cased text), by pipeline. Parsing
# the rule packs' ~1,500 phrases is a tenth of a second at every start; a session stores
# the table with its build in the cache folder and hands it back here (phrase_source).
_PHRASES: dict = {}


# callable(pipeline signature) -> a stored table, or None: seeds each pipeline's table.
phrase_source = None


def _phrase_table(nlp) -> dict:
    key = id(nlp)
    if key not in _PHRASES or _PHRASES[key][0] is not nlp:
        table: dict = {}
        if phrase_source is not None:
            try:
                for phrase, tokens in phrase_source(nlp_mod.signature(nlp)).items():
                    table[phrase] = tuple((str(a), str(b), str(c)) for a, b, c in tokens)
            except (TypeError, ValueError, AttributeError):
                table = {}  # a stored table of another shape: parse afresh
        _PHRASES[key] = (nlp, table, len(table))
    return _PHRASES[key][1]


def new_phrases(nlp) -> bool:
    """Did this pipeline parse phrases its seed did not have?"""
    _phrase_table(nlp)
    _, table, seeded = _PHRASES[id(nlp)]
    return len(table) > seeded


def analyse_phrases(nlp, phrases) -> dict:
    """{phrase: [(text, norm, lower)]} for the non-space tokens of each phrase, parsing only
    those not known yet."""
    table = _phrase_table(nlp)
    todo = sorted(p for p in phrases if p not in table)
    # A phrase's norms are its lemmas: the tagger's work, not the parser's (the same table
    # either way; tests/test_matcher_anchors.py), and the parser is a third of the cost.
    skip = [name for name in ("parser", "followup_lint_breaks") if name in nlp.pipe_names]
    for phrase, doc in zip(todo, nlp.pipe(todo, batch_size=256, disable=skip)):
        table[phrase] = tuple((t.text, t.norm_, t.lower_) for t in doc if not t.is_space)
    return {p: table[p] for p in phrases}


def phrases_in(value) -> set:
    """Every phrase of every `phrases:` list inside rule data (patterns, conditions, cues),
    so that a rule set's phrases can be analysed in one pass before its patterns compile:
    a pipe call per pattern list (some 170 for the built-in packs) cost twice one call."""
    found: set = set()
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            listed = item.get("phrases")
            if isinstance(listed, list):
                found.update(p for p in listed if isinstance(p, str))
            todo.extend(v for k, v in item.items() if k != "phrases" and isinstance(v, (dict, list, tuple)))
        elif isinstance(item, (list, tuple)):
            todo.extend(v for v in item if isinstance(v, (dict, list, tuple)))
    return found


def phrase_analyses(nlp) -> dict:
    """The table for `nlp` as plain data ({phrase: [[text, norm, lower], ...]})."""
    return {p: [list(t) for t in tokens] for p, tokens in _phrase_table(nlp).items()}


def new_hub(nlp) -> _MatcherHub:
    """A matcher for one rule set: its owner (engine.checker.Engine, for a Linter's rules
    and kind cues) passes it to every Patterns it builds, so one pass over a doc serves
    them all, and the patterns go when the owner does. (One hub per vocab, shared by every
    rule set a process built, only grew: each reload of a pack slowed every later lint.)"""
    return _MatcherHub(nlp.vocab)


class Patterns:
    """A compiled list of patterns; `find(segment)` yields Matches in text order."""

    def __init__(self, nlp, patterns: list, keys=("patterns",), hub=None):
        self.patterns = patterns
        self.keys = tuple(keys)
        self.hub = hub if hub is not None else new_hub(nlp)
        self.token_keys: dict[int, str] = {}  # pattern index -> its key in the shared matcher
        self._regexes: dict[int, re.Pattern] | None = None
        self.context: dict[int, tuple] = {}  # pattern index -> context fields it matches
        self.opinions: dict[int, dict] = {}  # pattern index -> its `opinion:` (language/opinion.py)
        self._regex_specs: dict[int, tuple] = {}  # compiled on first use (most drafts need few)
        phrase_tokens = analyse_phrases(nlp, {p for pat in patterns for p in pat.get("phrases", [])})
        for i, pat in enumerate(patterns):
            try:
                if "context" in pat:
                    self.context[i] = tuple(pat["context"])
                elif "opinion" in pat:
                    self.opinions[i] = dict(pat["opinion"])
                elif "cues" in pat:
                    continue  # scored by FilteredPatterns (CueScore)
                elif "phrases" in pat:
                    self.token_keys[i] = self.hub.add_phrases([phrase_tokens[p] for p in pat["phrases"]])
                elif "tokens" in pat:
                    self.token_keys[i] = self.hub.add([_lemma_key(pat["tokens"])])
                else:
                    flags = 0 if pat.get("case") else re.IGNORECASE
                    if not isinstance(pat["regex"], str):
                        raise TypeError(f"regex must be a string, not {pat['regex']!r}")
                    self._regex_specs[i] = (pat["regex"], flags)
            except Exception as exc:  # spaCy reports bad token patterns as ValueError/MatchPatternError
                detail = " ".join(str(exc).split())
                raise PatternError(keys + (i,), f"invalid pattern: {detail[:300]}") from None

    @property
    def regexes(self) -> dict:
        """The regex patterns, compiled when first asked for. Rule files are checked when
        they are loaded (a regex that does not compile is a RuleError naming its line), so
        compiling ~340 of them up front only cost every start-up a quarter of a second."""
        if self._regexes is None:
            compiled = {}
            for i, (rx, flags) in self._regex_specs.items():
                try:
                    compiled[i] = re.compile(rx, flags)
                except re.error as exc:
                    raise PatternError(self.keys + (i,), f"invalid pattern: {exc}") from None
            self._regexes = compiled
        return self._regexes

    def _opinion_matches(self, segment) -> list[Match]:
        """The learned second opinion (language/opinion.py, loaded on first use): in each
        sentence it rates `label` at `min` or above, the words with the largest share."""
        from followup_lint.language import opinion

        out = []
        for idx, spec in self.opinions.items():
            for span in opinion.find(segment.doc, spec["label"], spec.get("min", 0.5)):
                out.append(Match(segment.at(span.start_char), segment.at(span.end_char), segment, span, idx))
        return out

    def find(self, segment, ctx=None) -> list[Match]:
        doc = segment.doc
        found: list[Match] = []
        shared = self.hub.matches(doc) if self.token_keys else {}
        for idx, key in self.token_keys.items():
            slow = shared[_TIMED_OUT] and shared[_TIMED_OUT].intersection(
                _token_regexes(self.patterns[idx].get("tokens", []))
            )
            if slow:
                raise RegexTimeout(self.keys + (idx, "tokens"), min(slow), TOKEN_REGEX_BUDGET)
            for s, e in shared.get(key, ()):
                span = doc[s:e]
                found.append(Match(segment.at(span.start_char), segment.at(span.end_char), segment, span, idx))
        if self.opinions:
            found.extend(self._opinion_matches(segment))
        if not (self._regex_specs or self.context):
            found.sort(key=lambda m: (m.start, -(m.end - m.start), m.pattern))
            return found
        # Regexes read the text itself, runs the parser saw shortened included ("!" x 5,000).
        text = segment.text[:REGEX_TEXT_LIMIT]
        for idx, rx in self.regexes.items() if self._regex_specs else ():
            for m in _finditer(rx, text, self.keys + (idx, "regex")):
                if m.end() == m.start():
                    continue
                span = segment.char_span(m.start(), m.end())
                found.append(Match(segment.text_at(m.start()), segment.text_at(m.end()), segment, span, idx))
        for idx, fields in self.context.items():
            rx = context_regex(ctx, fields) if ctx is not None else None
            for m in rx.finditer(text) if rx else ():
                span = segment.char_span(m.start(), m.end())
                found.append(Match(segment.text_at(m.start()), segment.text_at(m.end()), segment, span, idx))
        # Longest match first at each position, so overlaps keep the fuller phrase.
        found.sort(key=lambda m: (m.start, -(m.end - m.start), m.pattern))
        return found


class Conditions:
    """`when`/`unless` lists: a condition holds when all of its keys hold for a match."""

    SUB_PATTERN_KEYS = ("sentence", "before", "draft")
    # Every key _holds answers; the rule schema's `condition` lists the same (tests/test_one_source.py).
    KEYS = (
        "negated",
        "hedged",
        "question",
        "dep",
        "pos",
        "head_lemma",
        "child_lemma",
        "child_dep",
        "object",
        "subject",
        "next_tag",
        "closing",
        *SUB_PATTERN_KEYS,
    )

    def __init__(self, nlp, conditions: list, keys=(), hub=None):
        self.conditions = conditions
        self.sub = {}
        for i, cond in enumerate(conditions):
            for key in self.SUB_PATTERN_KEYS:
                if key in cond:
                    hub = hub if hub is not None else new_hub(nlp)
                    self.sub[(i, key)] = FilteredPatterns(nlp, cond[key], keys + (i, key), hub)

    def __bool__(self):
        return bool(self.conditions)

    def any_holds(self, match: Match, segments, ctx=None) -> bool:
        return any(self._holds(i, c, match, segments, ctx) for i, c in enumerate(self.conditions))

    def all_hold(self, match: Match, segments, ctx=None) -> bool:
        return all(self._holds(i, c, match, segments, ctx) for i, c in enumerate(self.conditions))

    def _holds(self, i, cond, match: Match, segments, ctx) -> bool:
        span = match.span
        if span is None or len(span) == 0:
            return False
        head = nlp_mod.anchor(span)
        for key, want in cond.items():
            if key == "negated":
                got = any(nlp_mod.is_negated(t) for t in {head, span[0]})
            elif key == "hedged":
                got = nlp_mod.is_hedged(head)
            elif key == "question":
                got = nlp_mod.is_question(head)
            elif key == "dep":
                got = head.dep_ in want
            elif key == "pos":
                got = head.pos_ in want
            elif key == "head_lemma":
                got = head.head is not head and head.head.norm_ in [w.lower() for w in want]
            elif key == "child_lemma":
                got = any(c.norm_ in [w.lower() for w in want] for c in head.children)
            elif key == "next_tag":
                doc = span.doc
                nxt = doc[span.end] if span.end < len(doc) else None
                got = nxt is not None and (nxt.tag_ in want or nxt.pos_ in want)
            elif key == "child_dep":
                got = any(c.dep_ in want for c in head.children)
            elif key == "object":
                got = any(c.dep_ in ("dobj", "dative") and c.lower_ in want for c in head.children)
            elif key == "subject":
                got = nlp_mod.subject_of(head) in [w.lower() for w in want]
            elif key == "closing":
                got = nlp_mod.closes_region(span)
            elif key in self.SUB_PATTERN_KEYS:
                got = self._sub_match(i, key, match, segments, ctx)
            else:  # the schema rules this out
                raise KeyError(key)
            expected = want if isinstance(want, bool) else True
            if bool(got) != expected:
                return False
        return True

    def _sub_match(self, i, key, match: Match, segments, ctx) -> bool:
        patterns = self.sub[(i, key)]
        if key == "draft":
            return any(patterns.find(seg, segments, ctx) for seg in segments)
        sent = match.span.sent
        lo = match.segment.at(sent.start_char)
        hi = match.segment.at(sent.end_char)
        for other in patterns.find(match.segment, segments, ctx):
            if other.start >= lo and other.end <= hi:
                if key == "sentence" or other.end <= match.start:
                    return True
        return False


def _as_tuple(value):
    return (value,) if isinstance(value, str) else tuple(value)


class FilteredPatterns:
    """Patterns whose matches pass their own `region`, `settings`, `when` and `unless`.

    Used for a rule's patterns and for the patterns inside conditions alike, so a
    condition can say "a deadline date, unless it sits in an if-clause".
    """

    def __init__(self, nlp, patterns: list, keys=("patterns",), hub=None):
        hub = hub if hub is not None else new_hub(nlp)  # shared by its conditions and cues
        self.specs = patterns
        self.raw = Patterns(nlp, patterns, keys, hub)
        self.when = [Conditions(nlp, p.get("when", []), keys + (i, "when"), hub) for i, p in enumerate(patterns)]
        self.unless = [Conditions(nlp, p.get("unless", []), keys + (i, "unless"), hub) for i, p in enumerate(patterns)]
        self.cues = {}
        for i, p in enumerate(patterns):
            if "cues" in p:  # a list reused through a YAML anchor is matched once
                shared = next((c.patterns for c in self.cues.values() if c.spec["cues"] is p["cues"]), None)
                self.cues[i] = CueScore(nlp, p, keys + (i, "cues"), shared, hub)
        # Weak cues and the learned opinion judge a whole sentence and quote a few of its words;
        # where a plain pattern caught the sentence, its own words (and fix) speak for it.
        self.judged = {i for i, p in enumerate(patterns) if "cues" in p or "opinion" in p}

    def find(self, segment, segments, ctx=None) -> list[Match]:
        out = []
        found = self.raw.find(segment, ctx)
        if self.cues:
            for idx, score in self.cues.items():
                found.extend(score.find(idx, segment, segments, ctx))
            found.sort(key=lambda m: (m.start, -(m.end - m.start), m.pattern))
        for m in found:
            spec = self.specs[m.pattern]
            if ctx is not None and ctx.setting not in spec.get("settings", (ctx.setting,)):
                continue
            if "region" in spec and segment.region not in _as_tuple(spec["region"]):
                continue
            when, unless = self.when[m.pattern], self.unless[m.pattern]
            if when and not when.all_hold(m, segments, ctx):
                continue
            if unless and unless.any_holds(m, segments, ctx):
                continue
            out.append(m)
        if self.judged:  # a sentence a plain pattern already caught is quoted by that pattern
            plain = {m.span.sent.start for m in out if m.pattern not in self.judged and m.span is not None}
            out = [m for m in out if m.pattern not in self.judged or m.span.sent.start not in plain]
        return out


class CueScore:
    """A `cues:` pattern: weak signals that count only together. Each cue is a full pattern
    (with its own conditions) and a `weight` (default 1; a negative weight is a sign of
    courtesy that cancels one). In each sentence every cue counts once, at its weight; when
    the sum reaches `min_score` the match is the words of the strongest cue there."""

    def __init__(self, nlp, spec: dict, keys=(), patterns=None, hub=None):
        self.spec = spec
        self.weights = [float(c.get("weight", 1)) for c in spec["cues"]]
        # `each: true`: the cue counts once per distinct word it matches, not once per sentence
        # (three of the candidate's own achievements weigh three times one).
        self.each = {i for i, c in enumerate(spec["cues"]) if c.get("each")}
        self.min_score = float(spec.get("min_score", 2))
        self.patterns = patterns or FilteredPatterns(nlp, spec["cues"], keys, hub)

    def _cue_matches(self, segment, segments, ctx) -> list[Match]:
        # Kept on the patterns for the last segment: patterns sharing the list ask in turn.
        last = getattr(self.patterns, "_last_cues", None)
        if last is not None and last[0] is segment and last[1] is ctx:
            return last[2]
        found = self.patterns.find(segment, segments, ctx)
        self.patterns._last_cues = (segment, ctx, found)
        return found

    def _counted_as(self, m: Match):
        """What a sentence counts once: the cue, or with `each` the cue and its word."""
        return (m.pattern, m.text.lower()) if m.pattern in self.each else m.pattern

    def find(self, idx: int, segment, segments, ctx=None) -> list[Match]:
        by_sentence: dict = {}
        for m in self._cue_matches(segment, segments, ctx):
            if m.span is None or len(m.span) == 0:
                continue
            best = by_sentence.setdefault(m.span.sent.start, {})
            best.setdefault(self._counted_as(m), m)  # each cue counts once per sentence (its first match)
        out = []
        for cues in by_sentence.values():
            if sum(self.weights[m.pattern] for m in cues.values()) < self.min_score:
                continue
            top = max(cues.values(), key=lambda m: (self.weights[m.pattern], -m.start))
            out.append(Match(top.start, top.end, top.segment, top.span, idx))
        return out

    def explain(self, segment, segments, ctx=None) -> list[tuple]:
        """(sentence text, score, [(cue words, weight)]) per sentence with a cue: for tuning."""
        rows: dict = {}
        for m in self.patterns.find(segment, segments, ctx):
            if m.span is None or len(m.span) == 0:
                continue
            sent = m.span.sent
            row = rows.setdefault(sent.start, (sent.text, {}))
            row[1].setdefault(self._counted_as(m), (m.text, self.weights[m.pattern]))
        return [(text, sum(w for _, w in cues.values()), list(cues.values())) for text, cues in rows.values()]
