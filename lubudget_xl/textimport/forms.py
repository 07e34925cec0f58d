"""Tables that look like a target form but are not one: refused with a message saying what they are.

- 部门整体支出绩效目标表: a whole department's budget and duties, no project;
- 绩效自评表: the year's execution scored against the targets (实际完成值, 全年执行数, 自评得分 …);
- a spending list or budget table, where 项目名称 heads a column (金额, 合计, 功能科目 … beside it).
Importing them would put a department's budget or last year's results into the master as targets.
"""

from __future__ import annotations

import re

DEPARTMENT_OVERALL, SELF_EVALUATION, BUDGET_TABLE = "department_overall", "self_evaluation", "budget_table"

_SPACE = re.compile(r"[\s\u3000|]+")
_DEPARTMENT_OVERALL = re.compile(r"(?:部门|单位)?整体(?:支出)?绩效目标")
_SELF_EVALUATION = re.compile(r"绩效(?:目标)?自评|自评表|绩效评价表")
_TARGET_TITLE = re.compile(r"项目(?:支出)?(?:预算)?绩效目标(?:申报|批复|审核)?表")
_SELF_LABELS = ("实际完成值", "全年执行数", "自评得分", "预算执行率", "全年实际完成", "未完成原因", "偏差原因")
# Column headings of spending lists and budget tables that may stand beside 项目名称 on its row.
_LIST_HEADINGS = (
    "金额", "合计", "功能分类科目", "功能科目", "支出功能分类", "科目编码", "科目名称", "单位名称", "项目类别",
    "预算数", "资金来源", "序号", "经济分类科目", "本年预算", "年初预算", "资金性质", "支出类型", "项目类型",
)

MESSAGES = {
    DEPARTMENT_OVERALL: "不是项目绩效目标表:这是部门整体支出绩效目标表(整个部门的资金和履职目标,没有逐个项目),"
    "无法作为项目导入",
    SELF_EVALUATION: "不是项目绩效目标表:这是绩效自评表(年度执行后的{found}等自评内容),请导入项目支出绩效目标表",
    BUDGET_TABLE: "不是项目绩效目标表(第{line}行的项目名称是表格的列标题,同一行还有“{found}”等列标题,"
    "像是预算表或支出明细表),无法导入",
}


def foreign_form(text: str) -> tuple[str, str] | None:
    """(kind, what was found) when `text` is a 部门整体 or 自评 table and holds no project target form."""
    plain = _SPACE.sub("", text).replace("（", "(").replace("）", ")")
    if _TARGET_TITLE.search(_SELF_EVALUATION.sub("#", plain)):
        return None
    labels = [label for label in _SELF_LABELS if label in plain]
    title = _SELF_EVALUATION.search(plain)
    if title or len(labels) >= 2:
        return SELF_EVALUATION, "、".join(f"“{x}”" for x in labels[:3]) or f"“{title.group() if title else ''}”"
    found = _DEPARTMENT_OVERALL.search(plain)
    if found:
        return DEPARTMENT_OVERALL, found.group()
    return None


def list_heading(texts: list[str]) -> str | None:
    """The column heading of a spending list among the texts beside 项目名称 on its row, or None.

    A glued row (项目名称金额合计…) counts when its value starts with such a heading."""
    for text in texts:
        plain = _SPACE.sub("", text)
        for heading in _LIST_HEADINGS:
            if plain == heading or (plain.startswith(heading) and _another_heading(plain[len(heading) :])):
                return heading
    return None


def _another_heading(rest: str) -> bool:
    return any(rest.startswith(h) for h in _LIST_HEADINGS) or rest.startswith(("(万元)", "(元)"))
