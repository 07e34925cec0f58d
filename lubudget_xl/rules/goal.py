"""Goal rules: the 年度目标 text and the indicators must tell the same story (88号 相关性)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import ProjectTarget
from lubudget_xl.rules._registry import RuleContext, rule

# A number with what follows it (so "24小时" can be shown); years (2021年) are not quantities.
NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?![\d.])(%|万元|万|元|小时|个工作日|人次|件次|年|[个人次项本份期件天家名场轮批篇条场所])?")
YEARISH = re.compile(r"^(?:19|20)\d{2}$")


def _numbers(text: str) -> set[float]:
    return {float(m.group(1)) for m in NUMBER.finditer(text or "")}


@rule("GOAL_NUMBERS", Severity.WARNING)
def goal_numbers(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    年度目标中写到的数字(如"每年2次""约10人")应在绩效指标中有对应的指标值或三级指标。年份不计。
    为什么:
    财预〔2015〕88号 相关性:年度目标是对指标的概括,目标里承诺的量要能用指标考核。
    错误示例:
    年度目标"联合近40个市政府部门开展专题调研",指标中没有 40。
    正确示例:
    增加 产出指标/数量指标/参与调研部门数 ≥40个。
    """
    goal = project.goal or ""
    if not goal.strip() or not project.indicators:
        return
    promised = [
        (match.group(1), match.group(2) or "")
        for match in NUMBER.finditer(goal)
        if not (YEARISH.match(match.group(1)) and match.group(2) == "年")
    ]
    if not promised:
        return
    # One pass over all names and values: the line breaks keep numbers apart as separate texts would.
    known = _numbers("\n".join(text or "" for ind in project.indicators for text in (ind.value, ind.level3)))
    for ind in project.indicators:
        known |= {p.number for p in ind.parsed.parts}
        if ind.parsed.number is not None:
            known.add(ind.parsed.number)
    missing: list[str] = []
    for number, after in promised:
        if float(number) in known:
            continue
        shown = number + after
        if shown not in missing:
            missing.append(shown)
    if not missing:
        return
    yield ctx.issue(
        f"年度目标中的数字在指标中找不到:{'、'.join(missing)};应为这些承诺设置相应的绩效指标。",
        project.location("goal"),
        {"found": missing, "expected": "指标中有对应数值"},
    )
