"""Which spaCy components a rule needs, so a run loads only those (and says why).

tok2vec, tagger, attribute_ruler and lemmatizer give the lemmas that phrase lists and
token patterns match on; the parser gives sentences and the grammatical questions
(negated, hedged, subject, dep, ...). No built-in rule reads named entities, so `ner` is
never loaded unless a user pattern asks for ENT_TYPE.
"""

from __future__ import annotations

LEMMAS = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer")
PARSER = ("tok2vec", "parser")
_PARSE_CONDITIONS = {
    "negated",
    "hedged",
    "question",
    "dep",
    "head_lemma",
    "child_lemma",
    "child_dep",
    "subject",
    "object",
    "closing",
    "sentence",
    "before",
}
_TYPE_NEEDS = {
    "metric": set(PARSER) | set(LEMMAS),  # sentences, words, first-person counts
    "spelling": set(PARSER) | set(LEMMAS),  # sentence starts and PROPN tags keep names quiet
    "timing": set(),
    "grammar": set(),
}


def _walk(obj):
    if isinstance(obj, dict):
        yield obj
        for v in obj.values():
            yield from _walk(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _walk(v)


def rule_needs(rule) -> set[str]:
    needs = set(_TYPE_NEEDS.get(rule.type, ()))
    for node in _walk([rule.patterns, rule.when, rule.unless]):
        if "phrases" in node or "tokens" in node:
            needs |= set(LEMMAS)
        if _PARSE_CONDITIONS & set(node) or "opinion" in node:  # opinion: lemmas, tok2vec, sentences
            needs |= set(PARSER) | set(LEMMAS)
        if "ENT_TYPE" in node or "ENT_IOB" in node or "ENT_ID" in node:
            needs.add("ner")
        if rule.type == "forbid" and rule.per == "sentence":
            needs |= set(PARSER)  # one finding per sentence
    if rule.type == "require":
        needs |= set(PARSER)  # the finding points at the opening sentence
    return needs


def pipeline_exclude(rules, all_components, infer_kind: bool = True) -> tuple:
    """Components no enabled rule (nor kind inference, which asks about negation) needs."""
    wanted: set = set(PARSER) | set(LEMMAS) if infer_kind else set()
    for rule in rules:
        wanted |= rule_needs(rule)
    return tuple(sorted(c for c in all_components if c not in wanted))
