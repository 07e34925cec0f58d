"""What a rule (or a reader) finds: an `Issue` is a value, never an exception (STYLE.md §3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from lubudget_xl.model import Location


class Severity(StrEnum):
    """error: the bureau returns the table; warning: a reviewer would ask; info: style."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True)
class Issue:
    code: str
    severity: Severity
    message: str
    location: Location
    project: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    fix: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "params": dict(self.params),
            "location": self.location.to_dict(),
            "project": self.project,
            "fix": self.fix,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Issue:
        return cls(
            code=d["code"],
            severity=Severity(d["severity"]),
            message=d["message"],
            location=Location.from_dict(d["location"]),
            project=d.get("project"),
            params=dict(d.get("params", {})),
            fix=d.get("fix"),
        )
