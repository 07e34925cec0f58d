"""Record → JSON → record is lossless, and every JSON we write satisfies the schema."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lubudget_xl.errors import UserError
from lubudget_xl.model import Funds, Indicator, Location, ProjectTarget, TemplateInfo
from lubudget_xl.records import read_records, write_records
from lubudget_xl.values.types import KINDS, SIGNS, ParsedValue, ValuePart

text = st.text(max_size=30)
opt_text = st.none() | text
num = st.floats(allow_nan=False, allow_infinity=False, width=64)
opt_num = st.none() | num
cells = st.from_regex(r"\A[A-Z]{1,3}[1-9][0-9]{0,5}\Z")
locations = st.builds(
    Location,
    file=text,
    sheet=opt_text,
    cell=st.none() | cells,
    line=st.none() | st.integers(min_value=1, max_value=10**6),
)
loc_maps = st.dictionaries(st.sampled_from(["name", "goal", "funds.total", "row", "value"]), locations, max_size=3)
signs = st.none() | st.sampled_from(SIGNS)
parts = st.builds(ValuePart, number=num, sign=signs, unit=text, label=text)
parsed = st.builds(
    ParsedValue,
    raw=text,
    kind=st.sampled_from(KINDS),
    sign=signs,
    number=opt_num,
    unit=text,
    parts=st.lists(parts, max_size=3).map(tuple),
    years=st.lists(st.integers(1900, 2100), max_size=2).map(tuple),
)
indicators = st.builds(
    Indicator,
    level1=text,
    level2=text,
    level3=text,
    value=text,
    parsed=parsed,
    sign=opt_text,
    unit=opt_text,
    note=opt_text,
    locations=loc_maps,
)
projects = st.builds(
    ProjectTarget,
    year=st.none() | st.integers(2000, 2100),
    department=text,
    name=text,
    unit=text,
    attribute=text,
    funds=st.builds(Funds, total=opt_num, fiscal=opt_num, other=opt_num, extra=st.dictionaries(text, opt_num, max_size=2)),
    goal=text,
    indicators=st.lists(indicators, max_size=3),
    competent_department=opt_text,
    period=opt_text,
    extra=st.dictionaries(text, text, max_size=2),
    template=st.none()
    | st.builds(TemplateInfo, template_id=text, year=st.integers(2000, 2100), catalog_version=text, template_version=text),
    source_file=text,
    locations=loc_maps,
    carried=st.dictionaries(st.sampled_from(["funds.total", "funds.fiscal", "funds.other"]), num, max_size=3),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(projects, max_size=3))
def test_round_trip_through_json_file_is_lossless(tmp_path_factory, items):
    path = tmp_path_factory.mktemp("rec") / "records.json"
    write_records(items, path)
    assert read_records(path) == items


def test_written_json_names_schema_version(tmp_path):
    path = tmp_path / "r.json"
    write_records([ProjectTarget(year=2021, department="六安市人民政府办公室", name="市长热线工作经费")], path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["schema_version"] == "1.0"
    assert doc["projects"][0]["name"] == "市长热线工作经费"


def test_reading_a_document_that_breaks_the_schema_names_the_path(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"schema_version": "1.0", "projects": [{"name": 3}]}), encoding="utf-8")
    with pytest.raises(UserError, match=r"projects\[0\]:缺少字段 year"):
        read_records(path)


def test_reading_non_json_is_a_user_error(tmp_path):
    path = tmp_path / "junk.json"
    path.write_bytes(b"\x00\xffPK\x03")
    with pytest.raises(UserError, match="junk.json"):
        read_records(path)
