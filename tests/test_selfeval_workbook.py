"""绩效自评 end to end on real files: the seed's 2021 targets → the 自评表 workbook → a department's
filled copy → exactly the expected findings and scores; the native formulas evaluated by LibreOffice
agree with the Python scoring; 30 self-evaluations consolidate with every count reconciling."""

from __future__ import annotations

import shutil
import subprocess

import openpyxl
import pytest
from conftest import SEED, run_cli

from lubudget_xl.catalog import load_catalog
from lubudget_xl.checking import check_file
from lubudget_xl.errors import UserError
from lubudget_xl.loading import load_any
from lubudget_xl.records import read_records
from lubudget_xl.rules import RuleContext, check_projects
from lubudget_xl.selfeval import SelfEvaluation
from lubudget_xl.selfeval.samples import fill_workbook_met, project_sheets, write_selfeval_batch
from lubudget_xl.selfeval.summary import summarize

P1 = "市长热线工作经费"  # 8 rows: D14..D21, 总分 row 22
P3 = "四最营商环境、四送一服双千工程"  # 10 rows: D14..D23, 总分 row 24


@pytest.fixture(scope="module")
def catalog():
    return load_catalog("2021")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("selfeval") / "自评表_2021.xlsx"
    done = run_cli("selfeval", "build", str(SEED), "-o", str(out))
    assert done.returncode == 0, done.stderr.decode()
    assert "10 个项目、113 行指标" in done.stderr.decode()
    return out


def test_the_seed_targets_become_the_selfeval_form(built):
    wb = openpyxl.load_workbook(built)
    sheets = project_sheets(wb)
    assert len(sheets) == 10 and sheets[0] == P1
    assert wb.sheetnames[10:] == ["自评来源", "自评选项", "模板信息"]
    assert all(wb[n].sheet_state == "hidden" for n in wb.sheetnames[10:])
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props["LubudgetTemplateId"] == "lubudget-se" and props["LubudgetYear"] == 2021
    ws = wb[P1]
    assert (ws["A1"].value, ws["A2"].value, ws["B4"].value) == ("项目支出绩效自评表", "(2021年度)", P1)
    assert [ws.cell(6, c).value for c in range(4, 10)] == ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    assert [ws.cell(r, 2).value for r in range(7, 11)] == ["年度资金总额", "其中:当年财政拨款", "上年结转资金", "其他资金"]
    assert ws["D7"].value == 156 and ws["G7"].value == 10  # 年初预算数 from the targets; 预算执行率 10 分
    assert (ws["B11"].value, ws["F11"].value) == ("预期目标", "实际完成情况")
    assert ws["B12"].value.startswith("通过本项目的实施")
    assert [ws.cell(13, c).value for c in range(2, 10)] == [
        "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    assert (ws["D15"].value, ws["E15"].value) == ("接线外包人数", "接线外包人数≥24")
    # 10号 weights spread over each level's rows: 产出 5 rows × 10, 效益 2 × 15, 满意度 1 × 10
    assert [ws.cell(r, 7).value for r in range(14, 22)] == [10, 10, 10, 10, 10, 15, 15, 10]
    assert ws["A22"].value == "总分" and ws["G22"].value == "=G7+SUM(G14:G21)"
    assert ws["H15"].value.startswith("=IF(OR(F15=\"\",G15=\"\")")
    # protection: targets locked, the department's cells open
    assert ws.protection.sheet
    assert ws["D15"].protection.locked and ws["E15"].protection.locked and ws["G15"].protection.locked
    assert not any(ws[c].protection.locked for c in ("E7", "F7", "F12", "F15", "H15", "I15", "H22"))
    # graded results offered on the qualitative rows only (D19, D20), not on the number rows
    ranges = " ".join(str(dv.sqref) for dv in ws.data_validations.dataValidation if dv.formula1 == "SE_grades")
    assert "F19" in ranges and "F20" in ranges and "F15" not in ranges
    assert int(ws.page_setup.paperSize) == 9 and int(ws.page_setup.fitToWidth) == 1  # A4, one page wide
    assert ws.print_area and "$A$1:$I$22" in str(ws.print_area)


def test_the_form_reads_back_as_selfevaluations_and_the_target_reader_refuses_it(built, catalog):
    with pytest.raises(UserError, match="项目支出绩效自评表.*lubudget selfeval"):
        load_any(built, catalog)
    targets = load_any(SEED, catalog).projects
    read = load_any(built, catalog, selfeval=True).projects
    assert all(isinstance(p, SelfEvaluation) for p in read)
    assert [p.name for p in read] == [p.name for p in targets]
    for target, ev in zip(targets, read, strict=True):
        assert [(i.level1, i.level2, i.level3, i.value) for i in ev.indicators] == [
            (i.level1, i.level2, i.level3, i.value) for i in target.indicators]
        # each target indicator is traced to the seed's own line
        assert [(t.location.file, t.location.line) for t in ev.targets] == [
            (SEED.name, i.locations["value"].line) for i in target.indicators]
        assert ev.fund_row("total").initial == target.funds.total
    rejected = run_cli("fill", str(built), "-o", str(built.with_name("x.xlsx")))
    assert rejected.returncode == 2 and "lubudget selfeval" in rejected.stderr.decode()


def _filled_copy(built, tmp_path, catalog):
    wb = openpyxl.load_workbook(built)
    fill_workbook_met(wb, catalog, rate=0.95)
    ws = wb[P1]
    ws["F15"], ws["H15"] = 20, 8.33  # ≥24 missed, no reason
    ws["H17"] = 12  # over the weight of 10
    ws["F18"], ws["H18"], ws["I18"] = 150, 9.07, "通信服务费上涨"  # cost 136 (no sign: a ceiling) overspent
    ws["F19"], ws["H19"] = "部分达成年度指标并具有一定效果", 15  # graded 9–12, scored 15, no reason
    ws["F20"], ws["H20"], ws["I20"] = "未达成年度指标且效果较差", 6, "平台升级延期"  # within its band, explained
    ws["F21"], ws["H21"] = None, None  # no actual value
    ws["H22"] = 85  # the scores add up to 79.9
    p2 = project_sheets(wb)[1]
    wb[p2]["H7"] = 1.0  # 执行率 typed as 100 %, the amounts say 95 %
    wb[p2]["D20"] = "公众满意度"  # the target 服务对象满意度 renamed: dropped + added
    ws3 = wb[P3]
    ws3["G23"], ws3["H23"] = 5, 5  # 满意度 weight cut to 5: the weights add up to 95
    ws3["H24"] = ws3["H24"].value - 5
    out = tmp_path / "自评表_已填.xlsx"
    wb.save(out)
    return out, p2


def test_a_filled_copy_gives_exactly_the_expected_findings_and_scores(built, tmp_path, catalog):
    filled, p2 = _filled_copy(built, tmp_path, catalog)
    outcome = check_file(filled)
    found = sorted((i.code, i.location.sheet, i.location.cell, i.fix) for i in outcome.issues)
    assert found == sorted([
        ("SELF_REASON_MISSING", P1, "I15", None),
        ("SELF_SCORE_OVER_WEIGHT", P1, "H17", "10"),
        ("SELF_SCORE_MISMATCH", P1, "H19", "12"),
        ("SELF_REASON_MISSING", P1, "I19", None),
        ("SELF_ACTUAL_MISSING", P1, "F21", None),
        ("SELF_TOTAL_SUM", P1, "H22", "79.9"),
        ("SELF_RATE_MISMATCH", p2, "H7", "95.00%"),
        ("SELF_INDICATOR_DROPPED", p2, "D13", None),
        ("SELF_INDICATOR_ADDED", p2, "D20", None),
        ("SELF_WEIGHTS_SUM", P3, "G24", None),
    ])
    dropped = next(i for i in outcome.issues if i.code == "SELF_INDICATOR_DROPPED")
    assert SEED.name in dropped.message and "服务对象满意度" in dropped.message
    ctx = RuleContext.create(outcome.catalog)
    scores = {p.name: summarize(p, ctx) for p in outcome.projects}
    one = scores[P1]
    # 9.5 (95 % executed) + 10 + 8.33 + 10 + 10 (capped) + 9.07 + 12 (band top) + 6 + 0 (no actual)
    assert (one.stated_total, one.computed_total, one.grade, one.missed) == (85, 74.9, "中", 4)
    assert (one.budget, one.executed, round(one.rate, 6), one.weights) == (156, 148.2, 0.95, 100)
    assert (scores[P3].weights, scores[P3].computed_total, scores[P3].grade) == (95, 94.5, "优")
    others = [s for name, s in scores.items() if name not in (P1, P3)]
    assert len(others) == 8 and {(s.computed_total, s.grade, s.missed) for s in others} == {(99.5, "优", 0)}
    # check --annotate: every finding a note on its cell of a copy, the source untouched
    before = filled.read_bytes()
    done = run_cli("check", str(filled), "--annotate", str(tmp_path / "批注"))
    assert done.returncode == 1 and filled.read_bytes() == before
    copy = openpyxl.load_workbook(tmp_path / "批注" / "自评表_已填_校验.xlsx")
    result = copy["校验结果"]
    top = next(r for r in range(1, 10) if result.cell(r, 1).value == "级别")  # below the title block
    assert copy.sheetnames[0] == "校验结果" and len(list(result.iter_rows(min_row=top + 1))) == len(found)
    assert "SELF_SCORE_OVER_WEIGHT" in copy[P1]["H17"].comment.text and copy[p2]["H7"].comment is not None


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_the_native_formulas_suggest_the_scores_the_rules_compute(built, tmp_path, catalog):
    """Only amounts and 实际完成值 typed; LibreOffice computes 执行率, every 得分 and 总分."""
    wb = openpyxl.load_workbook(built)
    ws = wb[P1]
    ws["E7"], ws["F7"] = 156, 140.4  # 90 % executed
    ws["F12"] = "热线平台全年正常运转。"
    actual = {14: 18, 15: 20, 16: "达成年度指标", 17: 4, 18: 150, 19: "部分达成年度指标并具有一定效果",
              20: "达成年度指标", 21: 0.9}
    for row, value in actual.items():
        ws[f"F{row}"] = value
    typed = tmp_path / "typed.xlsx"
    wb.save(typed)
    profile = f"file:///tmp/lo-selfeval-{tmp_path.name}"
    out = tmp_path / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx", "--outdir",
                    str(out), str(typed)], check=True, capture_output=True, timeout=180)  # fmt: skip
    ev = next(p for p in load_any(out / typed.name, catalog, selfeval=True).projects if p.name == P1)
    assert ev.execution_rate == pytest.approx(0.9) and ev.execution_score == 9
    assert [r.score for r in ev.results] == [10, 8.33, 10, 10, 9.07, 12, 15, 9.78]
    assert ev.total_score == 93.18
    issues = [i for i in check_file(out / typed.name, catalog).issues if i.project == P1]
    # the formulas' scores pass every score rule; what is left is the department's to write
    assert sorted((i.code, i.location.cell) for i in issues) == [
        ("SELF_REASON_MISSING", "I15"), ("SELF_REASON_MISSING", "I18"), ("SELF_REASON_MISSING", "I19"),
        ("SELF_REASON_MISSING", "I21")]


def test_thirty_selfevaluations_consolidate_with_every_count_reconciling(tmp_path, catalog):
    targets = load_any(SEED, catalog).projects
    files = write_selfeval_batch(tmp_path / "自评报送", 30, targets, catalog)
    master = tmp_path / "自评汇总表.xlsx"
    done = run_cli("consolidate", str(tmp_path / "自评报送"), "-o", str(master), "--jobs", "2",
                   "--feedback", str(tmp_path / "退回"), "--json", str(tmp_path / "自评记录.json"))
    assert done.returncode == 1, done.stderr.decode()  # the batch has errors (reasons missing)
    wb = openpyxl.load_workbook(master, read_only=True)
    rows = list(wb["自评汇总"].iter_rows(min_row=2, values_only=True))
    departments = list(wb["自评部门汇总"].iter_rows(min_row=2, values_only=True))
    totals, departments = departments[-1], departments[:-1]
    issues = list(wb["校验问题"].iter_rows(min_row=2, values_only=True))
    summary = dict(wb["汇总说明"].iter_rows(values_only=True))
    assert len(rows) == 300 == len(list(wb["项目清单"].iter_rows(min_row=2)))
    assert len(departments) == 30 and totals[0] == "合计" and totals[1] == 300 == sum(d[1] for d in departments)
    assert sum(totals[7:11]) == 300 == sum(sum(d[7:11]) for d in departments)
    assert summary["计入“自评汇总”的自评项目数"] == 300 and summary["“自评部门汇总”的自评项目数合计"] == 300
    assert summary["读取指标行数"] == summary["计入“绩效指标”的行数"] == 3390
    # each file's findings, checked on its own, are exactly the master book's (code, file, sheet, cell)
    expected = sorted((i.code, i.location.sheet, i.location.cell, str(f))
                      for f in files for i in check_file(f, catalog).issues)
    assert sorted((r[1], r[7], r[8], r[6]) for r in issues) == expected
    assert summary["校验问题数"] == len(expected) > 0
    # --json keeps them self-evaluations: checked again from the records, the same findings
    records = read_records(tmp_path / "自评记录.json")
    assert len(records) == 300 and all(isinstance(p, SelfEvaluation) for p in records)
    again = sorted((i.code, i.location.sheet, i.location.cell, i.location.file) for i in check_projects(records, catalog))
    assert again == expected
    # per department: the averages are those of its rows, and every row's score is the file's own
    for dept in departments:
        mine = [r for r in rows if r[0] == dept[0]]
        assert dept[1] == len(mine) == 10
        assert dept[6] == round(sum(r[7] for r in mine) / len(mine), 2)
        assert dept[2] == pytest.approx(sum(r[2] for r in mine))
    first = load_any(files[0], catalog, selfeval=True).projects
    ctx = RuleContext.create(catalog)
    assert [r[7] for r in rows[:10]] == [summarize(p, ctx).computed_total for p in first]
    assert {r[8] for r in rows} <= {"优", "良", "中", "差"}
    # the return lists name the cells to fix
    returned = sorted((tmp_path / "退回").glob("退回修改_*.xlsx"))
    assert len(returned) == 30
    sheet = openpyxl.load_workbook(returned[0], read_only=True)["退回修改"]
    text = " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    assert "SELF_REASON_MISSING" in text and "偏差原因" in text


def _published_table(ws, top: int, name: str, satisfaction_score: float) -> None:
    """A 自评表 as departments type it from the published 10号 form (no identity, full-width marks)."""
    rows = [
        ["六安市财政局2021年度项目支出绩效自评表"],
        ["（2021年度）"],
        ["项目名称：", name],
        ["主管部门", "六安市财政局", None, None, "实施单位", "六安市市政管理处"],
        ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [None, "年度资金总额", 100, 100, 95, 10, "95%", 9.5],
        [None, "其中：当年财政拨款", 100, 100, 95, "—", "—", "—"],
        [None, "上年结转资金", None, None, None, "—", "—", "—"],
        [None, "其他资金", None, None, None, "—", "—", "—"],
        ["年度总体目标", "预期目标", None, None, "实际完成情况"],
        [None, "完成城区道路维护30公里。", None, None, "完成城区道路维护30公里。"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        [None, "产出指标", "数量指标", "维护道路长度", "≥30公里", "30公里", 50, 50],
        [None, "效益指标", "社会效益指标", "道路完好率", "≥95%", "96%", 30, 30],
        [None, "满意度指标", "服务对象满意度指标", "市民满意度", "≥90%", "85%", 10, satisfaction_score,
         "部分路段施工影响出行,下年度错峰施工"],
        ["总分", None, None, None, None, None, 100, round(89.5 + satisfaction_score, 2)],
    ]
    for r, values in enumerate(rows, start=top):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(r, c, value)


def test_the_published_layout_reads_and_checks_like_ours(tmp_path, catalog):
    """Typed from the published form: no identity, full-width marks, two tables on one sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评"
    _published_table(ws, 1, "城区道路维护", 9.44)  # 10 × 85 / 90
    _published_table(ws, 20, "城区路灯维护", 10)  # 85 % scored as if 90 % were reached
    path = tmp_path / "财政局自评.xlsx"
    wb.save(path)
    read = load_any(path, catalog, selfeval=True).projects
    assert [p.name for p in read] == ["城区道路维护", "城区路灯维护"]
    first = read[0]
    assert (first.year, first.competent_department, first.unit) == (2021, "六安市财政局", "六安市市政管理处")
    assert (first.execution_weight, first.execution_rate, first.execution_score) == (10, 0.95, 9.5)
    assert [(f.key, f.initial, f.budget, f.executed) for f in first.execution] == [
        ("total", 100, 100, 95), ("fiscal", 100, 100, 95), ("carryover", None, None, None), ("other", None, None, None)]
    assert first.goal == first.goal_actual == "完成城区道路维护30公里。"
    assert [(i.level3, r.actual, r.weight, r.score) for i, r in zip(first.indicators, first.results, strict=True)] == [
        ("维护道路长度", "30公里", 50, 50), ("道路完好率", "96%", 30, 30), ("市民满意度", "85%", 10, 9.44)]
    assert first.total_score == 98.94 and first.targets is None
    assert first.results[2].locations["score"].cell == "H15"
    found = sorted((i.code, i.project, i.location.cell, i.fix) for i in check_file(path, catalog).issues)
    assert found == [("SELF_SCORE_MISMATCH", "城区路灯维护", "H34", "9.44")]


@pytest.mark.parametrize(
    ("official", "variant"),
    [
        ("上年结转资金", "上年结转"),
        ("年度指标值", "本年度指标值"),
        ("实际完成值", "全年实际值"),
        ("偏差原因分析及改进措施", "未完成原因和改进措施"),
        ("其中：当年财政拨款", "财政拨款"),
    ],
)
def test_published_variants_of_the_labels_read_alike(tmp_path, catalog, official, variant):
    """Each variant listed under self_evaluation_form in the form vocabulary reads like the official label."""
    def read(label: str):
        wb = openpyxl.Workbook()
        _published_table(wb.active, 1, "城区道路维护", 9.44)
        for row in wb.active.iter_rows():
            for cell in row:
                if cell.value == official:
                    cell.value = label
        path = tmp_path / f"{label}.xlsx"
        wb.save(path)
        try:
            (project,) = load_any(path, catalog, selfeval=True).projects
        except UserError:
            return "refused"  # a required column left without its heading
        return (
            [(f.key, f.initial, f.budget, f.executed) for f in project.execution],
            project.goal,
            [(i.value, r.actual, r.reason) for i, r in zip(project.indicators, project.results, strict=True)],
        )

    assert read(variant) == read(official)
    assert read("无关的标签") != read(official)  # the label matters: an unknown one loses the field or the form
