"""Suggested 三级指标 that fit every bureau: drawn from many departments' published tables.

The shipped catalogues suggest the level-three names of one office's 2021 table (市长热线, 四送一服 …).
`data/suggested_level3.json` holds the indicator rows of published tables from many provinces and
bureaus (the real-forms corpus, tests/fixtures/real/, and the seed), each with where it was
published; `harvest` turns them into a curated list per level two of a catalogue's tree:

- names cleaned (full-width folded, spaces, trailing punctuation and scores such as "(10分)" removed);
- names that only fit one project left out: with digits or quotes, longer than MAX_NAME characters,
  a level's own name, template filler; a name from one table only is kept when it says what any
  bureau measures (GENERIC: …满意度, …合格率, …完成率, 项目总成本, 实施期限 …);
- near-duplicates (one character apart: 提高政策决策科学性 / 提高政府决策科学性) merged into the more
  frequent spelling;
- sorted by how many rows use them (then by name), at most PER_LEVEL2 per level two, each with its
  usual sign and unit (the most frequent among its values), the count and how many publishers (web
  sites: one bureau's tables of two years are one voice) it came from.

Released catalogues are frozen, so the list reaches a catalogue through a new file:
`lubudget catalog new` writes it into next year's catalogue, where the maintainer can extend it.
`rows_from_expectations` reads the corpus expectations; `tests/test_suggestions.py` keeps the data
file equal to what the corpus gives.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from lubudget_xl.catalog.core import Catalog, clean_name
from lubudget_xl.duplicates import _one_apart

DATA_FILE = "suggested_level3.json"
MAX_NAME = 16
PER_LEVEL2 = 15
_SCORE = re.compile(r"[(（][^)）]*分[)）]$")
_TRAILING = re.compile(r"[。.,,;;:：、\s]+$")
_PROJECT_SPECIFIC = re.compile(r"[0-9“”\"《》]")
_FILLER = ("预算绩效目标值", "预期目标值", "指标值", "三级指标", "XX", "**", "【", "】")
# A name that fits any bureau's project by what it measures; others must come from two tables or more.
GENERIC = re.compile(
    r"(满意度|满意率|合格率|完成率|及时率|达标率|覆盖率|知晓率|使用率|执行率|到位率|总成本|单位成本|"
    r"实施期限|完成时间|完成时限|实施时限|使用年限|受益人数|培训人次)$"
)


def clean_level3(text: str | None) -> str:
    name = unicodedata.normalize("NFKC", text or "")
    name = "".join(name.split())
    name = _TRAILING.sub("", _SCORE.sub("", name))
    return name


def _publisher(source: str) -> str:
    """Who published a table: the web site (two years of one bureau's table are one voice)."""
    from urllib.parse import urlsplit

    return urlsplit(source).netloc or source


def _usable(name: str, catalog: Catalog) -> bool:
    if not (2 <= len(name) <= MAX_NAME) or _PROJECT_SPECIFIC.search(name) or any(f in name for f in _FILLER):
        return False
    levels = {clean_name(n) for n in catalog.level1_names()} | {clean_name(c) for _, c in catalog.pairs()}
    return clean_name(name) not in levels


def _pair(catalog: Catalog, level1: str, level2: str) -> tuple[str, str] | None:
    l1, l2 = catalog.canonical_levels(level1 or "", level2 or "")
    if l1 and l2 and catalog.is_pair(l1, l2):
        return l1, l2
    return catalog.migrate(level1 or "", level2 or "")  # last year's tree (成本指标 under 产出指标 …)


def harvest(rows: Iterable[dict[str, Any]], catalog: Catalog) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Curated suggestions per (level one, level two) of `catalog` from rows
    {"level1", "level2", "level3", "value", "source"}."""
    from lubudget_xl.values import parse_value

    found: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for row in rows:
        pair = _pair(catalog, row.get("level1") or "", row.get("level2") or "")
        name = clean_level3(row.get("level3"))
        if pair is None or not _usable(name, catalog):
            continue
        entry = found.setdefault(pair, {}).setdefault(
            name, {"count": 0, "signs": Counter(), "units": Counter(), "sources": set(), "example": ""}
        )
        parsed = parse_value(row.get("value") or "")
        entry["count"] += 1
        entry["sources"].add(_publisher(row.get("source") or ""))
        if parsed.kind == "quantitative":  # no sign written (450本): outputs are floors, costs ceilings
            usual = "≤" if "成本" in pair[1] else "≥"
            entry["signs"][parsed.sign or usual] += 1
            entry["units"][parsed.unit] += 1
            if len(parsed.parts) == 1:
                entry["example"] = entry["example"] or (row.get("value") or "").strip()
        elif parsed.kind == "qualitative":
            entry["signs"]["定性"] += 1
            entry["units"][""] += 1
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for pair, names in found.items():
        ranked = sorted(names, key=lambda n: (-names[n]["count"], len(n), n))
        kept: list[str] = []
        for name in ranked:  # a spelling one character from a more frequent one joins it
            twin = next((k for k in kept if _one_apart(k, name)), None)
            if twin is None:
                kept.append(name)
                continue
            into, entry = names[twin], names[name]
            into["count"] += entry["count"]
            into["signs"].update(entry["signs"])
            into["units"].update(entry["units"])
            into["sources"] |= entry["sources"]
        kept = [n for n in kept if len(names[n]["sources"]) >= 2 or GENERIC.search(n)]
        suggestions = []
        for name in sorted(kept, key=lambda n: (-names[n]["count"], n))[:PER_LEVEL2]:
            entry = names[name]
            sign = entry["signs"].most_common(1)[0][0] if entry["signs"] else "定性"
            units = Counter({u: k for u, k in entry["units"].items() if u})
            unit = units.most_common(1)[0][0] if sign != "定性" and units else ""
            item = {"name": name, "unit": unit or "", "sign": sign, "count": entry["count"],
                    "source": f"{len(entry['sources'] - {''})} 个发布单位的公开表格"}  # fmt: skip
            if entry["example"] and sign != "定性":
                item["example"] = entry["example"]
            suggestions.append(item)
        if suggestions:
            out[pair] = suggestions
    return out


def shipped_rows() -> tuple[list[dict[str, Any]], list[str]]:
    """(rows, sources) of the data file shipped with the package."""
    data = json.loads(resources.files("lubudget_xl.catalog").joinpath("data", DATA_FILE).read_text("utf-8"))
    return data["rows"], data["sources"]


def apply_suggestions(data: dict[str, Any], catalog: Catalog) -> int:
    """Put the curated lists into catalogue `data` (of `catalog`'s tree), level two by level two; a
    level two with nothing curated keeps its own list, near-duplicates merged. Units the lists use
    join `units`. Returns the number of suggestions written."""
    rows, sources = shipped_rows()
    curated = harvest(rows, catalog)
    units = list(data.get("units", []))
    written = 0
    for node in data["tree"]:
        for child in node["children"]:
            lists = curated.get((node["name"], child["name"]))
            if lists is None:  # nothing curated here: the catalogue's own, without near-duplicates
                lists = []
                for own in child.get("suggestions", []):
                    if not any(_one_apart(clean_name(k["name"]), clean_name(own["name"])) for k in lists):
                        lists.append(own)
            child["suggestions"] = lists
            written += len(child["suggestions"])
            units += [s["unit"] for s in lists if s["unit"] and s["unit"] not in units]
    data["units"] = list(dict.fromkeys(units))
    tables = len({s for s in sources})
    data["sources"] = [*data.get("sources", []),
                       f"建议三级指标按出现次数排序,取自 {tables} 张公开的项目支出绩效目标表"
                       "(多个省市、多个部门;见 lubudget_xl/catalog/data/suggested_level3.json 的 sources)"]  # fmt: skip
    return written


def rows_from_expectations(folder: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """Indicator rows of the corpus expectations (`<slug>.json`, kind "target") and their addresses."""
    rows: list[dict[str, Any]] = []
    sources: list[str] = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("kind") != "target":
            continue
        sources.append(data["address"])
        for project in data.get("projects", []):
            for level1, level2, level3, value in project.get("indicators") or []:
                rows.append({"level1": level1, "level2": level2, "level3": level3, "value": value,
                             "source": data["address"]})  # fmt: skip
    return rows, sources
