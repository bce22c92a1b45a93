"""metric: a measure of a region crosses a threshold (word count, reading grade, ...).

Each condition names a metric, a bound (a number or one of the rule's options, so users
can tune it under `rules:` in config) and optionally its own message. The rule fires
once per condition that holds.
"""

from __future__ import annotations

from followup_lint.language.patterns import doc_text
from followup_lint.ruletypes.common import Hit, check_option_name

FIELDS = frozenset({"value", "limit", "sentence", "mine", "other"})
FIXES: frozenset = frozenset()

_FIRST_PERSON = {"i", "me", "my", "mine", "myself"}
# The employer's organisation, named by a common noun.
_ORGANISATION = {
    "team",
    "company",
    "organization",
    "organisation",
    "group",
    "department",
    "firm",
    "school",
    "hospital",
    "clinic",
    "store",
}
# Words that turn attention to the reader and their organisation.
_OTHER_FOCUS = {"you", "your", "yours", "yourself", "they", "their"} | _ORGANISATION


def _words(segments):
    return [(seg, t) for seg in segments for t in _segment_words(seg)]


def _segment_words(seg) -> list:
    """The segment's word tokens, kept on the segment: several metric rules count them per
    draft. (Not on the doc: tokens in its user_data would tie the doc in a reference cycle
    that only the garbage collector frees, 50 MB more at 1,000 drafts.)"""
    words = getattr(seg, "_words", None)
    if words is None:
        words = seg._words = [t for t in seg.doc if _is_word(t)]
    return words


def _is_word(t) -> bool:
    return not (t.is_punct or t.is_space or t.like_url or t.like_email)


def words(segments, ctx, options):
    toks = _words(segments)
    limit = options.get("_limit")
    if limit is not None and len(toks) > limit:
        seg, first = toks[int(limit)]
        seg_last, last = toks[-1]
        return len(toks), (seg.at(first.idx), seg_last.at(last.idx + len(last))), {}
    return len(toks), _whole(segments), {}


def longest_sentence_words(segments, ctx, options):
    best, where, text = 0, None, ""
    for seg in segments:
        for sent in seg.doc.sents:
            n = sum(1 for t in sent if _is_word(t))
            if n > best:
                best, where, text = n, (seg.at(sent.start_char), seg.at(sent.end_char)), sent.text
    short = " ".join(text.split())
    if len(short) > 80:
        short = short[:77] + "…"
    return best, where or _whole(segments), {"sentence": short}


def grade(segments, ctx, options):
    from followup_lint.language.readability import flesch_kincaid_grade

    text = "\n\n".join(doc_text(seg.doc) for seg in segments)
    if not text.strip():
        return 0.0, _whole(segments), {}
    return round(flesch_kincaid_grade(text), 1), _whole(segments), {}


def exclamations(segments, ctx, options):
    return sum(seg.text.count("!") for seg in segments), _whole(segments), {}  # runs the parser saw shortened too


def first_person_share(segments, ctx, options):
    names = {n.lower() for n in (ctx.company, ctx.interviewer) if n}
    mine = other = 0
    for _, t in _words(segments):
        low = t.lower_
        if low in _FIRST_PERSON:
            mine += 1
        elif low in _OTHER_FOCUS or t.norm_ in _OTHER_FOCUS or low in names:
            other += 1
    share = mine / (mine + other) if mine + other else 0.0
    return round(share, 2), _whole(segments), {"mine": mine, "other": other}


def first_person_count(segments, ctx, options):
    n = sum(1 for _, t in _words(segments) if t.lower_ in _FIRST_PERSON)
    return n, _whole(segments), {}


# Nouns that "your" often owns in a courtesy formula rather than in something said about the
# reader ("your time", "your reply"); a sentence with only these says nothing about them.
_THIN_POSSESSED = {
    "time",
    "consideration",
    "interview",
    "reply",
    "answer",
    "decision",
    "email",
    "message",
    "office",
    "question",
    "response",
    "attention",
    "help",
    "patience",
    "inbox",
    "process",
    "update",
    "note",
    "call",
    "voicemail",
}
# Nouns that stand for the employer or its work when introduced by "the"/"this".
_THEIR_SIDE = _ORGANISATION | {
    "unit",
    "lab",
    "branch",
    "project",
    "plan",
    "work",
    "product",
    "client",
    "customer",
    "patient",
    "student",
}
_COURTESY_VERBS = {"thank", "know", "let", "hear", "need", "have", "get", "can", "could", "would", "will"}
_TAKING_IN = {"hear", "learn", "see", "discuss", "talk", "read", "meet"}


def _about_them(sent, names) -> bool:
    """Does the sentence say something about the reader's side: something of theirs beyond a
    courtesy ("your plans", not "your time"), the company by name, "the team", the reader as
    the subject of a verb other than a courtesy, or what one heard or learned about a topic
    that is not oneself?"""
    for t in sent:
        low, head = t.lower_, t.head
        if low in ("your", "their") and t.dep_ == "poss" and head.lemma_.lower() not in _THIN_POSSESSED:
            return True
        if (low in names or t.ent_type_ == "ORG") and t.dep_ in ("nsubj", "poss", "pobj", "dobj"):
            return True
        if low in ("the", "this") and head.lemma_.lower() in _THEIR_SIDE:
            return True
        if low in ("you", "they") and t.dep_ == "nsubj" and head.lemma_ not in _COURTESY_VERBS:
            return True
        if low == "about" and head.lemma_ in _TAKING_IN:
            objects = [c for c in t.children if c.dep_ == "pobj"]
            if objects and objects[0].lower_ not in _FIRST_PERSON:
                return True
    return False


def about_them_sentences(segments, ctx, options):
    """How many sentences of the region say something about the reader, their team or their work."""
    names = {n.lower() for n in (ctx.company, ctx.interviewer) if n}
    n = sum(1 for seg in segments for sent in seg.doc.sents if _about_them(sent, names))
    return n, _whole(segments), {}


METRICS = {
    f.__name__: f
    for f in (
        words,
        longest_sentence_words,
        grade,
        exclamations,
        first_person_share,
        first_person_count,
        about_them_sentences,
    )
}


def _whole(segments):
    if not segments:
        return (0, 0)
    first, last = segments[0], segments[-1]
    return (first.start, last.end)


def _measure(spec, cond, segments, ctx):
    """(crossed?, value, limit, (start, end), extra) for one metric bound."""
    above, below = cond.get("above"), cond.get("below")
    limit = spec.option(above if above is not None else below)
    options = dict(spec.options, _limit=limit if above is not None else None)
    value, where, extra = METRICS[cond["metric"]](segments, ctx, options)
    crossed = value > limit if above is not None else value < limit
    return crossed, value, limit, where, extra


def validate(data: dict, located) -> None:
    """Each condition (and each of its `and:` measures) has a bound, and a bound written as a
    name is one of the rule's options."""
    conditions = data.get("conditions", [])
    measures = [(("conditions", i), c) for i, c in enumerate(conditions)]
    measures += [
        (("conditions", i, "and", j), a) for i, c in enumerate(conditions) for j, a in enumerate(c.get("and", []))
    ]
    for keys, cond in measures:
        for key in ("above", "below", "min_words"):
            check_option_name(data, located, keys, key, cond.get(key))
        if "above" not in cond and "below" not in cond:
            raise located.error(keys, "a metric condition needs `above:` or `below:`")


def check(rule, parsed, ctx, settings) -> list[Hit]:
    spec = rule.spec
    segments = parsed.segments(spec.regions)
    hits: list[Hit] = []
    word_count = None
    for cond in spec.conditions:
        if cond.get("otherwise") and hits:
            continue  # an alternative to the conditions above, not a second finding
        min_words = spec.option(cond.get("min_words", 0))
        if min_words:
            word_count = word_count if word_count is not None else len(_words(segments))
            if word_count < min_words:
                continue
        crossed, value, limit, (start, end), extra = _measure(spec, cond, segments, ctx)
        if crossed and all(_measure(spec, also, segments, ctx)[0] for also in cond.get("and", [])):
            values = dict(spec.options, value=value, limit=limit, **extra)
            hits.append(Hit(start, end, values=values, message=cond.get("message")))
    return hits
