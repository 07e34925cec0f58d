"""A file whose 绩效指标 grid yields nothing is a failed file in consolidation, never counted as complete."""

from __future__ import annotations

import openpyxl

from lubudget_xl.consolidate import consolidate


def _form(path, with_rows: bool):
    wb = openpyxl.Workbook()
    ws = wb.active
    rows = [["某某局2021年项目支出绩效目标表"], ["项目名称", "测试项目" + path.stem], ["实施单位", "某某局"],
            ["项目资金(万元)", "年度资金总额", 10], ["年度目标", "完成测试"],
            ["绩效指标", "一级指标", "二级指标", "三级指标", "本年度指标值"]]
    rows.append(["", "产出指标", "数量指标", "培训人数", "≥100人"] if with_rows else ["", "", "", "", "", "", "培训人数 ≥100人"])
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row, start=1):
            if v != "":
                ws.cell(r, c, v)
    wb.save(path)


def test_a_grid_without_rows_fails_its_file_and_the_batch_goes_on(tmp_path):
    _form(tmp_path / "good.xlsx", True)
    _form(tmp_path / "lost.xlsx", False)
    with consolidate([tmp_path], catalog_ref="2021", jobs=1) as result:
        by_name = {o.path.rsplit("/", 1)[-1]: o for o in result.outcomes}
        assert by_name["good.xlsx"].status == "ok" and by_name["good.xlsx"].counted_rows == 1
        lost = by_name["lost.xlsx"]
        assert lost.status == "failed" and lost.counted_projects == 0
        assert "B6" in lost.reason and "没有读到任何指标行" in lost.reason
        codes = {(i["code"], (i.get("location") or {}).get("cell")) for i in result.iter_issues()}
        assert ("READ_GRID_EMPTY", "B6") in codes
