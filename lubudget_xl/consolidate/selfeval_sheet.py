"""The master book's 绩效自评 sheets: 自评汇总 (one row per counted self-evaluation) and 自评部门汇总
(per department: counts, sums, averages, grades), written only when the batch holds 自评表.

The rows come from the `selfeval` summary each worker put into its 项目清单 rows (see
`selfeval.summary`), streamed back from the spool like 项目清单 itself, so a batch of thousands of
self-evaluations costs the parent one small tuple per project. The reconciliation lines returned
here go into 汇总说明: projects in 自评汇总 = the departments' counts added up = the grades added up.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from lubudget_xl.consolidate.across import Consolidation
from lubudget_xl.consolidate.xlsxfast import INT, MONEY, NUMBER, TEXT, FastBook

SHEET_SELFEVAL, SHEET_SELFEVAL_DEPARTMENTS = "自评汇总", "自评部门汇总"
GRADES = ("优", "良", "中", "差")
PROJECT_COLUMNS = (
    ("部门", TEXT, 24), ("项目名称", TEXT, 40), ("全年预算数(万元)", MONEY, 16), ("全年执行数(万元)", MONEY, 16),
    ("执行率(%)", NUMBER, 11), ("分值合计", NUMBER, 10), ("自评总分", NUMBER, 10), ("复核得分", NUMBER, 10),
    ("等级", TEXT, 6), ("指标行数", INT, 10), ("未达成指标行数", INT, 14), ("来源文件", TEXT, 50), ("工作表", TEXT, 24),
    ("单元格", TEXT, 8),
)  # fmt: skip
DEPARTMENT_COLUMNS = (
    ("部门", TEXT, 28), ("自评项目数", INT, 11), ("全年预算数(万元)", MONEY, 16), ("全年执行数(万元)", MONEY, 16),
    ("平均执行率(%)", NUMBER, 14), ("平均自评总分", NUMBER, 13), ("平均复核得分", NUMBER, 13),
    *((f"{g}(个)", INT, 7) for g in GRADES),
)  # fmt: skip


def _pct(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 2)


def _mean(values: Sequence[float | None]) -> float | None:
    found = [v for v in values if v is not None]
    return round(sum(found) / len(found), 2) if found else None


def selfeval_rows(c: Consolidation) -> list[tuple]:
    """One 自评汇总 row per counted self-evaluation, in input order."""
    rows = []
    for _, p in c.iter_counted("projects"):
        s: dict[str, Any] | None = p.get("selfeval")
        if not s:
            continue
        where = p.get("name_loc") or {}
        rows.append((p["department"], p["name"], s["budget"], s["executed"], _pct(s["rate"]), s["weights"],
                     s["stated_total"], s["computed_total"], s["grade"], s["rows"], s["missed"],
                     p["source_file"] or where.get("file", ""), where.get("sheet"), where.get("cell")))
    return rows


def department_rows(rows: Sequence[tuple]) -> list[tuple]:
    """自评部门汇总: per department (first-seen order) counts, sums, averages and grade counts."""
    groups: dict[str, list[tuple]] = defaultdict(list)
    for row in rows:
        groups[row[0]].append(row)
    out = []
    for department, items in groups.items():
        grades = Counter(r[8] for r in items)
        out.append((department, len(items), round(sum(r[2] or 0 for r in items), 4), round(sum(r[3] or 0 for r in items), 4),
                    _mean([r[4] for r in items]), _mean([r[6] for r in items]), _mean([r[7] for r in items]),
                    *(grades.get(g, 0) for g in GRADES)))
    return out


def _totals(rows: Sequence[tuple], departments: Sequence[tuple]) -> list[object]:
    return ["合计", sum(d[1] for d in departments), round(sum(d[2] for d in departments), 4),
            round(sum(d[3] for d in departments), 4), _mean([r[4] for r in rows]), _mean([r[6] for r in rows]),
            _mean([r[7] for r in rows]), *(sum(d[7 + n] for d in departments) for n in range(len(GRADES)))]


def add_selfeval_sheets(book: FastBook, c: Consolidation, written: dict[str, int]) -> list[tuple[str, object]]:
    """Write the two sheets when there is any self-evaluation; returns the 汇总说明 lines (else none)."""
    rows = selfeval_rows(c)
    if not rows:
        return []
    departments = department_rows(rows)
    totals = _totals(rows, departments)

    def add(name: str, table: str, columns: Sequence[tuple], data: Sequence[tuple], **kw: Any) -> int:
        return book.add_table(name, table, [h for h, _, _ in columns], [k for _, k, _ in columns],
                              [w for _, _, w in columns], data, **kw)

    written[SHEET_SELFEVAL] = add(SHEET_SELFEVAL, "SelfEvaluations", PROJECT_COLUMNS, rows)
    written[SHEET_SELFEVAL_DEPARTMENTS] = add(SHEET_SELFEVAL_DEPARTMENTS, "SelfEvaluationDepartments",
                                              DEPARTMENT_COLUMNS, departments, totals=totals)
    grades = Counter(r[8] for r in rows)
    return [
        ("计入“自评汇总”的自评项目数", written[SHEET_SELFEVAL]),
        ("“自评部门汇总”的部门数", written[SHEET_SELFEVAL_DEPARTMENTS]),
        ("“自评部门汇总”的自评项目数合计", totals[1]),
        ("自评等级 优/良/中/差(按复核得分)", " / ".join(str(grades.get(g, 0)) for g in GRADES)),
    ]
