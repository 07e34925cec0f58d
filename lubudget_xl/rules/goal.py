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
# A document number: 财预〔2021〕101号, 皖政办〔2022〕5号, [2021]12号, (2020)第3号. Its digits are no promise.
DOC_NUMBER = re.compile(r"[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d+\s*号")
DIGITS = re.compile(r"\d+(?:\.\d+)?")


def _name_numbers(name: str) -> dict[str, set[tuple[str, str]]]:
    """Numbers written in the project's name, each with the characters around it ("第2批" → 第, 批)."""
    found: dict[str, set[tuple[str, str]]] = {}
    for m in DIGITS.finditer(name or ""):
        before = name[m.start() - 1] if m.start() else ""
        after = name[m.end()] if m.end() < len(name) else ""
        found.setdefault(m.group(), set()).add((before, after))
    return found


def _from_name(text: str, match: re.Match[str], in_name: dict[str, set[tuple[str, str]]]) -> bool:
    """Whether the number `match` in the goal is the project's name speaking (12345热线, 第2批).

    A long number (3 digits or more) in the name is an identifier wherever the goal repeats it; a
    short one only where it stands as in the name (same character before or after), so "第2批" in
    the name does not hide a promise of "2次" in the goal."""
    number = match.group(1)
    if number not in in_name:
        return False
    if len(number) >= 3:
        return True
    before = text[match.start(1) - 1] if match.start(1) else ""
    after = text[match.end(1)] if match.end(1) < len(text) else ""
    return any((b and b == before) or (a and a == after) for b, a in in_name[number])


def _numbers(text: str) -> set[float]:
    return {float(m.group(1)) for m in NUMBER.finditer(text or "")}


@rule("GOAL_NUMBERS", Severity.WARNING)
def goal_numbers(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    年度目标中写到的数字(如"每年2次""约10人")应在绩效指标中有对应的指标值或三级指标。
    年份、序数(第2批)、文号(财预〔2021〕101号)和项目名称中的数字(12345政务服务便民热线)不计。
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
    # Document numbers are blanked (same length, so positions stay); ordinals and the name's numbers skipped.
    text = DOC_NUMBER.sub(lambda m: " " * len(m.group()), goal)
    in_name = _name_numbers(project.name)
    promised = [
        (match.group(1), match.group(2) or "")
        for match in NUMBER.finditer(text)
        if not (YEARISH.match(match.group(1)) and match.group(2) == "年")
        and not (match.start() and text[match.start() - 1] == "第")
        and not _from_name(text, match, in_name)
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
