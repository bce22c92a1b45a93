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
    "choice",
    "selection",
    "mind",
    "name",
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


# What the candidate wants for themself: "I need this work", "happy to work in your clinic",
# "I'd love to join your team". The reader's organisation named as the place one wants to be
# is still a sentence about oneself.
_WANTING = {"need", "want", "join", "work", "get", "land", "have", "start", "love", "like", "be", "do"}
# The reader acting on the candidate ("tell me", "give me a chance", "forget about me") or a
# courtesy clause ("if you want to see it", "when you make your decision", "when you decide",
# "you are doing well").
_CONDITIONAL_COURTESY = {"want", "like", "need", "wish", "prefer", "get", "have", "find"}
# With nothing after them, "any day you want", "whenever you like", "when you decide".
_BARE_COURTESY = {"want", "like", "prefer", "wish", "please", "decide", "choose"}
_WELL = {"well", "fine", "good", "great", "busy", "okay", "ok"}


def _first_person_clause(tok) -> bool:
    """Is the nearest clause above `tok` (through xcomp/acomp/prep links) one whose subject is I/we?"""
    seen = 0
    while seen < 6:
        subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return subjects[0].lower_ in ("i", "we")
        if tok.head is tok:
            return False
        tok, seen = tok.head, seen + 1
    return False


def _wanted_by_me(noun) -> bool:
    """The reader's thing as the object of what the candidate wants: "I need this work",
    "happy to work in your restaurant", "I'd love to join your team"."""
    tok = noun
    for _ in range(4):  # "be part of your team": pobj -> prep -> attr -> verb
        if tok.dep_ not in ("dobj", "attr", "pobj", "prep", "nsubj"):
            return False
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            return tok.lemma_.lower() in _WANTING and _first_person_clause(tok)
    return False


def _describes_me(noun) -> bool:
    """Is the noun a description of the candidate ("one of the strongest candidates", "the best
    hire") or a comparison with them ("harder than anyone")? Climbs to the nearest verb: a
    be-clause with I as subject, or a "than" on the way."""
    tok = noun
    for _ in range(6):
        if tok.lower_ == "than":
            return True
        if tok.pos_ in ("VERB", "AUX") or tok.head is tok:
            break
        tok = tok.head
    return tok.lemma_ == "be" and _first_person_clause(tok)


_MY_CHANCE = _THIN_POSSESSED | {"chance", "opportunity", "shot", "result", "news"}


def _reader_serves_me(verb) -> bool:
    """A clause with the reader as subject that is about the candidate or a courtesy: the
    reader acts on me ("could you tell me soon", "give me a chance", "don't forget about me"),
    a conditional offer ("if you want to see it"), a thin object ("when you make your
    decision"), a greeting ("you are doing well"), or a clause describing me ("the strongest
    candidate you will see"). What the reader needs from me is still about them."""
    lemma = verb.lemma_.lower()
    children = list(verb.children)
    conditional = any(c.dep_ in ("mark", "advmod") and c.lower_ in ("if", "whenever") for c in children)
    bare = not any(c.dep_ in ("dobj", "xcomp", "ccomp", "prep") for c in children)
    if (conditional and lemma in _CONDITIONAL_COURTESY) or lemma == "mind" or (bare and lemma in _BARE_COURTESY):
        return True
    if lemma in ("need", "require", "expect"):
        return False
    reported = any(c.dep_ == "ccomp" for c in children)
    for c in children:
        if c.dep_ == "dobj" and c.lower_ in ("me", "us") and not reported:
            return True
        if c.dep_ == "prep" and c.lower_ in ("about", "for") and any(g.lower_ in ("me", "us") for g in c.children):
            return True
        if c.dep_ == "dobj" and c.lemma_.lower() in _MY_CHANCE:
            return True
        if c.dep_ in ("advmod", "acomp") and c.lower_ in _WELL:
            return True
    return verb.dep_ == "relcl" and _describes_me(verb.head)


# "showing me around the shop", "walked us through the intake flow", "showed me the scanners":
# the reader's place or work, seen through them.
_SHOWN = {"show", "walk", "tour", "introduce"}


def _shown_their_thing(verb) -> bool:
    """The reader showed the candidate something not the candidate's own: an object, a place
    walked through, or how something works ("showed us how the night crew restocks")."""
    children = list(verb.children)
    if not any(c.lower_ in ("me", "us") and c.dep_ in ("dobj", "dative") for c in children):
        return False
    for c in children:
        if (c.dep_ == "dobj" and c.lower_ not in ("me", "us") and not _mine(c)) or c.dep_ == "ccomp":
            return True
        if c.dep_ in ("prep", "advmod") and c.lower_ in ("around", "through", "thru", "round", "to", "over"):
            return any(g.dep_ == "pobj" and not _mine(g) for g in c.children)
    return False


def _mine(noun) -> bool:
    """Is the noun the candidate ("me") or theirs ("my desk")?"""
    if noun.lower_ in _FIRST_PERSON or noun.lower_ in ("us", "we", "our"):
        return True
    return any(c.dep_ == "poss" and c.lower_ in ("my", "our") for c in noun.children)


# "I keep thinking about the sketch wall in your studio": what one keeps thinking about counts
# when it is neither oneself, one's own things nor a courtesy noun ("the interview", "my chances").
_THINKING_OVER = {"think", "reflect"}


def _their_topic(prep) -> bool:
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    return (
        bool(objects)
        and not _mine(objects[0])
        and objects[0].lemma_.lower() not in _MY_CHANCE | {"role", "job", "position", "it", "this", "that"}
    )


def _about_them(sent, names) -> bool:
    """Does the sentence say something about the reader's side: something of theirs beyond a
    courtesy ("your plans", not "your time"), the company by name, "the team", the reader as
    the subject of a verb other than a courtesy, or what one heard or learned about a topic
    that is not oneself?"""
    for t in sent:
        low, head = t.lower_, t.head
        if (
            low in ("your", "their")
            and t.dep_ == "poss"
            and head.lemma_.lower() not in _THIN_POSSESSED
            and not _wanted_by_me(head)
        ):
            return True
        if (low in names or t.ent_type_ == "ORG") and t.dep_ in ("nsubj", "poss", "pobj", "dobj"):
            return True
        if (
            low in ("the", "this")
            and t.dep_ == "det"
            and head.lemma_.lower() in _THEIR_SIDE
            and not _wanted_by_me(head)
        ):
            return True
        if (
            low in ("you", "they", "u")
            and t.dep_ == "nsubj"
            and head.lemma_ not in _COURTESY_VERBS
            and not _reader_serves_me(head)
        ):
            return True
        if low in ("yours", "theirs") and t.dep_ == "pobj" and head.lower_ == "like":
            return True  # "field work like yours", "a team like theirs"
        if t.lemma_ in _SHOWN and _shown_their_thing(t):
            return True
        if low == "about" and head.lemma_ in _TAKING_IN:
            objects = [c for c in t.children if c.dep_ == "pobj"]
            if objects and not _mine(objects[0]):
                return True
        if low == "about" and head.lemma_ in _THINKING_OVER and _their_topic(t):
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
