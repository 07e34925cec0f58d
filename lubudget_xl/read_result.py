"""What reading one source gave: a leaf module, so the readers need not import their dispatcher."""

from __future__ import annotations

from dataclasses import dataclass, field

from lubudget_xl.issues import Issue
from lubudget_xl.model import ProjectTarget, TemplateInfo


@dataclass
class ReadResult:
    """What one source file gave: its projects, and the problems met while reading it."""

    file: str
    projects: list[ProjectTarget] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    template: TemplateInfo | None = None

    @property
    def rows_read(self) -> int:
        return sum(len(p.indicators) for p in self.projects)
