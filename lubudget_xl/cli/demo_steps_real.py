"""Demo step: read two real forms published by other provinces (text and a workbook laid out as
published), through the same form vocabulary as the seed."""

from __future__ import annotations

import sys
from importlib import resources
from typing import Any

from lubudget_xl.errors import UserError
from lubudget_xl.loading import load_any

REAL_SAMPLES = ("real_hunan_hengyang_nanyue_2018.txt", "real_neimenggu_wuhai_2021.xlsx")


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def step_real_forms(context: dict[str, Any]) -> None:
    from lubudget_xl.records import write_records

    read = []
    for name in REAL_SAMPLES:
        with resources.as_file(resources.files("lubudget_xl.samples").joinpath(name)) as path:
            try:
                result = load_any(path)
            except UserError as err:
                _say(f"  {name}:未能读取({err})")
                continue
        for project in result.projects:
            funds = project.funds
            _say(f"  {name}:项目“{project.name}”,实施单位 {project.unit or '-'},{project.year or '-'}年,"
                 f"资金总额 {funds.total if funds.total is not None else '-'} 万元"
                 f"(财政拨款 {funds.fiscal if funds.fiscal is not None else '-'}),{len(project.indicators)} 行指标")
        chosen = [i.message for i in result.issues if i.code in ("READ_CATALOG_CHOSEN", "IMPORT_CATALOG_CHOSEN")]
        for message in chosen:
            _say(f"    {message}")
        read.extend(result.projects)
    path = context["out"] / "real_forms_records.json"
    write_records(read, path)
    _say(f"记录文件:{path}")
