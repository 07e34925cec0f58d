"""No project, however odd, makes a rule raise: findings are values (STYLE.md §3), never tracebacks."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lubudget_xl.catalog import load_catalog
from lubudget_xl.issues import Issue
from lubudget_xl.model import Funds, Indicator, Location, ProjectTarget
from lubudget_xl.rules import REGISTRY, check_projects
from lubudget_xl.values import parse_value

SCHEMA = json.loads(resources.files("lubudget_xl.schemas").joinpath("check.schema.json").read_text("utf-8"))
CATALOGS = [load_catalog(name) for name in ("2021", "2022-101")]
WORDS = ["产出指标", "效益", "满意度指标", "数量指标", "成本指标", "经济成本指标", "服务对象满意度指标", "绩", "",
         "≥95%", "≤30万元", "预算绩效目标值", "2020年", "实现实现", "<p>", "定性", "定量(其他)", "不适用", "万元",
         "120%", "-5", "12 3", "满意度", "累计", " ", "无"]  # fmt: skip
text = st.lists(st.sampled_from(WORDS) | st.text(max_size=6), max_size=3).map("".join)
amount = st.none() | st.floats(min_value=-1e6, max_value=1e9, allow_nan=False)


@st.composite
def indicators(draw):
    value = draw(text)
    sign = draw(st.none() | st.sampled_from(["≥", "定性", "定量(其他)", "", "大于"]))
    unit = draw(st.none() | st.sampled_from(["万元", "%", "次", ""]))
    return Indicator(draw(text), draw(text), draw(text), value, parse_value(value, sign, unit), sign=sign, unit=unit,
                     note=draw(st.none() | text), locations={"value": Location("x.json", line=1)})  # fmt: skip


@st.composite
def projects(draw):
    return ProjectTarget(
        year=draw(st.none() | st.integers(1990, 2100)), department=draw(text), name=draw(text), unit=draw(text),
        attribute=draw(text), period=draw(st.none() | text), goal=draw(text),
        funds=Funds(draw(amount), draw(amount), draw(amount), {"上年结转": draw(amount)}),
        indicators=draw(st.lists(indicators(), max_size=8)),
        carried=draw(st.dictionaries(st.sampled_from(["funds.total", "funds.fiscal"]), st.floats(0, 100), max_size=2)),
    )  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(project=projects(), which=st.sampled_from(CATALOGS) | st.none())
def test_rules_never_raise(project, which):
    issues = check_projects([project], which)
    for issue in issues:
        assert isinstance(issue, Issue) and issue.code in REGISTRY and issue.message
    report = json.loads(json.dumps({"files": [], "issues": [i.to_dict() for i in issues]}, ensure_ascii=False))
    jsonschema.validate(report, SCHEMA)
