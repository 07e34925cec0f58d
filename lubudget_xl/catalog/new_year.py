"""A new budget year starts with its catalogue: `lubudget catalog new --year 2023 [--from 2022]`.

Next year's catalogue is last year's carried on: same tree, lists, form and settings, the year and
title moved on, revision 1, `supersedes` naming its source and an identity `migration` (every pair
maps to itself, so rollover and `catalog diff` see an unchanged tree). Its suggested 三级指标 are the
curated lists drawn from many bureaus' published tables (`suggestions`), the source noted. It is checked like any
catalogue before it is written, and written to the maintainer's folder (`core.maintainer_folder`),
where `check`, `consolidate`, `template build` and `rollover` find it by name.

Without it a year has no catalogue, and a workbook of that year used to be checked with the newest
one and every department told READ_TEMPLATE_YEAR. `missing_year_issue` says it once instead, to the
reviewer, with the command that fixes it.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lubudget_xl.catalog.core import Catalog, builtin_names, load_catalog, maintainer_folder, refuse_if_broken
from lubudget_xl.errors import UserError
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Location

MISSING_YEAR_CODE = "CATALOG_YEAR_MISSING"


def has_catalogue(year: int | None) -> bool:
    """Whether a catalogue is known by the year's plain name ("2023")."""
    return year is not None and str(year) in builtin_names()


def default_source(year: int) -> str:
    """The catalogue a new year starts from: last year's plain name, else the newest earlier one."""
    names = builtin_names()
    if str(year - 1) in names:
        return str(year - 1)
    earlier = [(load_catalog(n).year, load_catalog(n).data["revision"], n) for n in names]
    earlier = [e for e in earlier if e[0] < year]
    if not earlier:
        raise UserError(f"没有早于 {year} 年的指标目录可以沿用;请用 --from 指定目录名或 JSON 文件")
    return max(earlier)[2]


def new_year_data(source: Catalog, source_name: str, year: int) -> dict[str, Any]:
    """Next year's catalogue data from `source` (unchanged tree, identity migration)."""
    if year <= source.year:
        raise UserError(f"新年度 {year} 应晚于来源目录的年度 {source.year}(来源 {source_name})")
    data = copy.deepcopy(source.data)
    old = str(source.year)
    data["$schema"] = "../../schemas/catalog.schema.json"  # as in catalog/data/: where it ships
    data["year"] = year
    data["revision"] = 1
    data["supersedes"] = source_name
    data["title"] = re.sub(rf"(?<!\d){old}(?=年)", str(year), source.title, count=1)
    if data["title"] == source.title:
        data["title"] = f"{year}年{source.title}"
    data["title"] = re.sub(r",沿用\d{4}年\)$", f",沿用{source.year}年)", data["title"])
    note = f"{year}年沿用 {source.version}(指标体系不变,由 lubudget catalog new 生成)"
    data["sources"] = [*source.data.get("sources", []), note]
    data["migration"] = [
        {"from": {"level1": l1, "level2": l2}, "to": {"level1": l1, "level2": l2}} for l1, l2 in source.pairs()
    ]
    from lubudget_xl.catalog.suggestions import apply_suggestions

    apply_suggestions(data, Catalog(data=copy.deepcopy(data)))  # suggestions that fit every bureau
    return data


def write_new_year(year: int, from_name: str | None = None, output: Path | None = None) -> tuple[Path, Catalog]:
    """Write next year's catalogue (to `output`, else `<maintainer folder>/<year>.json`) and return it
    loaded. Refuses to overwrite: a catalogue, once issued with a template, is never edited."""
    source_name = from_name or default_source(year)
    source = load_catalog(source_name)
    name = source_name if source_name in builtin_names() else Path(source_name).stem
    data = new_year_data(source, name, year)
    target = output or maintainer_folder() / f"{year}.json"
    if output is None and str(year) in builtin_names():
        raise UserError(f"已有 {year} 年的指标目录 {year}(lubudget catalog list);修订请另存新文件并提高 revision")
    if target.exists():
        raise UserError(f"{target}: 文件已存在,不覆盖;已发布的目录不得修改,请删除后重试或用 -o 另取文件名")
    refuse_if_broken(data, str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    from lubudget_xl.fsutil import write_text_atomic

    write_text_atomic(target, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return target, load_catalog(target)


def missing_year_issue(year: int, files: Sequence[str], fallback: Catalog | None) -> Issue:
    """One batch-level error for the reviewer: the year has no catalogue, and how to make it."""
    shown = "、".join(Path(f).name for f in files[:3]) + (f" 等 {len(files)} 个文件" if len(files) > 3 else "")
    used = f"已暂按 {fallback.year} 年目录({fallback.version})校验," if fallback is not None else ""
    return Issue(
        code=MISSING_YEAR_CODE,
        severity=Severity.ERROR,
        message=f"没有 {year} 年的指标目录:{shown} 是 {year} 年度的表,{used}结果仅供参考。"
        f"这不是填报单位的问题,请审核人(模板维护人)先运行 lubudget catalog new --year {year} 建立该年度目录,"
        "再重新校验或汇总。",
        location=Location(file=files[0]),
        params={"found": year, "expected": f"{year} 年的指标目录", "files": list(files),
                "fix_command": f"lubudget catalog new --year {year}"},
        fix=f"lubudget catalog new --year {year}",
    )  # fmt: skip
