r"""Refuse regular expressions that can backtrack catastrophically.

Rule packs are untrusted text, and their regexes run on Python's backtracking `re`. A
pattern such as `(a+)+$` takes exponential time on a line of a's, and one such rule would
hang every lint. We read the parsed pattern and refuse the two shapes behind exponential
blow-ups (the usual "star height" test, made precise enough to let common, safe patterns
through):

- a repeat inside an unbounded repeat where the inner repeat's characters could also be
  taken by what follows it (`(a+)+`, `(\w+\s?)*`, `(\d+\.?)+`): the text can be split
  between iterations in exponentially many ways. `(\w+\s)+` is fine: a space ends each
  word, so there is one way to split.
- an alternation inside an unbounded repeat whose branches can start with the same
  character (`(aa|a)+`, `(a|a)*`, `(foo|f\w+)+`). Python folds some alternations into
  character classes or common prefixes first (`(\w|\d)+` is `[\w\d]+`); we judge
  what it actually runs.

Possessive repeats (`a++`) and atomic groups (`(?>…)`, Python 3.11+) never backtrack and
are accepted. Slow but polynomial patterns (`\w*\w*x`) pass this check; the per-rule time
cap in language/patterns.py (regex_budget) bounds those.
"""

from __future__ import annotations

import re

try:  # Python 3.11+
    from re import _constants as _c
    from re import _parser as _parser
except ImportError:  # Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

# Characters that stand in for "any character" when comparing sets: every ASCII character
# and a few beyond (accented letters, a non-breaking space, curly quotes, CJK, an Arabic
# digit, an emoji), enough to tell \w, \d, \s and classes apart.
_ALPHABET = frozenset(chr(i) for i in range(128)) | frozenset("éÉßñ\u00a0\u2019\u201c中٣😀")
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT}
_POSSESSIVE = getattr(_c, "POSSESSIVE_REPEAT", None)
_ATOMIC = getattr(_c, "ATOMIC_GROUP", None)
_CATEGORIES = {
    _c.CATEGORY_DIGIT: re.compile(r"\d"),
    _c.CATEGORY_NOT_DIGIT: re.compile(r"\D"),
    _c.CATEGORY_SPACE: re.compile(r"\s"),
    _c.CATEGORY_NOT_SPACE: re.compile(r"\S"),
    _c.CATEGORY_WORD: re.compile(r"\w"),
    _c.CATEGORY_NOT_WORD: re.compile(r"\W"),
}
# A repeat that can run this many times has its body checked: a repeat inside one that
# runs even a few times is already polynomial of that degree (`(?:[a-z]+ ?){1,9}x` splits
# a 300-letter word in 10^14 ways), and (a+){0,50} is as bad as (a+)*.
_MANY = 2


class RegexRisk(ValueError):
    """A pattern that can take exponential time; the message says how to rewrite it."""


def check(pattern: str, flags: int = 0) -> None:
    """Raise RegexRisk if `pattern` has a catastrophic-backtracking shape.
    The pattern must already compile."""
    parsed = _parser.parse(pattern, flags)
    _visit(list(parsed), parsed.state.flags)


# Unbounded repeats in a row that can all take the same character: `\w*\w*\w*\w*x` is
# polynomial of that degree (a 20,000-character region: 10^16 steps). Three are allowed
# (`\s*(no\.?)?\s*:?\s*` is common and only cubic on a run of spaces; the time budget
# bounds it).
_CHAIN = 4


def _chains(seq, flags) -> None:
    """Refuse _CHAIN or more unbounded repeats in one sequence that share a character, with
    only optional items between them (nothing that forces where one ends)."""
    chain: list[frozenset] = []
    for op, av in seq:
        if op in _REPEATS and (av[1] >= _MANY or av[1] == _c.MAXREPEAT):
            chars = _chars(list(av[2]), flags)
            shared = frozenset.intersection(chars, *chain) if chain else chars
            chain = chain + [chars] if shared else [chars]
            if len(chain) >= _CHAIN:
                raise RegexRisk(
                    f"{len(chain)} repeats in a row that can take the same characters (like `\\w*\\w*\\w*\\w*`, "
                    f"here {_show(shared)}) make matching polynomial of that degree; merge them into one"
                )
        elif not _first_node(op, av, flags)[1]:
            chain = []  # something that must match breaks the chain


def _visit(seq, flags) -> None:
    """Find the unbounded repeats and check the body of each."""
    _chains(seq, flags)
    for op, av in seq:
        if op in _REPEATS:
            lo, hi, body = av
            body = list(body)
            if hi >= _MANY or hi == _c.MAXREPEAT:
                first, _ = _first(body, flags)
                _scan(body, first, flags)
            _visit(body, flags)
        elif op == _POSSESSIVE or op == _ATOMIC:
            continue  # never backtracks into itself
        elif op == _c.SUBPATTERN:
            _group, add, delete, body = av
            _visit(list(body), (flags | add) & ~delete)
        elif op == _c.BRANCH:
            for alt in av[1]:
                _visit(list(alt), flags)
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            _visit(list(av[1]), flags)
        elif op == _c.GROUPREF_EXISTS:
            for alt in av[1:]:
                if alt is not None:
                    _visit(list(alt), flags)


def _scan(seq, follow, flags) -> None:
    """Inside an unbounded repeat: `follow` is what can come after `seq` (the repeat's
    own start, since it loops)."""
    for i, (op, av) in enumerate(seq):
        rest, rest_nullable = _first(seq[i + 1 :], flags)
        after = rest | follow if rest_nullable else rest
        if op in _REPEATS:
            lo, hi, body = av
            body = list(body)
            if hi != lo:  # `a?` too: (?:a?){25}a{25} splits 25 a's in 2^25 ways
                overlap = _chars(body, flags) & after
                if overlap:
                    raise RegexRisk(
                        f"a repeat inside a repeat (like `(a+)+`) can split the same text in exponentially many "
                        f"ways (both can take {_show(overlap)}); make the pieces unambiguous, e.g. `(\\w+\\s)+` "
                        f"instead of `(\\w+\\s?)+`, or use a possessive `++` or an atomic group `(?>...)`"
                    )
            inner_first, _ = _first(body, flags)
            _scan(body, inner_first | after if hi > 1 else after, flags)
        elif op == _c.SUBPATTERN:
            _group, add, delete, body = av
            _scan(list(body), after, (flags | add) & ~delete)
        elif op == _c.BRANCH:
            alts = [list(alt) for alt in av[1]]
            # An alternative that can match nothing lets whatever follows start instead.
            firsts = [first | after if nullable else first for first, nullable in (_first(alt, flags) for alt in alts)]
            for j in range(len(firsts)):
                for k in range(j + 1, len(firsts)):
                    overlap = firsts[j] & firsts[k]
                    if overlap:
                        raise RegexRisk(
                            f"alternatives inside a repeat (like `(a|ab)*`) that can start with the same "
                            f"character ({_show(overlap)}) make matching exponential; make the alternatives "
                            f"start differently, or use an atomic group `(?>...)`"
                        )
            for alt in alts:
                _scan(alt, after, flags)
        elif op == _c.GROUPREF_EXISTS:
            for alt in av[1:]:
                if alt is not None:
                    _scan(list(alt), after, flags)
        elif op == _c.GROUPREF:
            raise RegexRisk(
                "a back-reference inside a repeat (like `(a+)\\1*`) can match the same text in "
                "exponentially many ways; match the repeated text without `\\1`"
            )
        # Possessive repeats and atomic groups never backtrack; lookarounds are checked
        # as patterns of their own by _visit.


def _first(seq, flags) -> tuple[frozenset, bool]:
    """The characters `seq` can start with, and whether it can match the empty string."""
    out: frozenset = frozenset()
    for op, av in seq:
        first, nullable = _first_node(op, av, flags)
        out |= first
        if not nullable:
            return out, False
    return out, True


def _first_node(op, av, flags) -> tuple[frozenset, bool]:
    chars = _charset(op, av, flags)
    if chars is not None:
        return chars, False
    if op in _REPEATS or op == _POSSESSIVE:
        lo, _hi, body = av
        first, nullable = _first(list(body), flags)
        return first, nullable or lo == 0
    if op == _c.SUBPATTERN:
        _group, add, delete, body = av
        return _first(list(body), (flags | add) & ~delete)
    if op == _ATOMIC:
        return _first(list(av), flags)
    if op == _c.BRANCH:
        results = [_first(list(alt), flags) for alt in av[1]]
        return frozenset().union(*(f for f, _ in results)), any(n for _, n in results)
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return frozenset(), True
    return _ALPHABET, True  # back-references and the like: assume anything


def _chars(seq, flags) -> frozenset:
    """Every character `seq` can consume anywhere in a match."""
    out: frozenset = frozenset()
    for op, av in seq:
        chars = _charset(op, av, flags)
        if chars is not None:
            out |= chars
        elif op in _REPEATS or op == _POSSESSIVE:
            out |= _chars(list(av[2]), flags)
        elif op == _c.SUBPATTERN:
            out |= _chars(list(av[3]), (flags | av[1]) & ~av[2])
        elif op == _ATOMIC:
            out |= _chars(list(av), flags)
        elif op == _c.BRANCH:
            for alt in av[1]:
                out |= _chars(list(alt), flags)
        elif op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue
        else:
            return _ALPHABET
    return out


def _charset(op, av, flags) -> frozenset | None:
    """The sample characters one single-character node matches, or None if the node is
    not a single character."""
    icase = bool(flags & re.IGNORECASE)
    if op == _c.LITERAL:
        return frozenset(ch for ch in _ALPHABET if _same(ch, chr(av), icase)) | {chr(av)}
    if op == _c.NOT_LITERAL:
        return frozenset(ch for ch in _ALPHABET if not _same(ch, chr(av), icase))
    if op == _c.ANY:
        return _ALPHABET if flags & re.DOTALL else _ALPHABET - {"\n"}
    if op == _c.IN:
        negate = any(item_op == _c.NEGATE for item_op, _ in av)
        items = [(o, a) for o, a in av if o != _c.NEGATE]
        hit = frozenset(ch for ch in _ALPHABET if any(_in_item(ch, o, a, icase) for o, a in items))
        return _ALPHABET - hit if negate else hit
    return None


def _in_item(ch, op, av, icase) -> bool:
    variants = {ch, ch.lower(), ch.upper()} if icase else {ch}
    if op == _c.LITERAL:
        return any(v == chr(av) for v in variants)
    if op == _c.RANGE:
        lo, hi = av
        return any(lo <= ord(v) <= hi for v in variants if len(v) == 1)
    if op == _c.CATEGORY:
        rx = _CATEGORIES.get(av)
        return bool(rx.match(ch)) if rx else True
    return True  # anything else: assume it may match


def _same(a: str, b: str, icase: bool) -> bool:
    return a == b or (icase and a.lower() == b.lower())


def _show(chars: frozenset) -> str:
    sample = sorted(chars)[:3]
    names = ", ".join(repr(ch) for ch in sample)
    return names + (", ..." if len(chars) > 3 else "")


# --- token patterns (spaCy Matcher) ------------------------------------------------------

# The Matcher expands `{0,8}` into eight optional tokens and follows every way they can
# line up: adjacent optional tokens multiply (two `{0,8}` took 4 s on 100 words, and
# `{OP: "{0,10000}"}` 17 GB). A pattern may have at most this many ways (the built-in
# rules need 256), and no count above OP_MAX_COUNT.
OP_MAX_WAYS = 512
OP_MAX_COUNT = 10
_OP_COUNT = re.compile(r"\{\s*(\d*)\s*(,?)\s*(\d*)\s*\}")


def token_pattern_risk(tokens) -> str | None:
    """Why a Matcher token pattern is too costly to run, or None."""
    ways = 1
    for token in tokens if isinstance(tokens, list) else ():
        op = token.get("OP") if isinstance(token, dict) else None
        if not isinstance(op, str):
            continue
        m = _OP_COUNT.fullmatch(op.strip())
        if m:
            lo = int(m.group(1)) if m.group(1) else 0
            hi = int(m.group(3)) if m.group(3) else (lo if not m.group(2) else None)
            if hi is None or max(lo, hi) > OP_MAX_COUNT:
                return (
                    f"OP {op!r}: a count above {OP_MAX_COUNT} (or an open-ended one) makes the matcher "
                    f"try too many alignments; use `*`, `+` or a count of at most {OP_MAX_COUNT}"
                )
            ways *= 2 ** max(hi - lo, 0)
        elif op in ("?",):
            ways *= 2
        elif op in ("*", "+"):
            ways *= 256
    if ways > OP_MAX_WAYS:
        return (
            f"the optional and repeated tokens (OP) can line up in {ways:,} ways, more than the "
            f"{OP_MAX_WAYS} the matcher can afford; put fixed tokens between them or use fewer"
        )
    return None
