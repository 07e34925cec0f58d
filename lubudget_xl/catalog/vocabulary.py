"""The form's vocabulary: every label the official forms print, with its variants (versioned data).

Provinces and years name the same fields otherwise (项目执行单位 for 实施单位, 当年预期实现值 for
本年度指标值, 数量目标 for 数量指标 …). `data/vocabulary.json` lists them once, checked against
`schemas/vocabulary.schema.json`; the workbook reader, the text importer and the template all ask
this module, so no reader keeps a label table of its own.

Matching folds what people and extraction vary and the form does not mean: full-width forms (NFKC),
traditional characters, spaces, a trailing colon, bracketed notes and scores ("(必填)", "(50分)",
"(0-20)分", "(万元)"), a leading ★ and an ordinal ("一、", "1."). The text as printed is kept by the
callers (in `extra`, in messages); only the comparison folds.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from lubudget_xl.model import Funds, Location

# Traditional → simplified, for the characters the form's labels and level names use (published
# tables from Hong Kong-style fonts and some web systems come traditional).
_TRADITIONAL = str.maketrans(
    "項稱實單資總額財撥款執預績標級產數質時據經濟會態續滿務對象內評價長開達準確護區縣專擔"
    "負責聯繫電話來類別編碼況劃則進變應設計說明備註關構業費與體並當於從種歲為歷處號這個們"
    "員計劃營運轉結餘額補貼還",
    "项称实单资总额财拨款执预绩标级产数质时据经济会态续满务对象内评价长开达准确护区县专担"
    "负责联系电话来类别编码况划则进变应设计说明备注关构业费与体并当于从种岁为历处号这个们"
    "员计划营运转结余额补贴还",
)
_BLANKS = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_NOTE = re.compile(r"\([^()]*\)分?|\[[^\[\]]*\]|【[^【】]*】|<[^<>]*>")
_LEVEL_SCORE = re.compile(r"(指标|目标)[\d.~\-—]+分$")
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\d{1,2}[、.](?!\d)|[(][一二三四五六七八九十\d]+[)])")
_MARKS = "★☆*※△▲●◆■□√ "
# Lists in the "funds" group that are not fields (prefixes and parts, which overlap by design).
_NOT_FIELDS = ("extra_prefixes", "multi_year_columns", "fiscal_parts", "other_parts")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """`text` as labels are compared: NFKC, simplified, no blanks, no trailing colon."""
    key = unicodedata.normalize("NFKC", text or "").translate(_TRADITIONAL)
    return _BLANKS.sub("", key).rstrip(":")


@lru_cache(maxsize=65536)
def bare(text: str) -> str:
    """`fold(text)` without bracketed notes and scores, marks and a leading ordinal:
    "数量指标(必填硬性指标)" → "数量指标", "成本指标(0-20)分" → "成本指标", "★一、项目名称:" → "项目名称"."""
    key = fold(text).strip(_MARKS)
    key = _ORDINAL.sub("", key)
    while True:
        stripped = _NOTE.sub("", key)
        if stripped == key:
            break
        key = stripped
    key = _LEVEL_SCORE.sub(r"\1", key)
    return key.strip(_MARKS).rstrip(":")


@dataclass(frozen=True, eq=False)  # hashed by identity: its lookups are cached per instance
class Vocabulary:
    """Lookups over the vocabulary data; build it with `vocabulary()`."""

    data: dict[str, Any]

    @property
    def version(self) -> str:
        return self.data["version"]

    @cache  # noqa: B019 - the one instance lives for the process
    def _index(self, group: str) -> dict[str, str]:
        """bare(variant) → field, for one group ("header", "funds", "grid_columns", …)."""
        parts = group.split(".")
        node: Any = self.data
        for part in parts:
            node = node[part]
        index: dict[str, str] = {}
        for field, variants in node.items():
            if field in _NOT_FIELDS:
                continue
            for variant in [field, *variants] if group.startswith("levels") else variants:
                index.setdefault(bare(variant), field)
        return index

    def header_field(self, text: str) -> str | None:
        """The record field a header label names: name, unit, competent_department, attribute,
        period, funds, goal, grid, department; "other_goal" / "other_grid" for the long-term ones
        (中期目标, 长期绩效指标), "extra" for a known label the record does not model (项目负责人)."""
        key = bare(text)
        found = self._index("header").get(key)
        if found is not None:
            return found
        other = self._index("header_other").get(key)
        if other is not None:
            return {"goal": "other_goal", "grid": "other_grid"}.get(other, "extra")
        return None

    def fund_field(self, text: str) -> str | None:
        """"total", "fiscal", "other", "extra" (a fund row the record keeps in Funds.extra) or None."""
        key = bare(fold(text).removeprefix("其中:").removeprefix("其中"))
        if not key:
            return None
        found = self._index("funds").get(key)
        if found in ("total", "fiscal", "other"):
            return found
        funds = self.data["funds"]
        if key.startswith(tuple(funds["extra_prefixes"])) or key.endswith(("资金", "资金总额")) or "结转" in key:
            return "extra"
        return None

    def fund_part(self, label: str) -> str | None:
        """"fiscal" for a fiscal source row (上级资金, 中央资金, 市级资金 …), "other" for another
        source (自有资金, 事业收入 …), else None. Ordinals are dropped: "1.中央资金"."""
        key = bare(fold(label).removeprefix("其中:").removeprefix("其中"))
        for part, name in (("fiscal", "fiscal_parts"), ("other", "other_parts")):
            if key in self._labels_of("funds", name):
                return part
        return None

    @cache  # noqa: B019
    def _labels_of(self, group: str, key: str) -> frozenset[str]:
        return frozenset(bare(t) for t in self.data[group][key])

    def complete_funds(self, funds: Funds, locations: dict[str, Location]) -> None:
        """Forms without a 财政拨款 row list its sources (中央资金, 市级资金, 区级资金 …): the year's
        fiscal money is their sum, and likewise 其他资金 of 自有资金, 事业收入 …. The parts stay in
        `Funds.extra`; the sum is located at the first part. A form printing the year's fiscal money
        and no total (年度本级预算金额 alone) has that as its total."""
        for part in ("fiscal", "other"):
            if getattr(funds, part) is not None:
                continue
            labels = [k for k, v in funds.extra.items() if v is not None and self.fund_part(k) == part]
            if labels:
                setattr(funds, part, round(sum(funds.extra[k] or 0.0 for k in labels), 6))
                where = locations.get(f"funds.{labels[0]}")
                if where is not None:
                    locations[f"funds.{part}"] = where
        if funds.total is None and "funds.total" not in locations and funds.fiscal is not None and not funds.extra:
            # A form with no total row, printing only the year's fiscal money (年度本级预算金额): that is
            # the year's total. An empty 年度资金总额 on a form that has one stays empty (a finding).
            funds.total = round(funds.fiscal + (funds.other or 0.0), 6)
            if "funds.fiscal" in locations:
                locations["funds.total"] = locations["funds.fiscal"]

    def is_multi_year_column(self, text: str) -> bool:
        """A fund column for the whole project period (中期资金, 项目总预算), beside the year's."""
        return bare(text).startswith(tuple(self.data["funds"]["multi_year_columns"]))

    def grid_column(self, text: str) -> str | None:
        """level1/level2/level3/value/sign/unit/note/standard/weight for a grid heading."""
        return self._index("grid_columns").get(bare(text))

    def level1(self, text: str) -> str | None:
        """The vocabulary's name for a level-one label ("效果指标" → "效益指标"), or None."""
        return self._index("levels.level1").get(bare(text))

    def level2(self, text: str) -> str | None:
        """The vocabulary's name for a level-two label ("进度指标" → "时效指标"), or None."""
        return self._index("levels.level2").get(bare(text))

    def form_kind(self, text: str) -> str | None:
        """What a title says the table is: "department_overall", "self_evaluation", "target" or None.
        The more specific kinds are tried first: 部门整体支出绩效目标表 also contains 绩效目标表."""
        key = bare(text)
        forms = self.data["forms"]
        for kind in ("department_overall", "self_evaluation", "target"):
            if any(bare(t) in key for t in forms[kind]):
                return kind
        return None

    def is_self_evaluation_label(self, text: str) -> bool:
        return bare(text) in self._labels_of("forms", "self_evaluation_labels")

    def is_list_heading(self, text: str) -> bool:
        """A column heading of a spending list or budget table (金额, 功能科目 …)."""
        return bare(text) in self._labels_of("forms", "list_headings")

    def official(self, group: str, field: str) -> str:
        """The official form's wording of a field: the first variant listed ("实施单位", "本年度指标值")."""
        return self.data[group][field][0]

    def variants(self, group: str) -> dict[str, list[str]]:
        """The printed variants of one group, e.g. `variants("header")["unit"]`."""
        node: Any = self.data
        for part in group.split("."):
            node = node[part]
        return {k: list(v) for k, v in node.items()}


@cache
def vocabulary() -> Vocabulary:
    """The shipped vocabulary. It is checked against its schema by the tests (as the catalogues
    are), not on every load: workers of a consolidation load it once each."""
    text = resources.files("lubudget_xl.catalog").joinpath("data", "vocabulary.json").read_text(encoding="utf-8")
    return Vocabulary(json.loads(text))


def vocabulary_problems(data: Any) -> list[str]:
    """Schema violations, then variants claimed by two fields of one group (Chinese, for tests and
    `catalog validate`)."""
    from lubudget_xl.schemas import describe_error, validator

    problems = [describe_error(e) for e in validator("vocabulary").iter_errors(data)]
    if problems:
        return problems
    groups = ["header", "funds", "grid_columns", "levels.level1", "levels.level2"]
    for group in groups:
        node: Any = data
        for part in group.split("."):
            node = node[part]
        seen: dict[str, str] = {}
        for field, variants in node.items():
            if not isinstance(variants, list) or field in _NOT_FIELDS:
                continue
            for variant in variants:
                key = bare(variant)
                if key in seen and seen[key] != field:
                    problems.append(f"{group}: “{variant}”同时属于 {seen[key]} 和 {field}")
                seen.setdefault(key, field)
    return problems
