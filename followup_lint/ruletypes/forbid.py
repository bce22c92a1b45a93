"""forbid: the draft must not say this. One hit per match, sentence (default) or draft.

With `per: sentence` every match that carries its own local fix (a word to replace or
remove) is reported, so a second slip in one sentence is not hidden and `--fix` handles
each; matches whose remedy is the whole sentence (deleting or rewriting it) are reported
once per sentence."""

from __future__ import annotations

from followup_lint.ruletypes.common import Hit, sentence_bounds, surviving_matches

FIELDS = frozenset({"match", "sentence"})
FIXES = frozenset({"replace", "delete"})


def validate(data: dict, located) -> None:
    """Patterns are checked by the loader, like every rule's."""


def check(rule, parsed, ctx, settings) -> list[Hit]:
    segments = parsed.segments(rule.spec.regions)
    hits: list[Hit] = []
    seen_sentences = set()
    for m in surviving_matches(rule, segments, ctx):
        sent = sentence_bounds(m) if m.span is not None else (m.start, m.end)
        pattern = rule.spec.patterns[m.pattern]
        if rule.spec.per == "sentence" and not _local_fix(pattern.get("fix") or rule.spec.fix):
            if sent in seen_sentences:
                continue
            seen_sentences.add(sent)
        text = parsed.draft.text
        # A match that starts inside a word ("'ve received another offer") is quoted from
        # the word's start: "I've received another offer".
        quote_from = m.start
        if text[m.start : m.start + 1] in "'\u2019" and m.start > 0 and text[m.start - 1].isalnum():
            while quote_from > 0 and text[quote_from - 1].isalnum():
                quote_from -= 1
        hits.append(
            Hit(
                m.start,
                m.end,
                values={"match": text[quote_from : m.end], "sentence": " ".join(text[sent[0] : sent[1]].split())},
                message=pattern.get("message"),
                fix=pattern.get("fix"),
                sentence=sent if m.span is not None else None,
            )
        )
        if rule.spec.per == "draft":
            break
    return hits


def _local_fix(fix) -> bool:
    """Does the fix edit only the matched words (so two in one sentence are two fixes)?"""
    return bool(fix) and ("replace" in fix or fix.get("delete") == "match")
