"""Scale rules: percentages, the satisfaction floor, and satisfaction rows in the right place."""

from __future__ import annotations

from collections.abc import Iterator

from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Indicator, ProjectTarget
from lubudget_xl.rules._registry import (
    RuleContext,
    indicator_label,
    indicator_location,
    rule,
)
from lubudget_xl.values.types import REVERSE_SIGNS, ValuePart

PERCENT_UNITS = ("%", "％", "百分比")
SATISFACTION = "满意"  # in a level-three name or value: a satisfaction rate


def percent_parts(ind: Indicator) -> list[ValuePart]:
    parts = list(ind.parsed.parts)
    if not parts:
        if ind.parsed.number is None:
            return []
        parts = [ValuePart(number=ind.parsed.number, sign=ind.parsed.sign, unit=ind.parsed.unit)]
    column_unit = (ind.unit or "").strip()
    return [p for p in parts if (p.unit or column_unit).strip() in PERCENT_UNITS]


@rule("PERCENT_RANGE", Severity.WARNING)
def percent_range(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    百分比指标值应在 0% 到 100% 之间。
    为什么:
    完成率、合格率、满意度等比率不可能超过 100%;超出多半是单位或数值录入错误。
    错误示例:
    产出指标/质量指标/会议召开次数完成率 ≥120%。
    正确示例:
    产出指标/质量指标/会议召开次数完成率 100%。
    """
    for ind in project.indicators:
        for part in percent_parts(ind):
            if 0 <= part.number <= 100:
                continue
            yield ctx.issue(
                f"百分比超出范围:{indicator_label(ind)} 的指标值“{ind.value.strip()}”为 {part.number:g}%,应在 0%~100% 之间。",
                indicator_location(project, ind),
                {"found": part.number, "expected": "0-100"},
            )


@rule("SATISFACTION_FLOOR", Severity.WARNING)
def satisfaction_floor(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    满意度指标(目录设置 satisfaction_level2)的目标值不应低于目录设置 satisfaction_floor(默认 90%)。
    只看满意度(满意率)本身;同一类别下的反向指标(如 投诉率 ≤5%)不在此列。
    这是一项政策设置(各地不同),不是法规要求。
    为什么:
    满意度目标定得过低,目标就失去约束力(88号 合理可行);多地评审以 90% 为常见下限。
    错误示例:
    满意度指标/服务对象满意度指标/服务对象满意度 ≥80%。
    正确示例:
    满意度指标/服务对象满意度指标/服务对象满意度 ≥90%。
    """
    floor = float(ctx.setting("satisfaction_floor"))
    satisfaction_l2 = ctx.setting_set("satisfaction_level2")
    for row in ctx.rows(project):
        if row.level2 not in satisfaction_l2:
            continue
        ind = row.ind
        # Only satisfaction rates: 投诉率 ≤5% under the same level two is a reverse indicator.
        if SATISFACTION not in (ind.level3 or "") + (ind.value or ""):
            continue
        for part in percent_parts(ind):
            if part.number >= floor or part.number > 100 or (part.sign or ind.sign) in REVERSE_SIGNS:
                continue
            yield ctx.issue(
                f"满意度目标偏低:{row.label} 为 {part.number:g}%,应不低于 {floor:g}%。",
                indicator_location(project, ind),
                {"found": part.number, "expected": floor},
                fix=f"≥{floor:g}%",
            )


@rule("SATISFACTION_MISPLACED", Severity.WARNING)
def satisfaction_misplaced(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    满意度(满意率,百分比)只应出现在满意度指标下,不应放在产出或效益指标中代替产出、效益。
    统计满意度调查的次数(如"满意度调查 6次")是产出,不在此列。
    为什么:
    评审常见问题:用满意度顶替效益指标,效益就没有被真正衡量;满意度另有专门的一级指标。
    错误示例:
    产出指标/质量指标/老干部满意度 ≥95%。
    正确示例:
    满意度指标/服务对象满意度指标/老干部满意度 ≥95%。
    """
    satisfaction_l2 = list(ctx.setting("satisfaction_level2") or ())
    for row in ctx.rows(project):
        ind, l1, l2 = row.ind, row.level1, row.level2
        # A satisfaction *rate* (老干部满意度 ≥95%); counting surveys (满意度调查 6次) is an output.
        if l1 is None or l2 in satisfaction_l2 or SATISFACTION not in (ind.level3 or "") or not percent_parts(ind):
            continue
        target = satisfaction_l2[0] if satisfaction_l2 else "满意度指标"
        yield ctx.issue(
            f"满意度放错了位置:{row.label} 是满意度,应移到“{target}”下,"
            f"并为“{l1}”另设真正衡量{l1[:2]}的指标。",
            indicator_location(project, ind, "level3"),
            {"found": f"{l1}/{l2 or ind.level2}", "expected": target},
            fix=target,
        )
