"""How well does a draft that is not UTF-8 come back? Windows-1252 alone, charset-normalizer
alone, and followup-lint's reader (Windows-1252 unless detection finds a non-Latin script),
on the corpus's drafts with the non-ASCII characters people type into follow-ups (curly
quotes, dashes, accented names, currency, a name in another script), each saved in a legacy
encoding that can hold them.

    python bench/charset_fallback.py

A draft counts as right when its decoded text equals what was written. Prints one row per
encoding and strategy; nothing is timed.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from followup_lint.read.decode import decode_bytes  # noqa: E402

# What each kind of writer adds to an English draft, by the encodings that can hold it.
WESTERN = ["’", "“", "”", "—", "–", "é", "José", "Zoë", "Müller", "café", "résumé", "naïve", "£200", "€", "…"]
LATIN1 = ["é", "José", "Zoë", "Müller", "café", "résumé", "naïve", "£200", "Ça va", "Ångström"]
CENTRAL = ["Łukasz Wróbel", "Dvořák", "Kraków", "Zieliński", "Bartoš", "Łódź", "ść"]
CYRILLIC = ["Дмитрий Иванов", "Москва", "спасибо", "Ольга"]
GREEK = ["Γιώργος Παπαδόπουλος", "Αθήνα", "ευχαριστώ"]
JAPANESE = ["田中太郎", "東京", "ありがとうございました", "株式会社"]
CASES = [
    ("cp1252", WESTERN),
    ("latin-1", LATIN1),
    ("iso-8859-15", LATIN1 + ["€"]),
    ("mac_roman", WESTERN),
    ("cp1250", CENTRAL),
    ("iso-8859-2", CENTRAL),
    ("cp1251", CYRILLIC),
    ("koi8-r", CYRILLIC),
    ("cp1253", GREEK),
    ("shift_jis", JAPANESE),
    ("euc-jp", JAPANESE),
]


def drafts() -> list[str]:
    paths = sorted(p for p in (ROOT / "corpus").iterdir() if p.suffix in (".txt", ".md"))
    return [p.read_text("utf-8") for p in paths]


def sprinkle(text: str, words: list[str], rng: random.Random, n: int) -> str:
    """n insertions at word boundaries in the body (not the first line)."""
    lines = text.split("\n")
    for _ in range(n):
        i = rng.randrange(1, len(lines)) if len(lines) > 1 else 0
        parts = lines[i].split(" ")
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(words))
        lines[i] = " ".join(parts)
    return "\n".join(lines)


def strategies():
    def windows_1252(data: bytes) -> str:  # the reader before detection was added
        return decode_bytes(data, detect=False)[0]

    def normalizer(data: bytes) -> str:
        import charset_normalizer

        best = charset_normalizer.from_bytes(data).best()
        return str(best) if best is not None else data.decode("cp1252", "replace")

    def reader(data: bytes) -> str:
        return decode_bytes(data)[0]

    return {"Windows-1252 only": windows_1252, "charset-normalizer": normalizer, "followup-lint": reader}


def main() -> None:
    rng = random.Random(9)
    base = drafts()
    print(f"{len(base)} corpus drafts, each with 1, 3 and 8 insertions\n")
    print(f"{'saved as':<12} {'strategy':<20} {'right':>7} {'of':>4}")
    totals: dict = {}
    for encoding, words in CASES:
        samples = []
        for text in base:
            for n in (1, 3, 8):
                written = sprinkle(text, words, rng, n)
                try:
                    samples.append((written, written.encode(encoding)))
                except UnicodeEncodeError:
                    continue
        for name, decode in strategies().items():
            right = sum(decode(data).replace("\r\n", "\n") == written for written, data in samples)
            totals.setdefault(name, [0, 0])
            totals[name][0] += right
            totals[name][1] += len(samples)
            print(f"{encoding:<12} {name:<20} {right:>7} {len(samples):>4}")
    print()
    for name, (right, count) in totals.items():
        print(f"{'all':<12} {name:<20} {right:>7} {count:>4}")


if __name__ == "__main__":
    main()
