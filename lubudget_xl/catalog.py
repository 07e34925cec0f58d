"""The year's indicator catalogue: tree, aliases, lists and rule settings (versioned data, STYLE.md §6).

Nothing about the tree is hard-coded elsewhere: readers normalise names through `Catalog`, rules
take their settings from it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from lubudget_xl.errors import UserError

_SPACES = re.compile(r"[\s\u3000]+")
_NOTE = re.compile(r"[(（][^)）]*[)）]")


def clean_name(text: str) -> str:
    """Drop spaces (PDF extraction inserts them) and bracketed notes ("数量指标(必填硬性指标)")."""
    return _NOTE.sub("", _SPACES.sub("", text or ""))


@dataclass
class Catalog:
    data: dict[str, Any]
    path: str = ""
    _l1: dict[str, str] = field(default_factory=dict, repr=False)
    _l2: dict[str, list[tuple[str, str]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for node in self.data["tree"]:
            for alias in [node["name"], *node.get("aliases", [])]:
                self._l1.setdefault(clean_name(alias), node["name"])
            for child in node.get("children", []):
                for alias in [child["name"], *child.get("aliases", [])]:
                    self._l2.setdefault(clean_name(alias), []).append((node["name"], child["name"]))

    @property
    def year(self) -> int:
        return int(self.data["year"])

    @property
    def version(self) -> str:
        """`<id>-<year>.<revision>`, e.g. anhui-88-2021.1: what a template records as its catalogue."""
        return f"{self.data['id']}-{self.data['year']}.{self.data['revision']}"

    @property
    def settings(self) -> dict[str, Any]:
        return self.data.get("settings", {})

    def level1_names(self) -> list[str]:
        return [n["name"] for n in self.data["tree"]]

    def level2_names(self, level1: str) -> list[str]:
        for node in self.data["tree"]:
            if node["name"] == level1:
                return [c["name"] for c in node.get("children", [])]
        return []

    def normalize_level1(self, text: str) -> str | None:
        """Canonical level-one name for `text` (aliases included), or None when it is not one."""
        return self._l1.get(clean_name(text))

    def normalize_level2(self, text: str, level1: str | None = None) -> tuple[str, str] | None:
        """(level one, level two) for a level-two name; `level1` picks among homonyms."""
        pairs = self._l2.get(clean_name(text))
        if not pairs:
            return None
        if level1:
            for pair in pairs:
                if pair[0] == level1:
                    return pair
        return pairs[0]

    def is_pair(self, level1: str, level2: str) -> bool:
        return level2 in self.level2_names(level1)


def builtin_names() -> list[str]:
    folder = resources.files("lubudget_xl.catalogs")
    return sorted(p.name[: -len(".json")] for p in folder.iterdir() if p.name.endswith(".json"))


def load_catalog(name_or_path: str | Path) -> Catalog:
    """A built-in catalogue by name ("2021", "2022", …) or a JSON file by path."""
    text_name = str(name_or_path)
    if text_name in builtin_names():
        ref = resources.files("lubudget_xl.catalogs").joinpath(f"{text_name}.json")
        text, where = ref.read_text(encoding="utf-8"), f"内置目录 {text_name}"
    else:
        path = Path(name_or_path)
        if not path.is_file():
            known = "、".join(builtin_names())
            raise UserError(f"找不到指标目录 {text_name}(内置目录: {known};或给出 JSON 文件路径)")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise UserError(f"{path}: 指标目录须为 UTF-8 编码的 JSON 文件") from None
        where = str(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"{where}: 不是有效的 JSON(第{exc.lineno}行第{exc.colno}列:{exc.msg})") from None
    return Catalog(data=data, path=where)
