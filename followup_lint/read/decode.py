"""Bytes to text: BOMs, UTF-8, UTF-16 without a BOM, legacy encodings (Windows-1252, or a
script-specific one detected with charset-normalizer), and refusing binary data.
"""

from __future__ import annotations

import codecs
import re

from followup_lint.model.draft import DraftError


def decode_bytes(data: bytes, detect: bool = True) -> tuple[str, str, list[str]]:
    """(text, encoding, notes): UTF-8 (BOM dropped), UTF-16/32 with a BOM, else a fallback.

    The fallback is Windows-1252, what Notepad and Outlook on a Western Windows save,
    unless charset detection finds the draft's other letters are all in one non-Latin
    script (Cyrillic, Greek, Japanese...). Detection alone guesses wrong on Western text
    more often than not, and Windows-1252 never reads Cyrillic; together they are right
    most often (bench/charset_fallback.py measures it). The note says which was used.
    """
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding, []
            except UnicodeDecodeError:
                note = f"not valid {encoding.upper()}: damaged characters were replaced"
                return data.decode(encoding, "replace"), encoding, [note]
    utf16 = _utf16_without_bom(data)
    if utf16:
        text, encoding = utf16
        return text, encoding, [f"read as {encoding.upper()}: the file has no byte-order mark"]
    encoding = "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        data, encoding = data[len(codecs.BOM_UTF8) :], "utf-8-sig"
    try:
        return data.decode("utf-8"), encoding, []
    except UnicodeDecodeError as e:
        line = len(re.findall(rb"\r\n|\r|\n", data[: e.start])) + 1
    advice = "; if letters look wrong, save the file as UTF-8"
    detected = detect_script_encoding(data) if detect else None
    if detected:
        text, codec = detected
        return text, codec, [f"read as {encoding_name(codec)} (detected): not valid UTF-8 (line {line}){advice}"]
    try:
        return data.decode("cp1252"), "cp1252", [f"read as Windows-1252: not valid UTF-8 (line {line}){advice}"]
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        note = f"read as Latin-1: not valid UTF-8 or Windows-1252 (line {line}){advice}"
        return data.decode("latin-1"), "latin-1", [note]


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 saved without a BOM (some Windows tools): text whose every other byte is NUL.

    Latin text in UTF-16 has a NUL in the high byte of almost every character and almost
    never in the low byte; binary data has NULs anywhere.
    """
    if b"\x00" not in data[:4096] or len(data) % 2:
        return None
    sample = data[:4096]
    units = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for high, low, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if high >= units * 0.5 and low <= units * 0.01:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            return (text, codec) if "\x00" not in text else None
    return None


_ENCODING_NAMES = {
    "cp932": "Shift_JIS (Windows-31J)",
    "shift_jis": "Shift_JIS",
    "shift_jis_2004": "Shift_JIS",
    "euc_jis_2004": "EUC-JP",
    "cp949": "EUC-KR (Windows-949)",
    "big5": "Big5",
    "big5hkscs": "Big5-HKSCS",
}


def encoding_name(codec: str) -> str:
    """The name people know an encoding by: cp1251 -> Windows-1251, koi8-r -> KOI8-R."""
    if codec in _ENCODING_NAMES:
        return _ENCODING_NAMES[codec]
    if re.fullmatch(r"cp125\d", codec):
        return "Windows-" + codec[2:]
    return codec.upper().replace("_", "-").replace("ISO8859", "ISO-8859")


# Scripts a Western fallback cannot produce; Japanese mixes kanji and kana, Korean hangul and hanja.
_SCRIPT_FAMILY = {
    "CYRILLIC": "CYRILLIC",
    "GREEK": "GREEK",
    "ARABIC": "ARABIC",
    "HEBREW": "HEBREW",
    "THAI": "THAI",
    "CJK": "EAST ASIAN",
    "HIRAGANA": "EAST ASIAN",
    "KATAKANA": "EAST ASIAN",
    "HANGUL": "EAST ASIAN",
}


def detect_script_encoding(data: bytes) -> tuple[str, str] | None:
    """(text, codec) when charset detection reads the non-ASCII letters as one non-Latin
    script; None otherwise (then Windows-1252 is the better guess)."""
    try:
        import charset_normalizer
    except ImportError:  # a core dependency, but never worth a crash: Windows-1252 stands
        return None
    import unicodedata

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return None
    text = str(best)
    families = set()
    for ch in {c for c in text if ord(c) > 127 and c.isalpha()}:
        name = unicodedata.name(ch, "")
        families.add(next((f for prefix, f in _SCRIPT_FAMILY.items() if name.startswith(prefix)), "OTHER"))
    if len(families) != 1 or "OTHER" in families:
        return None
    try:
        codec = codecs.lookup(best.encoding).name
        if data.decode(codec) != text:  # what a fix would write back must read the same
            return None
    except (LookupError, UnicodeDecodeError):
        return None
    return text, codec


# Control characters no text editor writes (tab, line breaks and form feed are text).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\x80-\x9f]")


def check_readable(text: str, path: str) -> None:
    """Refuse what is not a draft at all: binary data, or nothing but whitespace."""
    if "\x00" in text:
        raise DraftError(path, "binary file, not a draft (it contains NUL bytes)")
    if not text.strip():
        raise DraftError(path, "empty draft: nothing to check")
    sample = text[:65536]
    controls = len(_CONTROL.findall(sample))
    if controls > 8 and controls > len(sample) * 0.05:
        raise DraftError(
            path, f"binary file, not a draft ({controls:,} control characters in its first {len(sample):,} characters)"
        )
