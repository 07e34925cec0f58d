"""Demo step: build the year's template and fill it with the sample's records."""

from __future__ import annotations

import sys
from pathlib import Path


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def template_step(context: dict) -> None:
    from lubudget_xl.catalog import load_catalog
    from lubudget_xl.cli.fill_cmd import choose_catalog
    from lubudget_xl.template import default_catalog_name, fill_workbook, template_info, write_template

    out = Path(context["out"])
    catalog = load_catalog(default_catalog_name())
    template = write_template(catalog, out / f"绩效目标表模板_{catalog.year}.xlsx")
    info = template_info(catalog)
    context["template"] = template
    _say(f"已生成 {catalog.year} 年度空白模板:{template}(指标目录 {info.catalog_version},模板版本 {info.template_version})")
    _say("  含下拉列表(一级→二级→三级指标)、资金校验、校验区和填报说明,无需启用宏。")

    records = context.get("records")
    if records is None:
        try:
            from lubudget_xl.loading import load_any

            records = load_any(context["sample"]).projects
        except (ImportError, ModuleNotFoundError):
            _say("  (尚无文本导入功能,跳过填充示例)")
            return
    if not records:
        _say("  没有可填写的项目记录,跳过填充。")
        return
    years = [p.year for p in records if p.year]
    fill_catalog = choose_catalog(None, years)
    filled = fill_workbook(records, fill_catalog, out / f"绩效目标表_已填_{fill_catalog.year}.xlsx")
    context["filled"] = filled
    rows = sum(len(p.indicators) for p in records)
    _say(f"已把 {len(records)} 个项目、{rows} 行指标填入 {fill_catalog.year} 年度表式:{filled}(每个项目一张工作表)")
