"""The text importer on real published tables (tests/fixtures/real), field for field against their
hand-written expectations (issue 17, docs/mutation.md): a small change of the importer that reads one
cell differently fails here. The fixtures listed are the ones the importer reads completely; those
the layout tests (test_textimport_real_layouts.py) already pin are not repeated."""

from __future__ import annotations

import pytest
from real_corpus import fixtures, load_expected, read_and_compare

READ_IN_FULL = [
    "chongqing_fengjie_2023_yunwu_jiagongyuan",
    "guangdong_dongguan_2019_zhenji_lianwanglu",
    "hubei_huangshi_2022_dangxiao_zhutiban",
    "hunan_hengyang_nanyue_2023_yulu_jihua",
    "hunan_xiangtan_2024_wupaoche",
    "neimenggu_wuhai_2021_zaisheng_ziyuan",
    "zhejiang_linhai_lvhua_yanghu",
]


@pytest.mark.parametrize("slug", READ_IN_FULL)
def test_a_real_table_is_read_field_for_field(slug):
    fx = next(f for f in fixtures() if f.slug == slug)
    score = read_and_compare(fx.text, load_expected(slug))
    assert score.error is None and score.projects_read == score.projects_expected == 1
    assert score.rows_read == score.rows_expected
    assert score.misses == [] and score.fields_right == score.fields_expected > 0


@pytest.mark.parametrize("fx", [f for f in fixtures() if f.is_target], ids=lambda f: f.slug)
def test_no_real_table_loses_indicator_rows_silently(fx):
    score = read_and_compare(fx.text, load_expected(fx.slug))
    assert score.error is None
    assert not score.silent_loss, f"{fx.slug}: {score.rows_read} of {score.rows_expected} rows, no error finding"
