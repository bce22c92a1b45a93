"""What the checks produce and the reporters print: findings and per-file reports."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Edit:
    """Replace [start, end) of the file's decoded text (`Draft.raw`) with `replacement`.
    Lines and columns are 1-based code points, like a finding's; the end is exclusive."""

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    replacement: str


@dataclass
class Fix:
    """The edits that fix one finding. Safe fixes only swap words and keep the meaning;
    the rest (deleting a sentence, inserting generated text) need `--unsafe-fixes`."""

    title: str
    safe: bool
    edits: list[Edit] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict) -> Fix:
        return cls(data["title"], data["safe"], [Edit(**e) for e in data["edits"]])


def apply_edits(text: str, edits) -> str:
    """Apply non-overlapping edits (offsets into `text`)."""
    for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: e.start] + e.replacement + text[e.end :]
    return text


@dataclass
class Problem:
    """Why a file could not be linted: `path:line: message` (or `path: message`), the
    text every front end shows. `path` is None when the message says where itself."""

    path: str | None
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"

    @classmethod
    def of(cls, exc: Exception) -> Problem:
        """From an exception that knows where (DraftError and the like), else its text."""
        path, message = getattr(exc, "path", None), getattr(exc, "message", None)
        if (
            isinstance(path, str)
            and isinstance(message, str)
            and str(exc) == str(cls(path, getattr(exc, "line", None), message))
        ):
            return cls(path, getattr(exc, "line", None), message)
        return cls(None, None, str(exc))

    @classmethod
    def parse(cls, text: str, path: str) -> Problem:
        """The inverse of str() for a report about `path` (cache entries store the text)."""
        if text.startswith(path + ":"):
            m = re.match(r"([1-9][0-9]*): (.*)", text[len(path) + 1 :], re.S)
            if m:
                return cls(path, int(m.group(1)), m.group(2))
            if text.startswith(path + ": "):
                return cls(path, None, text[len(path) + 2 :])
        return cls(None, None, text)


@dataclass
class Finding:
    rule: str
    severity: str
    weight: float
    message: str
    suggestion: str = ""
    start: int = 0  # offsets into Draft.text, [start, end)
    end: int = 0
    line: int = 1  # 1-based; columns in code points; end is exclusive
    column: int = 1
    end_line: int = 1
    end_column: int = 1
    region: str | None = None
    decoded: bool = False  # position counts within a decoded (base64/QP/HTML) body
    title: str = ""
    fix: Fix | None = None
    source_rule: str | None = None  # grammar: LanguageTool's rule id (EN_A_VS_AN); else None

    def sort_key(self):
        return (self.line, self.column, SEVERITY_ORDER[self.severity], self.rule)


@dataclass
class FileReport:
    path: str
    kind: str = "unknown"
    kind_source: str = "default"
    score: int | None = None
    verdict: str | None = None
    findings: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    error: Problem | None = None
    kind_evidence: list = field(default_factory=list)
    send_date: str | None = None
    text: str | None = None  # the analysed text, for showing context; never serialised

    @property
    def failed(self) -> bool:
        return any(f.severity in ("error", "warning") for f in self.findings)

    def to_dict(self) -> dict:
        if self.error is not None:
            return {"path": self.path, "error": str(self.error), "findings": []}
        out = {
            "path": self.path,
            "kind": self.kind,
            "kind_source": self.kind_source,
            "kind_evidence": list(self.kind_evidence),
            "send_date": self.send_date,
            "score": self.score,
            "verdict": self.verdict,
            "findings": [],
            "notes": list(self.notes),
        }
        for f in self.findings:
            d = asdict(f)
            d.pop("start"), d.pop("end")
            out["findings"].append(d)
        return out
