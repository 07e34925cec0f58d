"""Rollover of the seed (2021 Lu'an tables) into 2022: the whole CLI path, real files, read back."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

import pytest
from conftest import SEED, run_cli

from lubudget_xl.catalog import load_catalog
from lubudget_xl.loading import load_any
from lubudget_xl.rollover import rollover


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def rolled(tmp_path_factory):
    out = tmp_path_factory.mktemp("rollover") / "六安_2022.xlsx"
    before = _sha(SEED)
    done = run_cli("rollover", str(SEED), "--to-year", "2022", "-o", str(out))
    assert done.returncode == 0, done.stderr.decode("utf-8")
    assert _sha(SEED) == before
    return out, done.stderr.decode("utf-8")


def test_all_projects_and_rows_carried_into_the_2022_template(rolled):
    out, _ = rolled
    source = load_any(SEED).projects
    read = load_any(out)
    assert read.template is not None and read.template.year == 2022
    assert [p.name for p in read.projects] == [p.name for p in source]
    assert sum(len(p.indicators) for p in read.projects) == 113
    for old, new in zip(source, read.projects, strict=True):
        assert new.year == 2022
        assert (new.funds.total, new.funds.fiscal, new.funds.other) == (old.funds.total, old.funds.fiscal, old.funds.other)
        assert [(i.level1, i.level2, i.level3) for i in new.indicators] == [
            (i.level1, i.level2, i.level3) for i in old.indicators
        ]
        assert new.carried == {
            k: v
            for k, v in (("funds.total", old.funds.total), ("funds.fiscal", old.funds.fiscal), ("funds.other", old.funds.other))
            if v is not None
        }


def test_budget_year_shifted_and_the_2020_mention_flagged(rolled):
    out, report = rolled
    values = {(p.name, i.level3): i.value for p in load_any(out).projects for i in p.indicators}
    assert values[("市政府网站集约化平台、市政府政务微博微信客户端等电子政务信息系统运维经费", "项目实施时限")] == "2022年内实施完毕"
    assert values[("政府接待慰问专项经费", "项目计划完成率")] == "预计2022年完成"
    assert values[("政务信息公开经费", "政务公开培训人次")] == "2022年政务公开培训300人次"
    # a year that was already wrong in 2021 is flagged, not shifted
    assert values[("市长热线工作经费", "受理留言件次")] == "预计2020年受理量为18万件次。"
    assert "可疑年份未改动 1 处" in report and "提到 2020 年" in report
    assert not any("2021年" in v for v in values.values())
    report_file = out.with_name("六安_2022_结转报告.txt")
    assert "结转 10 个" in report_file.read_text(encoding="utf-8")
    assert "指标 113 行:结转 113 行" in report_file.read_text(encoding="utf-8")


def test_carried_funds_are_marked_in_the_workbook(rolled):
    from openpyxl import load_workbook

    out, _ = rolled
    read = load_any(out)
    wb = load_workbook(out)
    for project in read.projects:
        where = project.locations["funds.total"]
        cell = wb[where.sheet][where.cell]
        assert cell.comment is not None and "沿用2021年" in cell.comment.text
        assert cell.fill.fgColor.rgb.endswith("FFF2CC")


def test_rolled_workbook_check_has_only_source_findings_and_confirmations(rolled, tmp_path):
    out, _ = rolled
    src = run_cli("check", "--format", "json", str(SEED))
    dst = run_cli("check", "--format", "json", str(out))
    assert src.returncode in (0, 1) and dst.returncode in (0, 1)

    def keyed(doc):
        return Counter((i["code"], i["project"]) for i in json.loads(doc)["issues"])

    before, after = keyed(src.stdout), keyed(dst.stdout)
    confirmations = Counter({k: n for k, n in after.items() if k[0] == "FUNDS_CARRIED"})
    # 21 carried figures (10 totals, 10 fiscal, 1 other fund) wait for the department's confirmation
    assert sum(confirmations.values()) == 21
    # <p> remnants belong to the published text, not to the workbook the rollover writes
    expected = Counter({k: n for k, n in before.items() if k[0] != "TEXT_HTML"})
    assert after - confirmations == expected


def test_seed_into_101_catalogue_moves_cost_rows_to_level_one():
    source = load_any(SEED).projects
    result = rollover(source, load_catalog("2022-101"), 2022)
    rows = [i for p in result.projects for i in p.indicators]
    assert len(rows) == 113 == sum(o.rows_in for o in result.outcomes)
    moved = [i for i in result.issues if i.code == "ROLLOVER_ROW_MOVED"]
    assert len(moved) == 10
    assert all(m.params["expected"] == "成本指标/经济成本指标" for m in moved)
    assert Counter(i.level1 for i in rows)["成本指标"] == 10
    assert not any(i.level1 == "产出指标" and i.level2 == "成本指标" for i in rows)
    assert not [i for i in result.issues if i.code == "ROLLOVER_ROW_UNMAPPED"]


def test_seed_into_101_catalogue_workbook_round_trips(tmp_path):
    out = tmp_path / "101.xlsx"
    done = run_cli("rollover", str(SEED), "--to-year", "2022", "--catalog", "2022-101", "-o", str(out))
    assert done.returncode == 0, done.stderr.decode("utf-8")
    read = load_any(out, load_catalog("2022-101"))
    assert sum(len(p.indicators) for p in read.projects) == 113
    assert Counter(i.level1 for p in read.projects for i in p.indicators)["成本指标"] == 10


def test_one_off_projects_are_listed_not_carried(tmp_path):
    records = tmp_path / "mixed.json"
    projects = load_any(SEED).projects[:2]
    projects[1].attribute = "一次性项目"
    from lubudget_xl.records import write_records

    write_records(projects, records)
    out = tmp_path / "out.xlsx"
    done = run_cli("rollover", str(records), "--to-year", "2022", "-o", str(out))
    assert done.returncode == 0, done.stderr.decode("utf-8")
    assert [p.name for p in load_any(out).projects] == [projects[0].name]
    report = out.with_name("out_结转报告.txt").read_text(encoding="utf-8")
    assert f"[未结转] {projects[1].name}(一次性项目" in report
    assert "未结转的项目 1 处" in report


def test_bad_sources_are_chinese_errors(tmp_path):
    done = run_cli("rollover", str(tmp_path / "missing.txt"), "--to-year", "2022", "-o", str(tmp_path / "o.xlsx"))
    assert done.returncode == 2
    assert "文件不存在" in done.stderr.decode("utf-8")
    assert not (tmp_path / "o.xlsx").exists()


def test_output_may_not_overwrite_a_source_and_years_must_move_forward(tmp_path):
    records = tmp_path / "last.json"
    from lubudget_xl.records import write_records

    write_records(load_any(SEED).projects[:1], records)
    before = _sha(records)
    same = run_cli("rollover", str(records), "--to-year", "2022", "-o", str(records.with_suffix(".xlsx")))
    assert same.returncode == 0
    workbook = records.with_suffix(".xlsx")
    again = run_cli("rollover", str(workbook), "--to-year", "2023", "--catalog", "2022", "-o", str(workbook))
    assert again.returncode == 2 and "就是来源文件" in again.stderr.decode("utf-8")
    backwards = run_cli("rollover", str(records), "--to-year", "2021", "-o", str(tmp_path / "b.xlsx"))
    assert backwards.returncode == 2 and "--to-year 应晚于来源年度" in backwards.stderr.decode("utf-8")
    twice = run_cli("rollover", str(records), str(records), "--to-year", "2022", "-o", str(tmp_path / "t.xlsx"))
    assert twice.returncode == 0 and "重复给出" in twice.stderr.decode("utf-8")
    assert len(load_any(tmp_path / "t.xlsx").projects) == 1
    assert _sha(records) == before
