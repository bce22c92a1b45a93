"""What the checks produce and the reporters print: findings and per-file reports."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Finding:
    rule: str
    severity: str
    weight: float
    message: str
    suggestion: str = ""
    start: int = 0          # offsets into Draft.text, [start, end)
    end: int = 0
    line: int = 1           # 1-based; columns in code points; end is exclusive
    column: int = 1
    end_line: int = 1
    end_column: int = 1
    region: str | None = None
    decoded: bool = False   # position counts within a decoded (base64/QP/HTML) body
    title: str = ""
    fix: dict | None = None
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
    error: str | None = None
    kind_evidence: list = field(default_factory=list)
    send_date: str | None = None
    text: str | None = None  # the analysed text, for showing context; never serialised

    @property
    def failed(self) -> bool:
        return any(f.severity in ("error", "warning") for f in self.findings)

    def to_dict(self) -> dict:
        if self.error is not None:
            return {"path": self.path, "error": self.error, "findings": []}
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
