"""Checks of a catalogue's JSON: the schema (reported in Chinese) and what a schema cannot say.

A catalogue is written by hand by the template maintainer, so every finding names the JSON path
*and* the node's Chinese name (`tree[0](产出指标).children[3](成本指标)`): that is what they can find
in their editor. `load_catalog` refuses a catalogue with errors; `lubudget catalog validate` lists all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lubudget_xl.catalog.core import clean_name, load_catalog, shipped_names
from lubudget_xl.schemas import describe_error, describe_path, validator

ERROR, WARNING = "error", "warning"
_LABEL = {ERROR: "错误", WARNING: "警告"}

# Settings whose values name level twos of the catalogue's own tree.
LEVEL2_SETTINGS = (
    "required_level2",
    "quantified_level2",
    "quantify_where_possible_level2",
    "cost_level2",
    "satisfaction_level2",
)


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        return f"[{_LABEL[self.severity]}] {self.path}: {self.message}"

    def to_dict(self) -> dict[str, str]:
        return {"severity": self.severity, "path": self.path, "message": self.message}


def schema_problems(data: Any) -> list[Problem]:
    """Every place where `data` breaks catalog.schema.json, in document order."""
    errors = sorted(validator("catalog").iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    problems = [Problem(describe_path(data, e.absolute_path), describe_error(e)) for e in errors]
    return list(dict.fromkeys(problems))  # one "required" error per missing key names them all


def semantic_problems(
    data: dict[str, Any], old_tree: Sequence[dict[str, Any]] | None = None
) -> list[Problem]:
    """What the schema cannot check; `data` must already satisfy it. `old_tree`: the superseded
    catalogue's tree, to check that migration sources exist and every old pair is accounted for."""
    out: list[Problem] = []
    tree = data["tree"]
    pairs = {(n["name"], c["name"]) for n in tree for c in n["children"]}
    level2_all = {c["name"] for n in tree for c in n["children"]}
    out += _name_collisions(data)
    units, signs = set(data["units"]), set(data["signs"])
    for i, node in enumerate(tree):
        for j, child in enumerate(node["children"]):
            seen: set[str] = set()
            for k, sug in enumerate(child["suggestions"]):
                here = ["tree", i, "children", j, "suggestions", k]
                key = clean_name(sug["name"])
                if key in seen:
                    out.append(Problem(describe_path(data, here), f"建议三级指标“{sug['name']}”重复"))
                seen.add(key)
                if sug["unit"] and sug["unit"] not in units:
                    out.append(
                        Problem(
                            describe_path(data, [*here, "unit"]),
                            f"计量单位“{sug['unit']}”不在本目录的 units 列表中",
                        )
                    )
                if sug["sign"] not in signs:
                    out.append(
                        Problem(
                            describe_path(data, [*here, "sign"]),
                            f"符号“{sug['sign']}”不在本目录的 signs 列表中",
                        )
                    )
                if sug["sign"] == "定性" and sug["unit"]:
                    out.append(
                        Problem(
                            describe_path(data, [*here, "unit"]),
                            f"定性指标不应有计量单位(“{sug['unit']}”)",
                            WARNING,
                        )
                    )
    settings = data["settings"]
    for key in LEVEL2_SETTINGS:
        for k, name in enumerate(settings.get(key, [])):
            if name not in level2_all:
                out.append(
                    Problem(
                        describe_path(data, ["settings", key, k]), f"“{name}”不是本目录指标体系中的二级指标"
                    )
                )
    known = validator("catalog").schema["properties"]["settings"]["properties"]
    for key in settings:
        if key not in known:
            out.append(
                Problem(
                    describe_path(data, ["settings", key]),
                    f"不认识的规则设置“{key}”(若是拼写错误,规则将按默认值执行)",
                    WARNING,
                )
            )
    for k, sign in enumerate(settings.get("cost_signs", [])):
        if sign not in signs:
            out.append(
                Problem(
                    describe_path(data, ["settings", "cost_signs", k]),
                    f"符号“{sign}”不在本目录的 signs 列表中",
                )
            )
    out += _migration_problems(data, pairs, old_tree)
    return out


def _name_collisions(data: dict[str, Any]) -> list[Problem]:
    """Two level ones (or two level twos of one level one) answering to the same cleaned name."""
    out: list[Problem] = []
    l1_owner: dict[str, str] = {}
    for i, node in enumerate(data["tree"]):
        for a, alias in enumerate([node["name"], *node["aliases"]]):
            where = ["tree", i, "name"] if a == 0 else ["tree", i, "aliases", a - 1]
            out += _claim(data, l1_owner, alias, node["name"], where, "一级指标")
        l2_owner: dict[str, str] = {}
        for j, child in enumerate(node["children"]):
            for a, alias in enumerate([child["name"], *child["aliases"]]):
                base = ["tree", i, "children", j]
                where = [*base, "name"] if a == 0 else [*base, "aliases", a - 1]
                out += _claim(data, l2_owner, alias, child["name"], where, f"{node['name']}下的二级指标")
    return out


def _claim(
    data: Any, owner: dict[str, str], alias: str, name: str, where: list[Any], what: str
) -> list[Problem]:
    key = clean_name(alias)
    if not key:
        return [Problem(describe_path(data, where), f"名称“{alias}”去掉空格和括号注释后为空")]
    if key in owner and owner[key] != name:
        return [
            Problem(
                describe_path(data, where), f"“{alias}”同时指向{what}“{owner[key]}”和“{name}”,读表时无法区分"
            )
        ]
    if key in owner:
        return [Problem(describe_path(data, where), f"“{alias}”与“{name}”的名称或别名重复", WARNING)]
    owner[key] = name
    return []


def _migration_problems(
    data: dict[str, Any], pairs: set[tuple[str, str]], old_tree: Sequence[dict[str, Any]] | None
) -> list[Problem]:
    out: list[Problem] = []
    entries = data.get("migration", [])
    if entries and not data.get("supersedes"):
        out.append(Problem("migration", "有迁移映射,但 supersedes 为空:不知道从哪个目录迁移"))
    old_pairs = {(n["name"], c["name"]) for n in old_tree for c in n["children"]} if old_tree else None
    sources: set[tuple[str, str]] = set()
    for k, entry in enumerate(entries):
        src = (entry["from"]["level1"], entry["from"]["level2"])
        if src in sources:
            out.append(
                Problem(describe_path(data, ["migration", k, "from"]), f"“{src[0]}/{src[1]}”映射了不止一次")
            )
        sources.add(src)
        if old_pairs is not None and src not in old_pairs:
            out.append(
                Problem(
                    describe_path(data, ["migration", k, "from"]),
                    f"“{src[0]}/{src[1]}”不在被取代目录 {data['supersedes']} 的指标体系中",
                )
            )
        target = entry["to"]
        if target is not None and (target["level1"], target["level2"]) not in pairs:
            out.append(
                Problem(
                    describe_path(data, ["migration", k, "to"]),
                    f"迁移目标“{target['level1']}/{target['level2']}”不在本目录的指标体系中",
                )
            )
    if old_pairs is not None:
        for pair in sorted(old_pairs - sources - pairs):
            out.append(
                Problem("migration", f"被取代目录的“{pair[0]}/{pair[1]}”没有迁移映射,结转时无法归类", WARNING)
            )
    return out


def release_problems(data: dict[str, Any], name_or_path: str = "") -> list[Problem]:
    """A file reusing a released built-in catalogue's version with other content: released
    catalogues are never edited (a change is a new file with a higher revision)."""
    out = []
    for name in shipped_names():  # the maintainer's own files are drafts until they ship
        released = load_catalog(name)
        same_version = (data["id"], data["year"], data["revision"]) == (
            released.data["id"],
            released.data["year"],
            released.data["revision"],
        )
        if same_version and name != name_or_path and released.data != data:
            out.append(
                Problem(
                    "revision",
                    f"与内置目录 {name} 的版本 {released.version} 相同但内容不同:"
                    "已发布的目录不得修改,请另存为新文件并提高 revision",
                )
            )
    return out
