"""The canonical record: one `ProjectTarget` per project table (DESIGN.md §3).

Every importer produces it and every consumer takes it. Each field keeps where it came from
(`Location`), so rules and reports never compute coordinates themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lubudget_xl.values.types import ParsedValue

SCHEMA_VERSION = "1.0"

# Keys used in `ProjectTarget.locations` and `Indicator.locations`.
HEADER_FIELDS = (
    "department",
    "year",
    "name",
    "unit",
    "competent_department",
    "attribute",
    "period",
    "funds.total",
    "funds.fiscal",
    "funds.other",
    "goal",
)
# Chinese labels of the header fields, as the printed form shows them (messages and reports use these).
FIELD_LABELS = {
    "department": "填报单位",
    "year": "年度",
    "name": "项目名称",
    "unit": "实施单位",
    "competent_department": "主管部门",
    "attribute": "项目属性",
    "period": "项目期",
    "funds.total": "年度资金总额",
    "funds.fiscal": "其中:财政拨款",
    "funds.other": "其他资金",
    "goal": "年度目标",
}
INDICATOR_FIELDS = ("row", "level1", "level2", "level3", "value", "sign", "unit", "note")
@dataclass(frozen=True)
class Location:
    """Where a field came from, as the user sees it: file, sheet and A1 cell, or line of a text."""

    file: str
    sheet: str | None = None
    cell: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        if self.sheet is not None:
            where = f"'{self.sheet}'!{self.cell}" if self.cell else f"'{self.sheet}'"
            return f"{self.file} {where}"
        if self.line is not None:
            return f"{self.file}:{self.line}"
        return self.file

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "cell": self.cell, "line": self.line}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Location:
        return cls(file=d["file"], sheet=d.get("sheet"), cell=d.get("cell"), line=d.get("line"))


def _locs_to_dict(locs: dict[str, Location]) -> dict[str, Any]:
    return {k: v.to_dict() for k, v in locs.items()}


def _locs_from_dict(d: dict[str, Any]) -> dict[str, Location]:
    return {k: Location.from_dict(v) for k, v in d.items()}


@dataclass
class Funds:
    """项目资金 in 万元. `extra` holds further fund rows a form may have (上年结转, 中央/市级/区级 …)."""

    total: float | None = None
    fiscal: float | None = None
    other: float | None = None
    extra: dict[str, float | None] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "fiscal": self.fiscal, "other": self.other, "extra": dict(self.extra)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Funds:
        return cls(total=d.get("total"), fiscal=d.get("fiscal"), other=d.get("other"), extra=dict(d.get("extra", {})))


@dataclass
class Indicator:
    """One row of the 绩效指标 grid.

    `sign` and `unit` are the separate 指标值符号/计量单位 columns where a form has them (else None);
    `parsed` is the value as the `values` parser understood it (sign and unit columns included).
    """

    level1: str
    level2: str
    level3: str
    value: str
    parsed: ParsedValue
    sign: str | None = None
    unit: str | None = None
    note: str | None = None
    locations: dict[str, Location] = field(default_factory=dict)
    # What the form printed beyond the record's fields, under the printed heading: a level name as
    # printed where it was mapped onto the catalogue ("一级指标(原文)": "效果指标"), 分值, 绩效标准 …
    extra: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "level1": self.level1,
            "level2": self.level2,
            "level3": self.level3,
            "value": self.value,
            "sign": self.sign,
            "unit": self.unit,
            "note": self.note,
            "parsed": self.parsed.to_dict(),
            "locations": _locs_to_dict(self.locations),
        }
        if self.extra:
            out["extra"] = dict(self.extra)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Indicator:
        return cls(
            level1=d["level1"],
            level2=d["level2"],
            level3=d["level3"],
            value=d["value"],
            sign=d.get("sign"),
            unit=d.get("unit"),
            note=d.get("note"),
            parsed=ParsedValue.from_dict(d["parsed"]),
            locations=_locs_from_dict(d.get("locations", {})),
            extra=dict(d.get("extra", {})),
        )


@dataclass
class TemplateInfo:
    """Identity of the template a workbook was filled in (DESIGN.md §6); None for text sources."""

    template_id: str
    year: int
    catalog_version: str
    template_version: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "template_id": self.template_id,
            "year": self.year,
            "catalog_version": self.catalog_version,
            "template_version": self.template_version,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TemplateInfo:
        return cls(d["template_id"], int(d["year"]), d["catalog_version"], d["template_version"])


@dataclass
class ProjectTarget:
    """One project's performance target table.

    `department` is the 填报单位 of the title (e.g. 六安市人民政府办公室); `unit` is 实施单位.
    `extra` keeps header rows the form has beyond the known ones (项目来源, 中期资金 …), by label.
    `carried` lists fund fields (HEADER_FIELDS keys) a rollover copied from last year's table, with the
    amount copied: while a field still holds that amount, a rule asks the department to confirm it.
    """

    year: int | None
    department: str
    name: str
    unit: str = ""
    attribute: str = ""
    funds: Funds = field(default_factory=Funds)
    goal: str = ""
    indicators: list[Indicator] = field(default_factory=list)
    competent_department: str | None = None
    period: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    template: TemplateInfo | None = None
    source_file: str = ""
    locations: dict[str, Location] = field(default_factory=dict)
    carried: dict[str, float] = field(default_factory=dict)

    def location(self, key: str) -> Location:
        """The location of a header field, or the source file when the field was never seen."""
        return self.locations.get(key) or Location(file=self.source_file)

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "department": self.department,
            "name": self.name,
            "unit": self.unit,
            "competent_department": self.competent_department,
            "attribute": self.attribute,
            "period": self.period,
            "funds": self.funds.to_dict(),
            "goal": self.goal,
            "extra": dict(self.extra),
            "template": self.template.to_dict() if self.template else None,
            "source_file": self.source_file,
            "locations": _locs_to_dict(self.locations),
            "carried": dict(self.carried),
            "indicators": [i.to_dict() for i in self.indicators],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ProjectTarget:
        return cls(
            year=d.get("year"),
            department=d["department"],
            name=d["name"],
            unit=d.get("unit", ""),
            competent_department=d.get("competent_department"),
            attribute=d.get("attribute", ""),
            period=d.get("period"),
            funds=Funds.from_dict(d.get("funds", {})),
            goal=d.get("goal", ""),
            extra=dict(d.get("extra", {})),
            template=TemplateInfo.from_dict(d["template"]) if d.get("template") else None,
            source_file=d.get("source_file", ""),
            locations=_locs_from_dict(d.get("locations", {})),
            carried={k: float(v) for k, v in d.get("carried", {}).items()},
            indicators=[Indicator.from_dict(i) for i in d.get("indicators", [])],
        )
