"""One file's copies of one project (a copied sheet not renamed) as findings for `lubudget check`.

The consolidator finds the same copies across the whole batch (`consolidate.across`) and counts
one of them; here the department sees them before it submits. The first copy is the one a
consolidation counts, so the finding sits on every later copy and names every place.
"""

from __future__ import annotations

from collections.abc import Sequence

from lubudget_xl.duplicates import differs_in_writing, duplicate_groups, project_key, similar_pairs
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Location, ProjectTarget


def place(location: Location) -> str:
    """'sheet'!B4, or 第18行, or the file name: where a person finds the copy in its file."""
    if location.sheet:
        return f"'{location.sheet}'!{location.cell}" if location.cell else f"'{location.sheet}'"
    if location.line:
        return f"第{location.line}行"
    return location.file


def file_duplicate_issues(projects: Sequence[ProjectTarget]) -> list[Issue]:
    """FILE_DUPLICATE_PROJECT on each later copy of a project; FILE_SIMILAR_PROJECT on near-identical names."""
    keys = [project_key(p.name, p.unit, p.department) for p in projects]
    issues: list[Issue] = []
    for group in duplicate_groups(keys):
        first = projects[group[0]]
        places = [place(projects[i].location("name")) for i in group]
        written = "(名称写法略有不同:全角/半角或空格)" if differs_in_writing([projects[i].name for i in group]) else ""
        unit = first.unit or first.department
        for n in group[1:]:
            copy = projects[n]
            issues.append(Issue(
                code="FILE_DUPLICATE_PROJECT",
                severity=Severity.ERROR,
                message=f"同一项目“{first.name.strip()}”(实施单位 {unit})在本文件中填写了 {len(group)} 次{written}:"
                f"{'、'.join(places)};汇总时只计入第一份({places[0]}),此处 {len(copy.indicators)} 行指标不计入。"
                "复制的项目表请改填新项目的名称,或删除重复的表。",
                location=copy.location("name"),
                project=copy.name or None,
                params={"found": places, "expected": "每个项目只填一份", "kept": places[0],
                        "rows": len(copy.indicators)},
            ))  # fmt: skip
    for i, j in similar_pairs(keys):
        a, b = projects[i], projects[j]
        where_a, where_b = place(a.location("name")), place(b.location("name"))
        issues.append(Issue(
            code="FILE_SIMILAR_PROJECT",
            severity=Severity.WARNING,
            message=f"项目名称“{b.name.strip()}”({where_b})与“{a.name.strip()}”({where_a})只差一个字,"
            "实施单位相同;若是同一项目请合并为一份,若是不同项目请确认名称。",
            location=b.location("name"),
            project=b.name or None,
            params={"found": [a.name, b.name], "expected": "名称不同的不同项目,或只填一份", "places": [where_a, where_b]},
        ))  # fmt: skip
    return issues
