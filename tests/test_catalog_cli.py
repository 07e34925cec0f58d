"""`lubudget catalog validate|diff|list` on real catalogue files: messages, exit codes, diff lines."""

from __future__ import annotations

import copy
import json

import pytest
from conftest import ROOT, run_cli

from lubudget_xl.catalog import load_catalog

CATALOGS = ROOT / "lubudget_xl" / "catalog" / "data"


def out(proc) -> tuple[str, str]:
    return proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def write(path, data) -> str:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return str(path)


@pytest.fixture
def data_2021() -> dict:
    return copy.deepcopy(load_catalog("2021").data)


def test_list_shows_builtins():
    stdout, _ = out(proc := run_cli("catalog", "list"))
    assert proc.returncode == 0
    lines = stdout.splitlines()
    assert lines[0] == "名称\t年度\t修订号\t版本\t取代\t标题\t位置"
    assert any(line.startswith("2021\t2021\t1\tanhui-88-2021.1\t-\t2021年") for line in lines)
    assert any(line.startswith("2022-101\t2022\t1\tmof-101-2022.1\t2021\t") for line in lines)


@pytest.mark.parametrize("name", ["2021", "2022", "2022-101"])
def test_validate_shipped_files(name):
    path = CATALOGS / f"{name}.json"
    proc = run_cli("catalog", "validate", str(path))
    assert proc.returncode == 0, out(proc)
    assert out(proc)[1].strip() == f"{path}: 校验通过。"


def test_validate_bad_json_is_unusable(tmp_path):
    bad = tmp_path / "2023.json"
    bad.write_text('{\n  "id": "anhui-88",\n  "year": 2023,,\n}', encoding="utf-8")
    proc = run_cli("catalog", "validate", str(bad))
    assert proc.returncode == 2
    assert f"错误:{bad}: 不是有效的 JSON(第3行第16列" in out(proc)[1]
    missing = run_cli("catalog", "validate", str(tmp_path / "none.json"))
    assert missing.returncode == 2 and "找不到指标目录" in out(missing)[1]


def test_validate_schema_violations_name_json_paths(tmp_path, data_2021):
    data_2021["year"] = "2023"
    del data_2021["tree"][1]["children"][0]["suggestions"]
    data_2021["tree"][2]["children"][0]["alias"] = ["满意度"]
    data_2021["form"]["sign_column"] = "是"
    path = write(tmp_path / "2023.json", data_2021)
    proc = run_cli("catalog", "validate", path)
    assert proc.returncode == 1
    stderr = out(proc)[1]
    assert f'{path}: [错误] year: 应为整数,实际是 "2023"' in stderr
    assert f"{path}: [错误] tree[1](效益指标).children[0](经济效益指标): 缺少字段 suggestions" in stderr
    assert "tree[2](满意度指标).children[0](服务对象满意度指标): 不认识的字段 alias(检查拼写)" in stderr
    assert "form.sign_column: 应为true/false" in stderr
    assert "校验未通过,4 个错误,0 个警告。" in stderr


def test_validate_semantic_errors(tmp_path, data_2021):
    data = data_2021
    data.update(id="anhui-88", year=2023, revision=1, supersedes="2021")
    data["tree"][0]["children"][1]["aliases"].append("数量")  # 质量指标 claims 数量指标's alias
    data["settings"]["required_level2"].append("绩效指标")
    data["tree"][0]["children"][0]["suggestions"][0]["unit"] = "人/次"
    data["tree"][0]["children"][0]["suggestions"][1]["unit"] = "人"
    data["tree"][0]["children"][0]["suggestions"][1]["sign"] = "定性"  # warning only
    data["migration"] = [
        {
            "from": {"level1": "产出指标", "level2": "成本指标"},
            "to": {"level1": "成本指标", "level2": "经济成本指标"},
        },
        {
            "from": {"level1": "产出指标", "level2": "费用指标"},
            "to": {"level1": "产出指标", "level2": "数量指标"},
        },
    ]
    path = write(tmp_path / "2023.json", data)
    proc = run_cli("catalog", "validate", path, "--format", "json")
    assert proc.returncode == 1
    report = json.loads(out(proc)[0])
    assert report["valid"] is False
    found = {(p["severity"], p["path"], p["message"]) for p in report["problems"]}
    expected = {
        (
            "error",
            "tree[0](产出指标).children[1](质量指标).aliases[1]",
            "“数量”同时指向产出指标下的二级指标“数量指标”和“质量指标”,读表时无法区分",
        ),
        ("error", "settings.required_level2[5]", "“绩效指标”不是本目录指标体系中的二级指标"),
        (
            "error",
            "tree[0](产出指标).children[0](数量指标).suggestions[0](受理留言件次).unit",
            "计量单位“人/次”不在本目录的 units 列表中",
        ),
        (
            "warning",
            "tree[0](产出指标).children[0](数量指标).suggestions[1](接线外包人数).unit",
            "定性指标不应有计量单位(“人”)",
        ),
        ("error", "migration[0].to", "迁移目标“成本指标/经济成本指标”不在本目录的指标体系中"),
        ("error", "migration[1].from", "“产出指标/费用指标”不在被取代目录 2021 的指标体系中"),
    }
    assert found == expected
    assert "校验未通过,5 个错误,1 个警告。" in out(proc)[1]


def test_validate_refuses_an_edited_release_and_passes_with_warnings(tmp_path, data_2021):
    data_2021["tree"][0]["children"][0]["suggestions"].pop()
    proc = run_cli("catalog", "validate", write(tmp_path / "2021.json", data_2021))
    assert proc.returncode == 1
    assert "与内置目录 2021 的版本 anhui-88-2021.1 相同但内容不同" in out(proc)[1]

    data_2021["revision"] = 2
    data_2021["tree"][0]["children"][0]["suggestions"][0].update(unit="件次", sign="定性")
    data_2021["settings"]["satisfaction_flor"] = 80
    proc = run_cli("catalog", "validate", write(tmp_path / "2021-2.json", data_2021))
    assert proc.returncode == 0
    stderr = out(proc)[1]
    assert "[警告] settings.satisfaction_flor: 不认识的规则设置“satisfaction_flor”" in stderr
    assert "校验通过(2 个警告)。" in stderr


def test_diff_2021_to_2022_shows_only_the_carry_on():
    proc = run_cli("catalog", "diff", "2021", "2022")
    assert proc.returncode == 0
    lines = out(proc)[0].splitlines()
    assert lines[0] == "指标目录差异:2021(anhui-88-2021.1) → 2022(anhui-88-2022.1)"
    assert "  年度(year): 2021 → 2022" in lines
    assert "  取代目录(supersedes): 无 → 2021" in lines
    assert "指标体系:一级、二级指标无变化" in lines
    assert "迁移映射(新目录维护人编写,共 9 条,其中 9 条名称不变):" in lines
    assert "规则设置:" not in lines and "表式:" not in lines


def test_diff_2021_to_101_shows_the_new_tree():
    proc = run_cli("catalog", "diff", "2021", str(CATALOGS / "2022-101.json"))
    assert proc.returncode == 0
    lines = out(proc)[0].splitlines()
    for line in [
        "一级指标:",
        "  新增 成本指标",
        "  新增 成本指标/社会成本指标",
        "  新增 成本指标/生态环境成本指标",
        "  移动或改名 产出指标/成本指标 → 成本指标/经济成本指标(依据迁移映射)",
        "  成本指标/经济成本指标: 新增 经济成本;删除 成本",
        "  成本指标/经济成本指标: 新增 设备购置成本(万元,≤)、单位服务成本(元,≤)",
        "  必填二级指标(required_level2): 新增 经济成本指标;删除 成本指标",
        "  表头栏目(header_fields): 新增 主管部门",
        "  指标值符号栏(sign_column): 无 → 有",
        "  计量单位栏(unit_column): 无 → 有",
        "迁移映射(新目录维护人编写,共 9 条,其中 8 条名称不变):",
        "  产出指标/成本指标 → 成本指标/经济成本指标",
    ]:
        assert line in lines, line
    assert not [x for x in lines if x.startswith("  删除 ")]

    data = json.loads(out(run_cli("catalog", "diff", "2021", "2022-101", "--format", "json"))[0])
    assert data["level1"] == {"added": ["成本指标"], "removed": [], "renamed": []}
    assert data["level2"]["moved"] == [
        {"old": ["产出指标", "成本指标"], "new": ["成本指标", "经济成本指标"], "basis": "migration"}
    ]


def test_diff_of_a_maintainers_new_year_finds_renames_by_alias(tmp_path, data_2021):
    data = data_2021
    data.update(year=2023, supersedes="2021", title="2023年目录")
    satisfaction = data["tree"][2]
    satisfaction["name"] = "满意度"
    satisfaction["aliases"] = ["满意度指标"]
    child = data["tree"][1]["children"][2]
    child["name"], child["aliases"] = "生态环境效益指标", ["生态效益指标", "生态效益"]
    data["tree"][0]["children"][0]["suggestions"].append({"name": "新增会议次数", "unit": "次", "sign": "≥"})
    data["settings"]["satisfaction_floor"] = 85
    data["settings"]["required_level2"] = [n for n in data["settings"]["required_level2"] if n != "时效指标"]
    proc = run_cli("catalog", "diff", "2021", write(tmp_path / "2023.json", data))
    assert proc.returncode == 0
    lines = out(proc)[0].splitlines()
    for line in [
        "  改名 满意度指标 → 满意度",
        "  移动或改名 效益指标/生态效益指标 → 效益指标/生态环境效益指标(依据别名)",
        "  产出指标/数量指标: 新增 新增会议次数(次,≥)",
        "  满意度下限(%)(satisfaction_floor): 90 → 85",
        "  必填二级指标(required_level2): 删除 时效指标",
        "迁移映射:新目录未写迁移映射",
    ]:
        assert line in lines, line


def test_validate_warns_about_unmapped_pairs_and_unknown_predecessor(tmp_path):
    data = copy.deepcopy(load_catalog("2022-101").data)
    data.update(
        year=2023, title="2023年目录(101号,不再设可持续影响指标)", supersedes="2022-101", migration=[]
    )
    benefit = data["tree"][2]
    benefit["children"] = [c for c in benefit["children"] if c["name"] != "可持续影响指标"]
    proc = run_cli("catalog", "validate", write(tmp_path / "2023.json", data))
    assert proc.returncode == 0
    stderr = out(proc)[1]
    assert "[警告] migration: 被取代目录的“效益指标/可持续影响指标”没有迁移映射,结转时无法归类" in stderr
    assert "校验通过(1 个警告)。" in stderr

    data["supersedes"] = "2020"
    proc = run_cli("catalog", "validate", write(tmp_path / "2023.json", data))
    assert proc.returncode == 0
    assert "[警告] supersedes: 找不到被取代的目录“2020”" in out(proc)[1]
