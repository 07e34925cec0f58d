"""Tables that look like a target form but are not one: refused with a message saying what they are.

- 部门整体支出绩效目标表: a whole department's budget and duties, no project;
- 绩效自评表: the year's execution scored against the targets (实际完成值, 全年执行数, 自评得分 …);
- a spending list or budget table, where 项目名称 heads a column (金额, 合计, 功能科目 … beside it).
Importing them would put a department's budget or last year's results into the master as targets.
"""

from __future__ import annotations

import re

from lubudget_xl.catalog.vocabulary import vocabulary

DEPARTMENT_OVERALL, SELF_EVALUATION, BUDGET_TABLE = "department_overall", "self_evaluation", "budget_table"

_SPACE = re.compile(r"[\s\u3000|]+")
_DEPARTMENT_OVERALL = re.compile(r"(?:部门|单位)?整体(?:支出)?绩效目标")
_SELF_EVALUATION = re.compile(r"绩效(?:目标)?自评|自评表|绩效评价表")
_TARGET_TITLE = re.compile(r"项目(?:支出)?(?:预算)?绩效目标(?:申报|批复|审核)?表")

MESSAGES = {
    DEPARTMENT_OVERALL: "不是项目绩效目标表:这是部门整体支出绩效目标表(整个部门的资金和履职目标,没有逐个项目),"
    "无法作为项目导入",
    SELF_EVALUATION: "不是项目绩效目标表:这是绩效自评表(年度执行后的{found}等自评内容),请导入项目支出绩效目标表",
    BUDGET_TABLE: "不是项目绩效目标表(第{line}行的{label}是表格的列标题,同一行还有“{found}”等列标题,"
    "像是预算表或支出明细表),无法导入",
}


FORM_NAMES = {DEPARTMENT_OVERALL: "部门整体支出绩效目标表", SELF_EVALUATION: "绩效自评表"}
_PROSE = re.compile(r"[,，。;；“”‘’\"《》]")
_TITLE_LENGTH = 60  # a title starts its line; prose that mentions 绩效自评表 further on is not one


def title_kind(text: str) -> str | None:
    """The kind of form a title-like line names ("target", "department_overall", "self_evaluation")."""
    plain = _SPACE.sub("", text)
    end = plain.find("表", 0, _TITLE_LENGTH)
    if end < 0 or _PROSE.search(plain, 0, end):
        return None  # no title, or a sentence that names a form (要及时上报“项目支出绩效自评表”)
    return vocabulary().form_kind(plain[: end + 1])  # flattened text: the title starts the line


def set_aside_other_forms(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """`text` with the lines of 部门整体 and 自评 tables blanked, and (first line, last line, kind) of each.

    A department's publication often holds its project target forms and its 部门整体 table one after
    the other: the other table runs from its title to the next target form's title (or the end)."""
    lines = text.split("\n")
    spans: list[tuple[int, int, str]] = []
    for number, line in enumerate(lines, start=1):
        kind = title_kind(line)
        open_span = bool(spans) and spans[-1][1] == len(lines)
        if kind in FORM_NAMES and not open_span:
            spans.append((number, len(lines), kind))
        elif kind == "target" and open_span:
            spans[-1] = (spans[-1][0], number - 1, spans[-1][2])
    for first, last, _kind in spans:
        lines[first - 1 : last] = [""] * (last - first + 1)
    return "\n".join(lines), spans


def foreign_form(text: str) -> tuple[str, str] | None:
    """(kind, what was found) when `text` is a 部门整体 or 自评 table and holds no project target form.

    A file holding a target form beside such a table is imported: the importer leaves the other
    table's lines out and says so (IMPORT_OTHER_FORM)."""
    plain = _SPACE.sub("", text).replace("（", "(").replace("）", ")")
    if _TARGET_TITLE.search(_SELF_EVALUATION.sub("#", plain)):
        return None
    if any(title_kind(line) == "target" for line in text.splitlines()):
        return None
    labels = [label for label in _self_labels() if label in plain]
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
        for heading in _list_headings():
            if plain == heading or (plain.startswith(heading) and _another_heading(plain[len(heading) :])):
                return heading
    return None


def _another_heading(rest: str) -> bool:
    return any(rest.startswith(h) for h in _list_headings()) or rest.startswith(("(万元)", "(元)"))


def _list_headings() -> list[str]:
    """Column headings of spending lists and budget tables (金额, 合计, 功能科目 …), from the vocabulary."""
    return vocabulary().variants("forms")["list_headings"]


def _self_labels() -> list[str]:
    """The self-evaluation form's own column labels long enough to search running text for (not 得分)."""
    return [label for label in vocabulary().variants("forms")["self_evaluation_labels"] if len(label) >= 4]


# What heads the first column of a 部门预算 table (收支总表, 财政拨款支出表 …) instead of 项目名称.
_BUDGET_FIRST = ("项目", "科目名称", "功能分类科目名称", "支出功能分类科目", "收入项目", "支出项目")


def budget_heading(rows: list[tuple[int, list[str]]]) -> tuple[int, str, str] | None:
    """(line, first heading, heading beside it) of a budget table's column-heading row, or None.

    A 部门预算 table has no 项目名称 at all: `项目 | 预算数 | 项目 | 合计 | 一般公共预算 …`."""
    for number, texts in rows:
        cells = [_SPACE.sub("", t) for t in texts if _SPACE.sub("", t)]
        if len(cells) < 2 or cells[0] not in _BUDGET_FIRST:
            continue
        beside = next((c for c in cells[1:] if vocabulary().is_list_heading(c)), None)
        if beside:
            return number, cells[0], beside
    return None
