"""The year's indicator catalogue: tree, aliases, lists and rule settings (versioned data, STYLE.md §6).

Nothing about the tree is hard-coded elsewhere: readers normalise names through `Catalog`, rules
take their settings from it, the template builder takes its dropdown lists from it, and rollover
maps last year's (level one, level two) pairs through `Catalog.migrate`.

Catalogues are files `catalog/data/<name>.json` checked against `schemas/catalog.schema.json`. A
released file is never edited: a new revision is a new file whose `supersedes` names the old one.
"""

from __future__ import annotations

import copy
import json
import os
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from lubudget_xl.catalog.vocabulary import vocabulary
from lubudget_xl.errors import UserError, os_error_reason

_DATA = resources.files("lubudget_xl.catalog").joinpath("data")

_SPACES = re.compile(r"[\s\u3000]+")
_NOTE = re.compile(r"[(（][^)）]*[)）]")
_LEVEL_SCORE = re.compile(r"(指标|目标)[\d.~\-—]*分$")  # "成本指标(0-20)分" once the note is gone

# *Policy* defaults (RULES.md): used where a catalogue's `settings` leaves a key out.
DEFAULT_SETTINGS: dict[str, Any] = {
    "satisfaction_floor": 90,
    "fund_tolerance": 0.005,
    "required_level2": [],
    "quantified_level2": ["数量指标", "成本指标"],
    "quantify_where_possible_level2": ["质量指标", "时效指标"],
    "cost_level2": ["成本指标"],
    "satisfaction_level2": ["服务对象满意度指标"],
    "cost_signs": ["≤", "＜", "＝"],
    "min_level3_rows": 1,
    "vague_words": ["进一步", "提高", "提升", "明显", "有效", "确保", "保障", "促进", "加强", "积极", "更好"],
    "placeholder_words": [
        "预算绩效目标值",
        "预期目标值",
        "达到预期目标值",
        "预期绩效目标值",
        "达到预期绩效目标值",
        "*",
        "**",
        "XX",
        "-",
        "/",
    ],
    "not_applicable_words": ["本项目不适用此指标", "不适用", "无"],
    "money_units": {"元": 0.0001, "万元": 1, "亿元": 10000},
    # 绩效自评 (财预〔2020〕10号): points per part, spread over each level one's rows; level ones not
    # named (101号's 成本指标) count with the group selfeval_weight_groups gives them.
    "selfeval_weights": {"预算执行率": 10, "产出指标": 50, "效益指标": 30, "满意度指标": 10},
    "selfeval_weight_groups": {"成本指标": "产出指标"},
    # Qualitative results and the share of the weight each may earn: [result, from %, to %].
    "selfeval_qualitative": [
        ["达成年度指标", 80, 100],
        ["部分达成年度指标并具有一定效果", 60, 80],
        ["未达成年度指标且效果较差", 0, 60],
    ],
    # Grades of the total: the first whose floor the total reaches.
    "selfeval_grades": [[90, "优"], [80, "良"], [60, "中"], [0, "差"]],
    "selfeval_score_tolerance": 0.1,
    "selfeval_rate_tolerance": 0.1,
}
_MAX_LISTED = 8


@lru_cache(maxsize=8192)
def clean_name(text: str) -> str:
    """Drop spaces (PDF extraction inserts them), bracketed notes ("数量指标(必填硬性指标)") and a
    level's score ("成本指标(0-20)分", "产出指标50分").

    Cached: the rules normalise the same few dozen level names for every indicator row (profiled:
    this function was a fifth of the rules' time before)."""
    return _LEVEL_SCORE.sub(r"\1", _NOTE.sub("", _SPACES.sub("", text or "")))


Pair = tuple[str, str]


@dataclass
class Catalog:
    data: dict[str, Any]
    path: str = ""
    _l1: dict[str, str] = field(default_factory=dict, repr=False)
    _l2: dict[str, list[Pair]] = field(default_factory=dict, repr=False)
    _migration: dict[Pair, Pair | None] = field(default_factory=dict, repr=False)
    _canonical: dict[tuple[str, str], tuple[str | None, str | None]] = field(default_factory=dict, repr=False)
    _previous: Catalog | bool | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        for node in self.data["tree"]:
            for alias in [node["name"], *node.get("aliases", [])]:
                self._l1.setdefault(clean_name(alias), node["name"])
            for child in node.get("children", []):
                for alias in [child["name"], *child.get("aliases", [])]:
                    pairs = self._l2.setdefault(clean_name(alias), [])
                    if (node["name"], child["name"]) not in pairs:
                        pairs.append((node["name"], child["name"]))
        for entry in self.data.get("migration", []):
            src = (clean_name(entry["from"]["level1"]), clean_name(entry["from"]["level2"]))
            to = entry["to"]
            self._migration[src] = (to["level1"], to["level2"]) if to else None

    # --- identity -------------------------------------------------------------------------------
    @property
    def year(self) -> int:
        return int(self.data["year"])

    @property
    def version(self) -> str:
        """`<id>-<year>.<revision>`, e.g. anhui-88-2021.1: what a template records as its catalogue."""
        return f"{self.data['id']}-{self.data['year']}.{self.data['revision']}"

    @property
    def title(self) -> str:
        return self.data["title"]

    @property
    def superseded(self) -> str | None:
        """Name of the catalogue this one replaces (a built-in name such as "2021"), or None."""
        return self.data.get("supersedes")

    # --- lists and settings ---------------------------------------------------------------------
    @property
    def settings(self) -> dict[str, Any]:
        """The catalogue's rule settings over DEFAULT_SETTINGS (*policy* values have defaults)."""
        return {**copy.deepcopy(DEFAULT_SETTINGS), **self.data.get("settings", {})}

    @property
    def required_level2(self) -> list[str]:
        return list(self.settings["required_level2"])

    @property
    def units(self) -> list[str]:
        return list(self.data.get("units", []))

    @property
    def signs(self) -> list[str]:
        return list(self.data.get("signs", []))

    @property
    def attributes(self) -> list[str]:
        """Allowed 项目属性 values (经常性项目 / 一次性项目 …)."""
        return list(self.data.get("attributes", []))

    @property
    def form(self) -> dict[str, Any]:
        """What the year's printed form has: header_fields, sign_column, unit_column, extra_fund_rows."""
        base = {"header_fields": [], "sign_column": False, "unit_column": False, "extra_fund_rows": []}
        return {**base, **copy.deepcopy(self.data.get("form", {}))}

    # --- the tree -------------------------------------------------------------------------------
    def level1_names(self) -> list[str]:
        return [n["name"] for n in self.data["tree"]]

    def level2_names(self, level1: str) -> list[str]:
        for node in self.data["tree"]:
            if node["name"] == level1:
                return [c["name"] for c in node.get("children", [])]
        return []

    def pairs(self) -> list[Pair]:
        """Every (level one, level two) of the tree, in form order."""
        return [(n["name"], c["name"]) for n in self.data["tree"] for c in n.get("children", [])]

    def normalize_level1(self, text: str) -> str | None:
        """Canonical level-one name for `text` (aliases included), or None when it is not one.

        Exact match after cleaning only: a clipped label such as "绩" stays None rather than being
        guessed, so the reader reports it instead of filing the row somewhere wrong. Names other
        forms print (效果指标, 产出目标 …) are mapped through the form vocabulary."""
        found = self._l1.get(clean_name(text))
        if found is None and text:
            known = vocabulary().level1(text)
            found = self._l1.get(known) if known else None
        return found

    def normalize_level2(self, text: str, level1: str | None = None) -> Pair | None:
        """(level one, level two) for a level-two name; `level1` picks among homonyms."""
        pairs = self._l2.get(clean_name(text))
        if not pairs and text:
            known = vocabulary().level2(text)
            pairs = self._l2.get(known) if known else None
        if not pairs:
            return None
        if level1:
            wanted = self.normalize_level1(level1) or level1
            for pair in pairs:
                if pair[0] == wanted:
                    return pair
        return pairs[0]

    def canonical_levels(self, level1: str, level2: str) -> tuple[str | None, str | None]:
        """(level one, level two) as this catalogue names them, None where a name is unknown; level two
        is resolved even when it belongs to another level one. Memoised: rules ask per row, often."""
        key = (level1, level2)
        found = self._canonical.get(key)
        if found is None:
            l1 = self.normalize_level1(level1)
            pair = self.normalize_level2(level2, l1)
            found = self._canonical[key] = (l1, pair[1] if pair else None)
        return found

    def is_pair(self, level1: str, level2: str) -> bool:
        return level2 in self.level2_names(level1)

    def _child(self, level2: str, level1: str | None) -> dict[str, Any] | None:
        pair = self.normalize_level2(level2, level1)
        if pair is None:
            return None
        for node in self.data["tree"]:
            if node["name"] == pair[0]:
                for child in node["children"]:
                    if child["name"] == pair[1]:
                        return child
        return None

    def suggestions(self, level2: str, level1: str | None = None) -> list[dict[str, str]]:
        """Suggested level-three names under a level two: [{"name", "unit", "sign", ["example"]}]."""
        child = self._child(level2, level1)
        return copy.deepcopy(child.get("suggestions", [])) if child else []

    def definition(self, level2: str, level1: str | None = None) -> str:
        child = self._child(level2, level1)
        return child.get("definition", "") if child else ""

    # --- rollover -------------------------------------------------------------------------------
    def migrate(self, level1: str, level2: str) -> Pair | None:
        """Where last year's (level one, level two) goes in this catalogue, or None (not mapped).

        Names are read through the superseded catalogue's aliases first; its `migration` list then
        decides (an entry with "to": null means deliberately dropped); a pair the list does not
        name is kept when this tree has it unchanged."""
        candidates = [(clean_name(level1), clean_name(level2))]
        old = self.previous()
        if old is not None:
            old_l1 = old.normalize_level1(level1)
            old_pair = old.normalize_level2(level2, old_l1) if old_l1 else None
            if old_pair and old_pair[0] == old_l1:
                candidates.append(old_pair)
        for key in candidates:
            if key in self._migration:
                return self._migration[key]
        l1 = self.normalize_level1(level1)
        pair = self.normalize_level2(level2, l1) if l1 else None
        return pair if pair and pair[0] == l1 else None

    def previous(self) -> Catalog | None:
        """The superseded catalogue (built-in, or `<name>.json` beside this file), else None."""
        if self._previous is None:
            found = find_catalog(
                self.superseded, Path(self.path).parent if Path(self.path).is_file() else None
            )
            self._previous = load_catalog(found) if found else False
        return self._previous or None

    def migrations(self) -> list[tuple[Pair, Pair | None]]:
        """The maintainer's mapping as written: [((old l1, old l2), (new l1, new l2) | None)]."""
        out = []
        for entry in self.data.get("migration", []):
            to = entry["to"]
            out.append(
                (
                    (entry["from"]["level1"], entry["from"]["level2"]),
                    (to["level1"], to["level2"]) if to else None,
                )
            )
        return out


MAINTAINER_FOLDER_ENV = "LUBUDGET_CATALOG_DIR"


def maintainer_folder() -> Path:
    """Where the maintainer's own catalogues live (`lubudget catalog new` writes there): the folder
    named by LUBUDGET_CATALOG_DIR, else ~/.lubudget/catalogs. Their names work like the shipped ones
    everywhere (`--catalog 2023`, a 2023 workbook checked with the 2023 catalogue)."""
    return Path(os.environ.get(MAINTAINER_FOLDER_ENV) or Path.home() / ".lubudget" / "catalogs")


def maintainer_catalogs() -> dict[str, Path]:
    """Name → file of the maintainer's catalogues (a shipped name is never shadowed)."""
    folder = maintainer_folder()
    try:
        found = {p.stem: p for p in folder.iterdir() if p.suffix == ".json" and p.stem[:1].isdigit() and p.is_file()}
    except OSError:  # no such folder (the usual case), or unreadable
        return {}
    shipped = set(shipped_names())
    return {name: path for name, path in sorted(found.items()) if name not in shipped}


def shipped_names() -> list[str]:
    """The catalogues released with the package (frozen, `catalog/data/`)."""
    # Catalogues are named by year ("2022", "2022-101"); the folder also holds the form vocabulary.
    return sorted(p.name[: -len(".json")] for p in _DATA.iterdir() if p.name.endswith(".json") and p.name[:1].isdigit())


def builtin_names() -> list[str]:
    """Every catalogue known by name: the shipped ones and the maintainer's (`maintainer_folder`)."""
    return sorted({*shipped_names(), *maintainer_catalogs()})


def find_catalog(name: str | None, beside: Path | None = None) -> str | None:
    """Where catalogue `name` (as written in `supersedes`) lives: a built-in name, or the path of
    `<name>.json` in folder `beside` (a maintainer's drafts sit side by side); None if nowhere."""
    if not name:
        return None
    if name in builtin_names():
        return name
    if beside is not None and (beside / f"{name}.json").is_file():
        return str(beside / f"{name}.json")
    return None


def read_catalog_json(name_or_path: str | Path) -> tuple[Any, str]:
    """(parsed JSON, where) for a built-in name or a file path; UserError when unreadable."""
    text_name = str(name_or_path)
    if text_name in shipped_names():
        ref = _DATA.joinpath(f"{text_name}.json")
        text, where = ref.read_text(encoding="utf-8"), f"内置目录 {text_name}"
    else:
        path = maintainer_catalogs().get(text_name) or Path(name_or_path)
        if not path.is_file():
            known = "、".join(builtin_names())
            raise UserError(f"找不到指标目录 {text_name}(内置目录: {known};或给出 JSON 文件路径)")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise UserError(f"{path}: 指标目录须为 UTF-8 编码的 JSON 文件") from None
        except OSError as exc:
            raise UserError(f"{path}: 无法读取指标目录({os_error_reason(exc)})") from None
        where = str(path)
    try:
        return json.loads(text), where
    except json.JSONDecodeError as exc:
        raise UserError(f"{where}: 不是有效的 JSON(第{exc.lineno}行第{exc.colno}列:{exc.msg})") from None


def refuse_if_broken(data: Any, where: str) -> None:
    """UserError listing the schema violations, else the semantic errors, of a catalogue."""
    from lubudget_xl.catalog.check import ERROR, schema_problems, semantic_problems

    problems = schema_problems(data)
    kind = "不符合指标目录格式"
    if not problems:
        problems = [p for p in semantic_problems(data) if p.severity == ERROR]
        kind = "内容有误"
    if problems:
        lines = [f"  {p.path}: {p.message}" for p in problems[:_MAX_LISTED]]
        more = f"\n  …另有 {len(problems) - _MAX_LISTED} 处" if len(problems) > _MAX_LISTED else ""
        raise UserError(f"{where}: 指标目录{kind}(共 {len(problems)} 处):\n" + "\n".join(lines) + more)


@cache
def _builtin_data(name: str) -> dict[str, Any]:
    # Shipped catalogues are checked by the test suite (test_every_shipped_catalogue_is_valid)
    # and are frozen once released; checking them again would cost every process ~130 ms
    # (jsonschema's import and a full validation), paid by each worker of a consolidation.
    data, _ = read_catalog_json(name)
    return data


@lru_cache(maxsize=32)
def _checked_file(path: str, mtime_ns: int) -> dict[str, Any]:
    data, where = read_catalog_json(path)
    refuse_if_broken(data, where)
    return data


def load_catalog(name_or_path: str | Path) -> Catalog:
    """A built-in catalogue by name ("2021", "2022", "2022-101", …) or a JSON file by path.

    A catalogue file is checked against the schema (and for colliding names, unknown level twos in
    settings, migration targets outside the tree) before use; a broken one raises UserError.
    Built-in catalogues were checked when they were shipped (tests)."""
    text_name = str(name_or_path)
    if text_name in shipped_names():
        return Catalog(data=copy.deepcopy(_builtin_data(text_name)), path=f"内置目录 {text_name}")
    mine = maintainer_catalogs().get(text_name)
    if mine is not None:  # checked once per file version: a maintainer may edit it between runs
        return Catalog(data=copy.deepcopy(_checked_file(str(mine), mine.stat().st_mtime_ns)), path=str(mine))
    data, where = read_catalog_json(name_or_path)
    refuse_if_broken(data, where)
    return Catalog(data=data, path=where)
