"""spelling: words that are not English and look like a slip of one that is.

A word is reported only when the dictionary does not know it (nor a regular form of it),
nothing marks it as a name or a term, and a known word lies one or two edits away: that
word is the suggestion. Unknown words with nothing near them are more likely jargon or a
name than a typo, and are left alone.

Never checked: capitalised words inside a sentence (names, products), proper nouns the
tagger finds at the start of one, names given in context (interviewer, company, role) and
any capitalised word used elsewhere in the draft (greeting, signature), words with
capitals inside or all in capitals (acronyms), words touching digits, URLs, emails, file
names, `code`, text-speak (too-casual's business), foreign phrases, and the user's words
(config `words:` and the project word list). British spellings are accepted unless
`language: en-US` is set; `language: en-GB` flags the American ones.

What it reads from the config comes as the `settings` argument (model.rule.ProjectSettings):
`words` (lower-cased) and `language` (None, "en-US" or "en-GB").
"""

from __future__ import annotations

import re

from followup_lint.language.dictionary import english
from followup_lint.language.patterns import doc_text
from followup_lint.ruletypes.common import Hit

# Letters with apostrophes inside ("don't", "Whitfield's"); hyphens split words.
_WORD = re.compile(r"(?<![\w@/#.\\])[^\W\d_]+(?:['’][^\W\d_]+)*(?![\w@/\\]|['’]?\.[^\W\d_])")
# Emails and file names match only from the start of a run of their characters, so a long
# run ("@@@@…", "a-a-a-…") is not tried from each of its characters
# (tests/test_bad_input.py: test_linting_a_long_run_of_at_signs).
_MASKS = re.compile(
    r"(?:https?://|www\.)\S+"  # URLs
    r"|(?<!\S)[^\s@]+@\S+\.\w+"  # emails
    r"|`[^`\n]*`"  # code
    r"|(?<![\w-])[\w-]+\.(?:com|org|net|io|co|uk|edu|gov|ai|dev|app|pdf|docx?|xlsx?|pptx?|txt|md|csv|png|jpe?g)\b",
    re.I,
)
_ELONGATED = re.compile(r"(\w)\1\1")
_MIXED_CASE = re.compile(r".[A-Z]")

# Missing apostrophes: clear slips with one right answer.
_CONTRACTIONS = {
    "dont": "don't",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "isnt": "isn't",
    "arent": "aren't",
    "wasnt": "wasn't",
    "werent": "weren't",
    "havent": "haven't",
    "hasnt": "hasn't",
    "hadnt": "hadn't",
    "couldnt": "couldn't",
    "wouldnt": "wouldn't",
    "shouldnt": "shouldn't",
    "cant": "can't",
    "wont": "won't",
    "im": "I'm",
    "ive": "I've",
    "youre": "you're",
    "theyre": "they're",
    "thats": "that's",
    "whats": "what's",
    "theres": "there's",
    "youve": "you've",
    "youll": "you'll",
    "theyve": "they've",
    "weve": "we've",
    "shes": "she's",
    "wouldve": "would've",
    "couldve": "could've",
    "shouldve": "should've",
}
# Text-speak is too-casual's finding; spelling stays out of its way.
_TEXT_SPEAK = {
    "thx",
    "thnx",
    "tnx",
    "lol",
    "lmao",
    "rofl",
    "omg",
    "ttyl",
    "brb",
    "idk",
    "tbh",
    "imho",
    "imo",
    "smh",
    "pls",
    "plz",
    "cya",
    "lmk",
    "tmrw",
    "tmr",
    "rly",
    "btw",
    "def",
    "ty",
    "tysm",
    "nvm",
    "obv",
    "probs",
    "ppl",
    "msg",
    "txt",
    "cuz",
    "coz",
    "bc",
    "gonna",
    "wanna",
    "gotta",
    "kinda",
    "sorta",
    "dunno",
    "yeah",
    "yep",
    "yup",
    "nope",
    "nah",
    "hiya",
    "heya",
    "xoxo",
    "haha",
    "hehe",
    "gon",
    "na",
    "ur",
    "yrs",
    "hrs",
    "mins",
    "convo",
    "pic",
    "pics",
    "fam",
    "bro",
    "dude",
    "abt",
    "fwiw",
    "afaik",
    "iirc",
    "pto",
    "asap",
    "b4",
    "tho",
    "thru",
    "wud",
    "shud",
    "bcuz",
    "sooo",
    "soo",
    "srsly",
    "jk",
    "np",
    "ok",
    "okay",
    "asst",
    "mgr",
    "approx",
    "fwd",
    "fw",
    "cc",
    "bcc",  # mail markers ("Fwd: ...")
}
# Prefixes written with a hyphen ("pre-screen", "co-lead"): the part before it is no word.
_HYPHEN_PREFIXES = {
    "pre",
    "post",
    "re",
    "co",
    "non",
    "multi",
    "self",
    "anti",
    "sub",
    "ex",
    "mid",
    "semi",
    "inter",
    "cross",
    "bi",
    "tri",
    "de",
    "un",
    "over",
    "under",
    "mis",
    "micro",
    "macro",
}
# Function words of the languages a draft is most often in when it is not English; none
# is also an English word. They mark a foreign phrase ("Suite à notre entretien") and,
# in bulk, a draft in another language.
_FOREIGN = {
    "French": {
        "à",
        "notre",
        "votre",
        "nous",
        "vous",
        "avec",
        "pour",
        "dans",
        "est",
        "une",
        "des",
        "merci",
        "je",
        "suis",
        "sommes",
        "êtes",
        "très",
        "mais",
        "aussi",
        "cette",
        "été",
        "avoir",
        "être",
        "bonjour",
        "cordialement",
        "entretien",
        "poste",
        "les",
        "du",
        "et",
        "au",
        "aux",
        "qui",
        "que",
    },
    "Spanish": {
        "gracias",
        "para",
        "por",
        "con",
        "muy",
        "una",
        "los",
        "las",
        "del",
        "estoy",
        "nuestro",
        "nuestra",
        "usted",
        "entrevista",
        "puesto",
        "saludos",
        "atentamente",
        "estimado",
        "estimada",
        "el",
        "y",
        "es",
        "que",
        "en",
        "su",
        "sus",
        "pero",
        "también",
        "mucho",
        "muchas",
    },
    "German": {
        "und",
        "ist",
        "ich",
        "nicht",
        "mit",
        "für",
        "ein",
        "eine",
        "dem",
        "auf",
        "bei",
        "wir",
        "vielen",
        "dank",
        "ihr",
        "ihre",
        "ihnen",
        "sehr",
        "geehrte",
        "geehrter",
        "grüßen",
        "freundlichen",
        "gespräch",
        "stelle",
        "das",
        "der",
        "die",
        "zu",
        "den",
        "auch",
        "über",
        "wäre",
        "würde",
    },
    "Italian": {
        "grazie",
        "della",
        "sono",
        "che",
        "il",
        "di",
        "per",
        "una",
        "colloquio",
        "gentile",
        "cordiali",
        "saluti",
        "molto",
        "anche",
        "questa",
        "nel",
        "alla",
        "non",
        "e",
    },
    "Portuguese": {
        "obrigado",
        "obrigada",
        "muito",
        "não",
        "uma",
        "para",
        "com",
        "nosso",
        "nossa",
        "entrevista",
        "atenciosamente",
        "prezado",
        "prezada",
        "você",
        "vaga",
        "os",
        "as",
        "do",
        "da",
        "em",
    },
    "Dutch": {
        "het",
        "een",
        "niet",
        "voor",
        "bedankt",
        "dank",
        "ik",
        "wij",
        "met",
        "gesprek",
        "vriendelijke",
        "groet",
        "graag",
        "zijn",
        "ook",
        "van",
        "en",
        "op",
    },
}
_FOREIGN_ONLY = set().union(*_FOREIGN.values()) - {"die", "den", "do", "as", "in", "on", "an", "e", "y", "a", "is"}
_CONNECTORS = {
    "e",
    "y",
    "di",
    "de",
    "du",
    "au",
    "aux",
    "en",
    "al",
    "la",
    "le",
    "del",
    "della",
    "von",
    "van",
    "der",
    "da",
    "do",
    "et",
    "und",
    "à",
    "sur",
    "con",
}
_FOREIGN_WINDOW = 3  # words either side of a foreign function word that count as foreign
_NOT_ENGLISH_MIN_WORDS = 12
_NOT_ENGLISH_MAX_KNOWN = 0.6  # share of known English words below which a draft may be foreign
_NOT_ENGLISH_MIN_FOREIGN = 0.15
# Cost caps per draft: suggestions at edit distance two take milliseconds each.
MAX_FAR_SEARCHES = 8
MAX_FINDINGS = 25

_NAME_REGIONS = ("greeting", "sign-off", "signature", "quoted")
_CAPITALISED = re.compile(r"\b[A-Z][^\W\d_]+")


FIELDS = frozenset({"match", "suggestion"})
FIXES: frozenset = frozenset()


def validate(data: dict, located) -> None:
    """Nothing beyond the schema: its settings (words, language) are the config's."""


def check(rule, parsed, ctx, settings) -> list[Hit]:
    language = settings.language
    user_words = set(settings.words)
    dictionary = english()
    draft = parsed.draft
    segments = parsed.segments(rule.spec.regions)
    names = _names(draft, ctx, segments)

    candidates = []  # (start, end, word, lower, foreign)
    seg_words = {}  # segment start -> its lower-cased words, for phrase checks
    english_known = total = 0
    foreign_counts = {lang: 0 for lang in _FOREIGN}
    for seg in segments:
        text = doc_text(seg.doc)  # doc offsets; seg.at() maps them back to the draft
        masked = _MASKS.sub(lambda m: " " * len(m.group(0)), text)
        starts = _sentence_starts(seg.doc)
        tokens = {t.idx: t for t in seg.doc}
        # In a draft written in lower case, capitals no longer mark names: a word the parser
        # reads as a proper noun or as the modifier of a noun compound or of a place it worked
        # ("at hollis supply")
        # is taken for a name.
        lower_case = _mostly_lower_case(seg.doc, starts)
        words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(masked)]
        lowers = [w.lower().replace("’", "'") for _, _, w in words]
        seg_words[seg.start] = lowers
        foreign_at = [i for i, low in enumerate(lowers) if low in _FOREIGN_ONLY]
        for i, (s, e, word) in enumerate(words):
            low = lowers[i]
            if len(low) >= 2 and word.isalpha() and word.islower():
                total += 1
                english_known += dictionary.known(low)
                for lang, vocab in _FOREIGN.items():
                    foreign_counts[lang] += low in vocab
            if _skip(word, low, s, seg, starts, tokens, names, user_words):
                continue
            if low in _HYPHEN_PREFIXES and masked[e : e + 1] == "-":
                continue
            # The stem after such a prefix ("multi-omic", "non-GAAP", "pre-seed") is a term of art
            # far more often than a slip: coined compounds are how technical writing names things.
            if i and masked[s - 1 : s] == "-" and lowers[i - 1] in _HYPHEN_PREFIXES and words[i - 1][1] == s - 1:
                continue
            if _in_coined_compound(masked, words, i, dictionary):
                continue
            if (
                lower_case
                and (tok := tokens.get(s)) is not None
                and (
                    (tok.pos_ == "PROPN" and tok.dep_ in ("pobj", "appos", "poss"))
                    or (tok.dep_ == "compound" and tok.head.pos_ in ("NOUN", "PROPN"))
                    or (
                        tok.dep_ == "amod"
                        and tok.head.dep_ == "pobj"
                        and tok.head.head.lower_ in ("at", "with", "from")
                    )
                )
            ):
                continue
            # No vowel at all ("rmbr", "chkn"): a text-speak abbreviation, too-casual's business.
            if word.islower() and 3 <= len(low) <= 6 and not re.search(r"[aeiouy]", low):
                continue
            foreign = any(abs(i - j) <= _FOREIGN_WINDOW for j in foreign_at)
            candidates.append((seg.at(s), seg.at(e), word, low, foreign, (seg.start, i)))

    if total >= _NOT_ENGLISH_MIN_WORDS and english_known / total < _NOT_ENGLISH_MAX_KNOWN:
        lang, n = max(foreign_counts.items(), key=lambda kv: kv[1])
        if n / total >= _NOT_ENGLISH_MIN_FOREIGN:
            parsed.notes.append(
                f"spelling not checked: the draft looks like {lang}, and the spelling rule knows English only"
            )
            return []

    found = []  # (start, end, word, kind, suggestions, position)
    far_searches = 0
    for start, end, word, low, foreign, position in candidates:
        if len(found) >= MAX_FINDINGS + 5:
            break
        verdict = _judge(dictionary, low, language, foreign)
        if verdict is None:
            continue
        kind, suggestions = verdict
        if kind == "unknown":
            suggestions = dictionary.near(low)
            if not suggestions and far_searches < MAX_FAR_SEARCHES and len(low) >= 4:
                far_searches += 1
                suggestions = dictionary.far(low)
            if not suggestions:
                continue  # nothing near: jargon or a name, not a slip
        if low.endswith("'s") and _base(low) == low[:-2]:
            end, word = end - 2, word[:-2]  # the possessive is not part of the slip
        found.append((start, end, word, kind, suggestions, position))

    # Unknown words joined by a Romance or Germanic connector ("cacio e pepe", "pain au
    # chocolat") are a phrase from another language, not two slips.
    unknown = sorted(f[5] for f in found if f[3] == "unknown")
    phrase = set()
    for p, q in zip(unknown, unknown[1:]):
        between = seg_words[p[0]][p[1] + 1 : q[1]]
        if p[0] == q[0] and 1 <= len(between) <= 2 and all(w in _CONNECTORS for w in between):
            phrase.update((p, q))
    hits: list[Hit] = []
    for start, end, word, kind, suggestions, position in found:
        if position in phrase:
            continue
        if len(hits) >= MAX_FINDINGS:
            break
        best = _cased(word, suggestions[0])
        message = None
        if kind == "variant":
            message = (
                f"{word!r} is the {'British' if language == 'en-US' else 'American'} spelling; "
                f"this project writes {language}: {best!r}."
            )
        hits.append(
            Hit(
                start,
                end,
                values={"match": word, "suggestion": best},
                message=message,
                fix={"replace": best, "safe": len(suggestions) == 1},
            )
        )
    return hits


_ACRONYM_BEFORE = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]+$")


def _in_coined_compound(masked, words, i, dictionary) -> bool:
    """A half of a hyphenated term of art: the word after an acronym ("FHIR-conformant",
    "HL7-ready") or a word before a known participle ("cron-scheduled", "kafka-based"). Coined
    compounds name things in technical writing; a typo in them is rare next to a term."""
    s, e, _ = words[i]
    if masked[s - 1 : s] == "-" and _ACRONYM_BEFORE.search(masked, 0, s - 1):
        return True
    if i + 1 < len(words) and masked[e : e + 1] == "-" and words[i + 1][0] == e + 1:
        after = words[i + 1][2].lower()
        if len(after) >= 5 and after.endswith("ed") and (dictionary.known(after) or dictionary.derived(after)):
            return True
    return False


def _judge(dictionary, low, language, foreign):
    """None if the word is fine, else ("unknown", []) or ("variant" | "contraction", [fix])."""
    if low in _CONTRACTIONS:
        return "contraction", [_CONTRACTIONS[low]]
    base = _base(low)
    if base is None:
        return None
    if dictionary.known(base) or dictionary.derived(base):
        return _variant(dictionary, base, language)
    british = dictionary.british_form_of(base)
    if british is not None:
        return ("variant", [british]) if language == "en-US" else None
    if foreign or base in _TEXT_SPEAK or _ELONGATED.search(base):
        return None
    # The singular of a plural the dictionary knows ("telecom" beside "telecoms"); a word that
    # already ends in s is left to the check ("acros" + s is "across", a slip, not a singular).
    if len(base) >= 4 and not base.endswith("s") and dictionary.known(base + "s"):
        return None
    return "unknown", []


def _variant(dictionary, base, language):
    if language == "en-US" and base in dictionary.strict_british:
        return "variant", [dictionary.strict_british[base]]
    if language == "en-GB" and base in dictionary.strict_american:
        return "variant", [dictionary.strict_american[base]]
    return None


def _base(low: str) -> str | None:
    """The word to look up: possessives dropped, a contraction reduced to its known head;
    None when there is nothing to check."""
    if "'" not in low:
        return low
    if low.endswith("'s") or low.endswith("s'"):
        low = low[:-2] if low.endswith("'s") else low[:-1]
    if "'" not in low:
        return low
    english_ = english()
    if english_.known(low):
        return None
    head, _, tail = low.rpartition("'")
    if tail == "t" and head.endswith("n") and english_.known(head[:-1]):
        return None  # shouldn't, mustn't
    if tail in ("re", "ve", "ll", "d", "m", "s") and "'" not in head:
        return head
    return low


def _skip(word, low, start, seg, starts, tokens, names, user_words) -> bool:
    if len(low) < 3 and low not in _CONTRACTIONS:
        return True
    if low in user_words or _possessor(low) in user_words:
        return True
    if word.isupper() or _MIXED_CASE.search(word.rstrip("s")) or re.fullmatch(r"[A-Z]{2,}s", word):
        return True  # acronyms (SQL, KPIs), product names (HubSpot, iPhone)
    if low in names or _possessor(low) in names:
        return True
    if word[0].isupper():
        if start not in starts and seg.region != "subject":
            return True  # a capital inside a sentence: a name or a product
        token = tokens.get(start)
        if token is not None and token.pos_ == "PROPN":
            return True
    return False


def _mostly_lower_case(doc, starts) -> bool:
    """True when most sentences (at least three) begin in lower case."""
    firsts = [t for t in doc if t.idx in starts and t.is_alpha]
    if len(firsts) < 3:
        return False
    return sum(t.text[0].islower() for t in firsts) / len(firsts) > 0.6


def _possessor(low: str) -> str:
    return low[:-2] if low.endswith("'s") else low


def _sentence_starts(doc) -> set:
    """Offsets of the first word of each sentence (and of each line, for lists); kept on
    the doc, as the check and the names it skips both ask."""
    out = doc.user_data.get("followup_lint_sentence_starts")
    if out is None:
        out = doc.user_data["followup_lint_sentence_starts"] = frozenset(_find_sentence_starts(doc))
    return out


def _find_sentence_starts(doc) -> set:
    out = set()
    for sent in doc.sents:
        for t in sent:
            if t.is_alpha:
                out.add(t.idx)
                break
    for t in doc:
        if t.is_alpha and (
            t.i == 0 or "\n" in doc[t.i - 1].text or doc[t.i - 1].text in ("-", "*", "•", '"', "“", "(")
        ):
            out.add(t.idx)
    return out


def _names(draft, ctx, segments) -> set:
    """Lower-cased words that name someone or something in this draft."""
    out = set()
    for value in (ctx.interviewer, ctx.company, ctx.role):
        if value:
            out.update(w.lower() for w in re.findall(r"[^\W\d_]+", value))
    for region in _NAME_REGIONS:
        for s, e in draft.regions.get(region, []):
            out.update(m.group(0).lower() for m in _CAPITALISED.finditer(draft.text[s:e]))
    for seg in segments:
        # A name signed in lower case on a line of its own ("-dani", "tomasz") at the end.
        lines = [ln.strip().lstrip("-–—~ ").strip() for ln in seg.doc.text.splitlines() if ln.strip()]
        if lines and 1 <= len(lines[-1].split()) <= 2 and all(w.isalpha() for w in lines[-1].split()):
            out.update(w.lower() for w in lines[-1].split())
        starts = _sentence_starts(seg.doc)
        for t in seg.doc:
            if (
                t.text[:1].isupper()
                and t.is_alpha
                and (t.idx not in starts or t.pos_ == "PROPN")
                and seg.region != "subject"
            ):
                out.add(t.lower_)
    return out


def _cased(original: str, suggestion: str) -> str:
    if suggestion[:1].isupper():
        return suggestion  # "I'm"
    if original[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion
