"""The seed read as a reviewer would: the findings a person marks on the 2021 六安 tables.

Keys are (code, line of the seed text); the workbook route (filler → reader) must give the same
findings at the corresponding cells (see test_check_workbook.py).
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from lubudget_xl.catalog import load_catalog
from lubudget_xl.checking import check_file

# What a reviewer finds, by code: the seed lines it points at.
EXPECTED = {
    # 预算绩效目标值 / 预期目标值 … left in: 市长热线 质量指标, 应急 可持续影响, 政府会议 可持续影响,
    # 内部刊物 可持续影响, 政务公开 社会效益 and 可持续影响.
    "VALUE_PLACEHOLDER": [20, 111, 139, 196, 288, 289],
    # 市长热线: 136万元 + 20万 + 4万元 = 160 > 156; 网站: 72.32万元 > 72.3.
    "COST_EXCEEDS_FUNDS": [22, 45],
    # 市长热线 受理留言件次: "预计2020年受理量为18万件次" in a 2021 table.
    "YEAR_OUTSIDE_BUDGET": [18],
    # <p>…</p> around the goal of eight projects (reported by the text importer under the rule's code).
    "TEXT_HTML": [16, 63, 89, 127, 155, 185, 212, 252],
    # 应急、督查、外事: "实现实现国务院…".
    "TEXT_DOUBLED": [89],
    # 政府接待慰问: 老干部满意度 ≥95% under 产出/质量指标.
    "SATISFACTION_MISPLACED": [162],
    # 政府接待慰问: 市政府领导招商 under 数量指标 and again under 质量指标.
    "TREE_LEVEL3_DUPLICATE": [161],
    # 市长热线: "接线外包人数≥24" (no unit); 三级指标 "服务对象满意度指标" copies its level two.
    "VALUE_UNIT_MISSING": [19],
    "TREE_LEVEL3_GENERIC": [25],
    # 应急: 24小时值班 in the goal; 专题调研: 近40个部门, 约10人 — none in the indicators.
    "GOAL_NUMBERS": [89, 252],
    # Balanced funds, complete headers and trees, sums within the funds: nothing to report.
    "FUNDS_SUM": [],
    "COST_SUM": [],
    "HEADER_MISSING": [],
    "TREE_LEVEL1_MISSING": [],
    "TREE_LEVEL2_MISSING": [],
    "TREE_PAIR": [],
    "TREE_LEVEL1_UNKNOWN": [],
    "TREE_LEVEL2_UNKNOWN": [],
    "PERCENT_RANGE": [],
    "SATISFACTION_FLOOR": [],
}
# Found, but not pinned line by line (wording depends on the value parser's vocabulary).
AT_LEAST = {
    # 内部刊物: 会费 rows "按规定期限缴纳…" under 数量指标.
    "VALUE_NOT_QUANTIFIED": [188, 191],
    # Slogans: "进一步提高为民服务水平…" (市长热线), "明显改善" (四最), "提升明显" (接待慰问).
    "VALUE_SLOGAN": [23, 73, 168],
}


@pytest.fixture(scope="module")
def seed_findings(request):
    from conftest import SEED

    outcome = check_file(SEED, load_catalog("2021"))
    assert outcome.status == "findings" and len(outcome.projects) == 10
    found = defaultdict(list)
    for issue in outcome.issues:
        found[issue.code].append(issue.location.line)
    return outcome, found


def test_seed_findings_match_a_reviewers_reading(seed_findings):
    _, found = seed_findings
    for code, lines in EXPECTED.items():
        assert sorted(found.get(code, [])) == lines, code
    for code, lines in AT_LEAST.items():
        assert set(lines) <= set(found.get(code, [])), code


def test_seed_findings_name_their_project_and_point_into_the_seed(seed_findings):
    outcome, found = seed_findings
    names = {p.name for p in outcome.projects}
    by_code = {i.code: i for i in outcome.issues}
    assert by_code["YEAR_OUTSIDE_BUDGET"].project == "市长热线工作经费"
    assert by_code["YEAR_OUTSIDE_BUDGET"].params["found"] == [2020]
    assert by_code["TEXT_DOUBLED"].project == "应急、督查、外事工作经费"
    exceeded = {i.project: i.params for i in outcome.issues if i.code == "COST_EXCEEDS_FUNDS"}
    assert exceeded["市长热线工作经费"] == {"found": 160, "expected": 156.0}
    assert exceeded["市政府网站集约化平台、市政府政务微博微信客户端等电子政务信息系统运维经费"]["found"] == 72.32
    for issue in outcome.issues:
        assert issue.project in names
        assert issue.location.file == outcome.file and issue.location.line


def test_sign_missing_is_reported_once_per_project_with_every_row_listed(seed_findings):
    """The 88号 form has no sign column: one finding per project (at its first unsigned row) instead of
    one per row, and a fix only where the value is a bare quantity (never "≥预计2020年…")."""
    outcome, _ = seed_findings
    found = [i for i in outcome.issues if i.code == "VALUE_SIGN_MISSING"]
    projects = [i.project for i in found]
    assert len(projects) == len(set(projects)) and len(found) >= 5
    assert sum(i.params["count"] for i in found) >= 40  # every unsigned row is still counted
    for issue in found:
        assert len(issue.params["indicators"]) == issue.params["count"]
    # The first unsigned row of each project is a 数量指标 (outputs are floors: ≥); sentences and
    # Chinese numerals get no mechanical fix.
    assert {(i.location.line, i.params["found"], i.fix) for i in found} == {
        (18, "预计2020年受理量为18万件次。", None),
        (42, "完成市政府网站集约化平台、网站英文翻译、新闻发布厅运维、短信MAS等4个项目维护", None),
        (66, "1000人", "≥1000人"),
        (91, "450本", "≥450本"),
        (129, "24次", "≥24次"),
        (157, "2个", "≥2个"),
        (187, "16人份", "≥16人份"),
        (214, "800本", "≥800本"),
        (254, "36次", "≥36次"),
        (280, "每年一次", None),
    }
