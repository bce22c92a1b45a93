"""The English word list behind the `spelling` rule, and what it can say about one word.

Everything here ships inside installed packages and is read from disk: pyspellchecker's
English frequency list (MIT), breame's British/American spelling pairs (Apache-2.0) and
our own list of workplace words (data/workplace-words.txt). Nothing is downloaded.

Lookups are dictionary hits (about a microsecond). Suggestions cost more: edit distance 1
is about a millisecond; edit distance 2 compares against the common words that share the
first letter, and callers cap how many of those a draft may ask for.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from importlib import metadata, resources

# A suggestion at edit distance 2 must be at least this common in the frequency list: a
# far-fetched rare word is a worse guess than none.
_D2_MIN_COUNT = 200
# Two halves of an unknown compound ("waitlist", "workstream") must each be this common.
_COMPOUND_MIN_COUNT = 5000
# Second halves that make a run-together phrase, not a compound: "thankyou", "eachother".
_FUNCTION_WORDS = {
    "the",
    "and",
    "you",
    "your",
    "for",
    "with",
    "not",
    "are",
    "was",
    "were",
    "his",
    "her",
    "our",
    "its",
    "him",
    "they",
    "them",
    "she",
    "other",
    "that",
    "this",
    "too",
    "all",
    "any",
    "one",
}
# Words that are also suffixes: "public" + "ally" is the slip "publically".
_SUFFIX_WORDS = {
    "ally",
    "able",
    "less",
    "ness",
    "ment",
    "ship",
    "hood",
    "ward",
    "wards",
    "wise",
    "full",
    "some",
    "like",
    "ably",
    "ings",
    "tion",
    "sion",
    "ance",
    "ence",
    "ful",
}
# Particles that make nouns of verbs: "lookup", "handoff", "printout", "checkin".
_PARTICLES = {"up", "ups", "out", "outs", "in", "ins", "off", "offs", "down", "downs", "on", "ons", "over", "overs"}
_PREFIXES = (
    "re",
    "un",
    "pre",
    "co",
    "non",
    "multi",
    "sub",
    "over",
    "under",
    "cross",
    "self",
    "anti",
    "inter",
    "micro",
    "post",
    "out",
    "up",
    "de",
    "mis",
    "semi",
    "cyber",
    "meta",
    "tele",
    "e",
)
_VOWELS = set("aeiou")

# British -> American spelling patterns, for British forms derived from words breame does
# not list ("parallelising", "anonymised"): if undoing the pattern gives a known word, the
# word is a British spelling, not a slip.
_BRITISH_PATTERNS = (
    (re.compile(r"is(e|es|ed|ing|er|ers|ation|ations|able)$"), r"iz\1"),
    (re.compile(r"ys(e|es|ed|ing|er|ers)$"), r"yz\1"),
    (re.compile(r"our(s|ed|ing|ite|ites|able|ful|less|er|ers)?$"), r"or\1"),
    (re.compile(r"tre(s|d)?$"), r"ter\1"),
    (re.compile(r"ll(ed|ing|er|ers)$"), r"l\1"),
    (re.compile(r"ogue(s)?$"), r"og\1"),
    (re.compile(r"ence(s)?$"), r"ense\1"),
    (re.compile(r"ae"), "e"),
    (re.compile(r"oe"), "e"),
)

# Strict language settings only flag systematic variants (-our/-or, -ise/-ize, -re/-er,
# -ll-/-l-, -ce/-se, ae/e): pairs whose two words mean different things in British use
# ("draft"/"draught", "program" for software, "check"/"cheque", "tire"/"tyre") are left
# alone, because either may be right.
_NOT_VARIANTS = {
    "draft",
    "drafts",
    "drafty",
    "program",
    "programs",
    "programmed",
    "programming",
    "programmer",
    "disk",
    "disks",
    "meter",
    "meters",
    "tire",
    "tires",
    "ton",
    "tons",
    "gram",
    "grams",
    "install",
    "installs",
    "check",
    "checks",
    "curb",
    "curbs",
    "story",
    "stories",
    "filter",
    "filters",
    "analog",
    "analogs",
    "dialog",
    "dialogs",
    "license",
    "licensed",
    "licensing",
    "practice",
    "practiced",
    "practicing",
    "mold",
    "molds",
    "gage",
    "gages",
    "griffin",
    "groin",
    "groins",
    "busses",
    "bussing",
    "pummel",
    "judgment",
    "judgments",
    "acknowledgment",
    "acknowledgments",
    "aging",
    "sulfur",
    "sulfate",
    "sulfide",
    "fetal",
    "fetus",
    "enroll",
    "enrolls",
    "fulfill",
    "fulfills",
    "skeptic",
    "skeptical",
    "gray",
    "plow",
    "pajama",
    "pajamas",
    "ax",
    "cozy",
    "jewelry",
    "yogurt",
}
_SYSTEMATIC = (
    ("or", "our"),
    ("iz", "is"),
    ("yz", "ys"),
    ("er", "re"),
    ("l", "ll"),
    ("og", "ogue"),
    ("ense", "ence"),
    ("e", "ae"),
    ("e", "oe"),
)


def _systematic(us: str, gb: str) -> bool:
    """Does the British form differ from the American one by a spelling pattern?"""
    if us in _NOT_VARIANTS or gb in _NOT_VARIANTS:
        return False
    for a, b in _SYSTEMATIC:
        i = 0
        while (i := us.find(a, i)) != -1:
            if us[:i] + b + us[i + len(a) :] == gb:
                return True
            i += 1
    return False


class EnglishDictionary:
    def __init__(self):
        from breame.data.spelling_constants import AMERICAN_ENGLISH_SPELLINGS, BRITISH_ENGLISH_SPELLINGS

        words = _word_list()
        self.counts = words["counts"]
        self._letters, self._longest = words["letters"], words["longest"]
        text = resources.files("followup_lint").joinpath("data/workplace-words.txt").read_text("utf-8")
        self.workplace = {w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#")}
        # Variant pairs either way round; only systematic ones are strict-mode errors.
        self.british = {gb: us for gb, us in BRITISH_ENGLISH_SPELLINGS.items()}
        self.american = {us: gb for us, gb in AMERICAN_ENGLISH_SPELLINGS.items()}
        self.strict_british = {gb: us for gb, us in self.british.items() if _systematic(us, gb)}
        self.strict_american = {us: gb for us, gb in self.american.items() if _systematic(us, gb)}
        self._by_initial: dict | None = None

    # --- is it a word? ------------------------------------------------------------------

    def known(self, word: str) -> bool:
        """Listed as it stands (lower case)."""
        return word in self.counts or word in self.workplace or word in self.british or word in self.american

    def count(self, word: str) -> int:
        return self.counts.get(word, 0)

    def british_form_of(self, word: str) -> str | None:
        """The American spelling when `word` is a British one (listed or by pattern)."""
        if word in self.british:
            return self.british[word]
        for rx, repl in _BRITISH_PATTERNS:
            us, n = rx.subn(repl, word, count=1)
            if n and us != word and (us in self.counts or us in self.workplace or self.derived(us)):
                return us
        return None

    def derived(self, word: str) -> bool:
        """A regular form of a known word: a plural, -ed/-ing of a base that needs no
        doubled consonant, a common prefix, or two common words run into a compound."""
        known = self.known
        if len(word) >= 4 and word.endswith("s") and not word.endswith("ss"):
            if (
                known(word[:-1])
                or (word.endswith("es") and known(word[:-2]))
                or (word.endswith("ies") and known(word[:-3] + "y"))
            ):
                return True
        for suffix in ("ed", "ing", "er", "ers", "ery"):
            stem = word[: -len(suffix)]
            if not word.endswith(suffix) or len(stem) < 3:
                continue
            if known(stem) and not _needs_doubling(stem):  # benchmarked
                return True
            if known(stem + "e"):  # rebranded, refactoring
                return True
        for prefix in _PREFIXES:
            rest = word[len(prefix) :].lstrip("-")
            # At least five letters left: "un" + "till" is the slip "untill", not a word.
            if word.startswith(prefix) and len(rest) >= 5 and (known(rest) or self._inflected(rest)):
                return True
        return self._compound(word)

    def _inflected(self, word: str) -> bool:
        for suffix in ("s", "ed", "ing", "er", "ers"):
            stem = word[: -len(suffix)]
            if word.endswith(suffix) and len(stem) >= 4 and self.known(stem) and not _needs_doubling(stem):
                return True
        return False

    def _compound(self, word: str) -> bool:
        for particle in _PARTICLES:
            head = word[: -len(particle)]
            if word.endswith(particle) and len(head) >= 3 and self.counts.get(head, 0) >= _COMPOUND_MIN_COUNT:
                return True
        # Halves of four letters or more: short ones make slips look like compounds
        # ("post" + "ion", "use" + "full").
        for i in range(4, len(word) - 3):
            head, tail = word[:i], word[i:]
            if tail in _FUNCTION_WORDS or head in _FUNCTION_WORDS or tail in _SUFFIX_WORDS:
                continue
            if self._common(head) and (self._common(tail) or self._common_inflected(tail)):
                return True
        return False

    def _common(self, word: str) -> bool:
        return self.counts.get(word, 0) >= _COMPOUND_MIN_COUNT or word in self.workplace

    def _common_inflected(self, word: str) -> bool:
        for suffix in ("s", "ing", "ed", "er", "ers"):
            if word.endswith(suffix) and self._common(word[: -len(suffix)]):
                return True
        return False

    # --- what was meant? ----------------------------------------------------------------

    def near(self, word: str) -> list[str]:
        """Known words one edit away (insert, delete, replace, swap), most common first."""
        found = {w for w in self._edits1(word.lower()) if w in self.counts and self._checkable(w)}
        found |= set(self._split_pair(word))
        return sorted(found, key=lambda w: (-self._score(w) * _channel(word, w), w))

    def _checkable(self, word: str) -> bool:
        # pyspellchecker's SpellChecker.known/edit_distance_1 filters, on our stored list.
        if len(word) == 1 and word in string.punctuation:
            return False
        if len(word) > self._longest + 3:
            return False
        if word in ("nan", "inf", "infinity"):
            return True
        try:
            float(word)
            return False
        except ValueError:
            return True

    def _edits1(self, word: str) -> set:
        """pyspellchecker's edit_distance_1 (same letters, same result)."""
        if not self._checkable(word):
            return {word}
        letters = self._letters
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        deletes = [L + R[1:] for L, R in splits if R]
        transposes = [L + R[1] + R[0] + R[2:] for L, R in splits if len(R) > 1]
        replaces = [L + c + R[1:] for L, R in splits if R for c in letters]
        inserts = [L + c + R for L, R in splits for c in letters]
        return set(deletes + transposes + replaces + inserts)

    def far(self, word: str) -> list[str]:
        """Common words two edits away that share the first letter, most common first."""
        if self._by_initial is None:
            buckets: dict = {}
            for w, n in self.counts.items():
                if n >= _D2_MIN_COUNT and w.isalpha() and w.isascii():
                    buckets.setdefault((w[0], len(w)), []).append((w, _letters(w)))
            self._by_initial = buckets
        mask = _letters(word)
        found = []
        for length in range(len(word) - 2, len(word) + 3):
            for w, m in self._by_initial.get((word[:1], length), ()):
                # Two edits change at most four letters of the letter set: a cheap filter
                # before the exact distance.
                if (mask ^ m).bit_count() <= 4 and _within_two(word, w):
                    found.append(w)
        return sorted(found, key=lambda w: (-self._score(w) * _channel(word, w), w))

    def _split_pair(self, word: str):
        # "thankyou" -> "thank you": a missing space is one edit too.
        for i in range(2, len(word) - 1):
            head, tail = word[:i], word[i:]
            if tail in _FUNCTION_WORDS and self._common(head):
                yield f"{head} {tail}"

    def _score(self, w: str) -> int:
        if " " in w:
            return min(self.count(p) for p in w.split())
        return self.count(w)


def _channel(typo: str, word: str) -> float:
    """How likely a writer who meant `word` typed `typo` (a rough noisy channel), to weigh
    against how common `word` is. People rarely get the first letter wrong and often drop
    one of a doubled letter ("adress" is "address" far more often than "dress", though
    "dress" is the commoner word in the frequency list)."""
    weight = 1.0
    if typo[:1] != word[:1] and typo[:2] != word[1::-1]:
        weight *= 0.02
    if len(word) == len(typo) + 1:
        for i in range(len(word)):
            if word[:i] + word[i + 1 :] == typo:
                # A letter left out; more often one of a pair ("untill" the other way round).
                weight *= (
                    4.0 if (i > 0 and word[i - 1] == word[i]) or (i + 1 < len(word) and word[i + 1] == word[i]) else 1.5
                )
                break
    return weight


def _letters(word: str) -> int:
    mask = 0
    for ch in word:
        mask |= 1 << (ord(ch) & 63)
    return mask


def _needs_doubling(base: str) -> bool:
    """Ends consonant-vowel-consonant ("occur", "begin"), where -ed/-ing usually doubles
    the last letter: accepting "occured" from "occur" would hide a real slip."""
    if len(base) < 3:
        return False
    a, b, c = base[-3], base[-2], base[-1]
    return a not in _VOWELS and b in _VOWELS and c not in _VOWELS and c not in "wxy"


def _within_two(a: str, b: str) -> bool:
    """Optimal string alignment distance <= 2, with an early exit per row."""
    la, lb = len(a), len(b)
    prev2 = None
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        ai = a[i - 1]
        best = cur[0]
        for j in range(1, lb + 1):
            cost = 0 if ai == b[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if prev2 is not None and i > 1 and j > 1 and ai == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            best = min(best, v)
        if best > 2:
            return False
        prev2, prev = prev, cur
    return prev[lb] <= 2


def _build_word_list() -> dict:
    from spellchecker import SpellChecker

    return dict(SpellChecker(language="en", distance=1).word_frequency.dictionary)


def _list_meta(counts: dict) -> dict:
    return {"letters": "".join(sorted(set().union(*counts))), "longest": max(map(len, counts))}


@lru_cache(maxsize=1)
def _word_list() -> dict:
    """pyspellchecker's English frequency list (160,000 words), unpacked from its gzipped JSON
    once per pyspellchecker version into a table in the cache folder (storage/wordtable.py)
    that is read a word at a time: no SpellChecker is built and no list is loaded on a run."""
    from followup_lint.storage import wordtable

    try:
        version = metadata.version("pyspellchecker")
    except metadata.PackageNotFoundError:
        version = "unknown"
    counts = wordtable.load(f"spelling-en-{version}.sqlite", _build_word_list, _list_meta)
    meta = (
        {"letters": counts.meta("letters"), "longest": counts.meta("longest")}
        if isinstance(counts, wordtable.WordTable)
        else _list_meta(counts)
    )
    return {"counts": counts, "letters": meta["letters"], "longest": meta["longest"]}


@lru_cache(maxsize=1)
def english() -> EnglishDictionary:
    return EnglishDictionary()
