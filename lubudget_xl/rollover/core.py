"""Carry last year's recurring projects (经常性项目) into next year's records, losing nothing.

Pure: records in, records and findings out. Every finding points at the source (file and line, or
sheet and cell) so the department can see what was changed and why.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from lubudget_xl.catalog import Catalog
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Indicator, Location, ProjectTarget
from lubudget_xl.rollover.years import shift_years
from lubudget_xl.values import parse_value
from lubudget_xl.values.amounts import format_wan
from lubudget_xl.values.columns import split_value

RECURRING = "经常性项目"
ONE_OFF = "一次性项目"
FUND_FIELDS = (("funds.total", "年度资金总额"), ("funds.fiscal", "财政拨款"), ("funds.other", "其他资金"))


@dataclass
class ProjectOutcome:
    """What happened to one source project; `rows_in == rows_out` unless the project was not carried."""

    name: str
    carried: bool
    reason: str
    rows_in: int
    rows_out: int = 0
    issues: list[Issue] = field(default_factory=list)


@dataclass
class RolloverResult:
    projects: list[ProjectTarget] = field(default_factory=list)
    outcomes: list[ProjectOutcome] = field(default_factory=list)

    @property
    def issues(self) -> list[Issue]:
        return [issue for outcome in self.outcomes for issue in outcome.issues]


def _issue(code: str, severity: Severity, message: str, where: Location, project: str, **params) -> Issue:
    return Issue(code=code, severity=severity, message=message, location=where, project=project, params=params)


class _Roller:
    def __init__(self, source: ProjectTarget, target: Catalog, from_year: int, to_year: int) -> None:
        self.source = source
        self.target = target
        self.from_year = from_year
        self.to_year = to_year
        self.issues: list[Issue] = []

    def note(self, code: str, severity: Severity, message: str, where: Location, **params) -> None:
        self.issues.append(_issue(code, severity, message, where, self.source.name, **params))

    def years(self, text: str, where: Location, what: str) -> str:
        scan = shift_years(text, self.from_year, self.to_year)
        if scan.changed:
            self.note(
                "ROLLOVER_YEAR_SHIFTED",
                Severity.INFO,
                f"{what}中的预算年度 {self.from_year} 已改为 {self.to_year}:「{text}」→「{scan.text}」,请核对。",
                where,
                found=text,
                expected=scan.text,
            )
        for year in sorted(set(scan.suspect)):
            self.note(
                "ROLLOVER_YEAR_SUSPECT",
                Severity.WARNING,
                f"{what}提到 {year} 年,不是上年表的预算年度 {self.from_year} 年,未自动改动:「{text}」。"
                f"请确认{self.to_year}年应填写的内容。",
                where,
                found=year,
                expected=self.from_year,
            )
        return scan.text

    def level_pair(self, ind: Indicator) -> tuple[str, str]:
        where = ind.locations.get("row") or ind.locations.get("level3") or self.source.location("name")
        if self.target.is_pair(ind.level1, ind.level2):
            return ind.level1, ind.level2
        mapped = self.target.migrate(ind.level1, ind.level2)
        if mapped is not None:
            self.note(
                "ROLLOVER_ROW_MOVED",
                Severity.INFO,
                f"指标「{ind.level3}」按新目录由 {ind.level1}/{ind.level2} 移至 {mapped[0]}/{mapped[1]}。",
                where,
                found=f"{ind.level1}/{ind.level2}",
                expected=f"{mapped[0]}/{mapped[1]}",
            )
            return mapped
        self.note(
            "ROLLOVER_ROW_UNMAPPED",
            Severity.WARNING,
            f"指标「{ind.level3}」的 {ind.level1}/{ind.level2} 不在新目录中,也没有对应关系;已原样保留,请改选新目录的指标。",
            where,
            found=f"{ind.level1}/{ind.level2}",
        )
        return ind.level1, ind.level2

    def indicator(self, ind: Indicator) -> Indicator:
        level1, level2 = self.level_pair(ind)
        value_where = ind.locations.get("value") or self.source.location("name")
        name_where = ind.locations.get("level3") or value_where
        value = self.years(ind.value, value_where, f"指标「{ind.level3}」的指标值")
        level3 = self.years(ind.level3, name_where, "三级指标名称")
        value, sign, unit = self.columns(ind, level2, value, value_where)
        return Indicator(
            level1=level1,
            level2=level2,
            level3=level3,
            value=value,
            parsed=parse_value(value, sign, unit),
            sign=sign,
            unit=unit,
            note=ind.note,
        )

    def columns(self, ind: Indicator, level2: str, value: str, where: Location) -> tuple[str, str | None, str | None]:
        """(value, sign, unit) for the new form: a one-cell value (≥95%) goes into the sign and unit
        columns the new form has (88号 → 101号); a row that cannot be split is reported."""
        form = self.target.form
        if (ind.sign or "").strip() or (ind.unit or "").strip() or not (form["sign_column"] or form["unit_column"]):
            return value, ind.sign, ind.unit
        split = split_value(value, parse_value(value), form["sign_column"], form["unit_column"])
        if split.problem:
            usual = "≤" if level2 in self.target.settings["cost_level2"] or "成本" in level2 else "≥"
            self.note(
                "ROLLOVER_VALUE_NOT_SPLIT",
                Severity.WARNING,
                f"指标「{ind.level3}」的指标值「{value}」:{split.reason};新表式有指标值符号栏,已原样保留,"
                f"请填写符号栏(如 {usual})" + ("并把数值、单位分开填写。" if split.problem == "several_quantities" else "。"),
                where,
                found=value,
                expected="符号+数值+单位",
                reason=split.problem,
                suggested_sign=usual,
            )
        return split.value, split.sign, split.unit

    def project(self) -> ProjectTarget:
        src = self.source
        goal = self.years(src.goal, src.location("goal"), "年度目标")
        for key, label in FUND_FIELDS:
            amount = _fund(src, key)
            if amount is not None:
                self.note(
                    "ROLLOVER_FUNDS_CARRIED",
                    Severity.INFO,
                    f"{label}沿用上年({self.from_year}年)数 {format_wan(amount)} 万元,请按{self.to_year}年预算重新填写或确认。",
                    src.location(key),
                    found=amount,
                )
        competent = src.competent_department
        if not (competent or "").strip() and "competent_department" in self.target.form["header_fields"] and src.department:
            competent = src.department  # the new form asks for 主管部门; last year's did not have it
            self.note(
                "ROLLOVER_FIELD_PREFILLED",
                Severity.INFO,
                f"新表式有“主管部门”,上年表没有;已按填报单位预填“{src.department}”,请核对。",
                src.location("department"),
                found=None,
                expected=src.department,
            )
        return ProjectTarget(
            year=self.to_year,
            department=src.department,
            name=src.name,
            unit=src.unit,
            attribute=src.attribute,
            funds=copy.deepcopy(src.funds),
            goal=goal,
            indicators=[self.indicator(ind) for ind in src.indicators],
            competent_department=competent,
            period=src.period,
            extra=dict(src.extra),
        )


def _fund(project: ProjectTarget, key: str) -> float | None:
    return getattr(project.funds, key.split(".", 1)[1])


def rollover(projects: list[ProjectTarget], target: Catalog, to_year: int) -> RolloverResult:
    """Carry recurring projects into `to_year` under catalogue `target`; list the rest with reasons."""
    result = RolloverResult()
    for src in projects:
        rows = len(src.indicators)
        from_year = src.year if src.year is not None else to_year - 1
        attribute = src.attribute.strip()
        if attribute == ONE_OFF:
            issue = _issue(
                "ROLLOVER_NOT_CARRIED",
                Severity.INFO,
                f"「{src.name}」是一次性项目,不结转到{to_year}年({rows} 行指标未结转)。",
                src.location("attribute"),
                src.name,
                found=attribute,
            )
            result.outcomes.append(ProjectOutcome(src.name, False, "一次性项目", rows, 0, [issue]))
            continue
        roller = _Roller(src, target, from_year, to_year)
        if attribute != RECURRING:
            roller.note(
                "ROLLOVER_ATTRIBUTE_UNKNOWN",
                Severity.WARNING,
                f"项目属性为「{attribute or '(空)'}」,不是经常性项目或一次性项目;已按经常性项目结转,请确认。",
                src.location("attribute"),
                found=attribute,
            )
        carried = roller.project()
        result.projects.append(carried)
        reason = "经常性项目" if attribute == RECURRING else "项目属性不明,按经常性项目结转"
        result.outcomes.append(ProjectOutcome(src.name, True, reason, rows, len(carried.indicators), roller.issues))
    return result
