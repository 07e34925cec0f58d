"""What changed between two catalogues: what a maintainer reads before issuing next year's template.

`diff_catalogs` returns plain data (the `--format json` output); `render_diff` turns it into the
Chinese text report. A level two that disappears from one place and reappears in another is shown
as moved/renamed, not as unrelated removal and addition, when the new catalogue's migration mapping
or its aliases say so (88号 → 101号: 产出指标/成本指标 → 成本指标/经济成本指标).
"""

from __future__ import annotations

from typing import Any

from lubudget_xl.catalog.core import Catalog, clean_name
from lubudget_xl.model import FIELD_LABELS

_META = ("id", "year", "revision", "title", "supersedes", "sources")
_LISTS = (("attributes", "项目属性"), ("signs", "指标值符号"), ("units", "计量单位"))
# Chinese names shown beside the JSON keys the maintainer edits.
KEY_LABELS = {
    "id": "目录标识",
    "year": "年度",
    "revision": "修订号",
    "title": "标题",
    "supersedes": "取代目录",
    "sources": "依据",
    "header_fields": "表头栏目",
    "sign_column": "指标值符号栏",
    "unit_column": "计量单位栏",
    "extra_fund_rows": "其他资金行",
    "satisfaction_floor": "满意度下限(%)",
    "fund_tolerance": "资金核对容差(万元)",
    "required_level2": "必填二级指标",
    "quantified_level2": "须量化的二级指标",
    "quantify_where_possible_level2": "宜量化的二级指标",
    "cost_level2": "成本金额二级指标",
    "satisfaction_level2": "满意度二级指标",
    "cost_signs": "成本指标允许的符号",
    "min_level3_rows": "每个二级指标至少三级指标数",
    "vague_words": "空泛用语",
    "placeholder_words": "占位用语",
    "not_applicable_words": "不适用用语",
    "money_units": "金额单位换算(万元)",
}


def _nodes(c: Catalog) -> tuple[dict[str, dict], dict[tuple[str, str], dict]]:
    l1 = {n["name"]: n for n in c.data["tree"]}
    l2 = {(n["name"], ch["name"]): ch for n in c.data["tree"] for ch in n["children"]}
    return l1, l2


def _names(node: dict) -> set[str]:
    return {clean_name(x) for x in [node["name"], *node.get("aliases", [])]}


def _added_removed(old: list, new: list) -> dict[str, list]:
    return {"added": [x for x in new if x not in old], "removed": [x for x in old if x not in new]}


def diff_catalogs(old: Catalog, new: Catalog, old_name: str = "", new_name: str = "") -> dict[str, Any]:
    o1, o2 = _nodes(old)
    n1, n2 = _nodes(new)
    out: dict[str, Any] = {
        "old": {"name": old_name or old.path, "version": old.version, "title": old.title},
        "new": {"name": new_name or new.path, "version": new.version, "title": new.title},
        "meta": [
            {"key": k, "old": old.data.get(k), "new": new.data.get(k)}
            for k in _META
            if old.data.get(k) != new.data.get(k)
        ],
    }
    # level ones: renamed when a new one answers to the old name through its aliases
    gone1, came1 = [k for k in o1 if k not in n1], [k for k in n1 if k not in o1]
    renamed1 = []
    for name in list(gone1):
        match = next((m for m in came1 if clean_name(name) in _names(n1[m])), None)
        if match:
            renamed1.append({"old": name, "new": match})
            gone1.remove(name)
            came1.remove(match)
    out["level1"] = {"added": came1, "removed": gone1, "renamed": renamed1}

    # level twos: moved/renamed by the migration mapping first, then by aliases
    gone2, came2 = [p for p in o2 if p not in n2], [p for p in n2 if p not in o2]
    mapping = {src: dst for src, dst in new.migrations()}
    moved = []
    for pair in list(gone2):
        target, basis = mapping.get(pair), "migration"
        if target not in came2:
            target = next((q for q in came2 if clean_name(pair[1]) in _names(n2[q])), None)
            basis = "alias"
        if target:
            moved.append({"old": list(pair), "new": list(target), "basis": basis})
            gone2.remove(pair)
            came2.remove(target)
    out["level2"] = {
        "added": [list(p) for p in came2],
        "removed": [list(p) for p in gone2],
        "moved": moved,
    }

    counterpart = {p: p for p in n2 if p in o2}
    counterpart.update({tuple(m["new"]): tuple(m["old"]) for m in moved})
    counterpart1 = {k: k for k in n1 if k in o1}
    counterpart1.update({r["new"]: r["old"] for r in renamed1})
    out["aliases"], out["definitions"], out["suggestions"] = [], [], []
    for name, old_name1 in counterpart1.items():
        _compare_node(out, name, o1[old_name1], n1[name])
    for pair, old_pair in counterpart.items():
        _compare_node(out, "/".join(pair), o2[old_pair], n2[pair])
        _compare_suggestions(out, pair, o2[old_pair], n2[pair])
    for pair in came2:
        if n2[pair]["suggestions"]:
            out["suggestions"].append(
                {"node": "/".join(pair), "added": n2[pair]["suggestions"], "removed": [], "changed": []}
            )

    out["lists"] = {
        key: diff
        for key, _ in _LISTS
        if (diff := _added_removed(old.data[key], new.data[key]))["added"] or diff["removed"]
    }
    out["settings"] = _compare_dicts(old.data.get("settings", {}), new.data.get("settings", {}))
    out["form"] = _compare_dicts(old.data.get("form", {}), new.data.get("form", {}))
    out["migration"] = [
        {"from": list(src), "to": list(dst) if dst else None, "unchanged": src == dst}
        for src, dst in new.migrations()
    ]
    return out


def _compare_node(out: dict, label: str, old: dict, new: dict) -> None:
    aliases = _added_removed(old.get("aliases", []), new.get("aliases", []))
    if aliases["added"] or aliases["removed"]:
        out["aliases"].append({"node": label, **aliases})
    if old.get("definition", "") != new.get("definition", ""):
        out["definitions"].append(
            {"node": label, "old": old.get("definition", ""), "new": new.get("definition", "")}
        )


def _compare_suggestions(out: dict, pair: tuple[str, str], old: dict, new: dict) -> None:
    before = {s["name"]: s for s in old.get("suggestions", [])}
    after = {s["name"]: s for s in new.get("suggestions", [])}
    entry = {
        "node": "/".join(pair),
        "added": [s for n, s in after.items() if n not in before],
        "removed": [s for n, s in before.items() if n not in after],
        "changed": [
            {"name": n, "old": before[n], "new": s}
            for n, s in after.items()
            if n in before and before[n] != s
        ],
    }
    if entry["added"] or entry["removed"] or entry["changed"]:
        out["suggestions"].append(entry)


def _compare_dicts(old: dict, new: dict) -> list[dict[str, Any]]:
    keys = [*old, *(k for k in new if k not in old)]
    return [{"key": k, "old": old.get(k), "new": new.get(k)} for k in keys if old.get(k) != new.get(k)]


# --- text ------------------------------------------------------------------------------------------
def _show(value: Any) -> str:
    if value is None:
        return "无"
    if isinstance(value, bool):
        return "有" if value else "无"
    if isinstance(value, list):
        return "[" + "、".join(_show(v) for v in value) + "]" if value else "[]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    return str(value)


def _plus_minus(added: list, removed: list) -> str:
    bits = []
    if added:
        bits.append("新增 " + "、".join(map(_show, added)))
    if removed:
        bits.append("删除 " + "、".join(map(_show, removed)))
    return ";".join(bits)


def _change_line(key: str, old: Any, new: Any) -> str:
    if key == "header_fields":
        old, new = ([FIELD_LABELS.get(x, x) for x in v or []] for v in (old, new))
    key = f"{KEY_LABELS[key]}({key})" if key in KEY_LABELS else key
    if isinstance(old, list) and isinstance(new, list):
        parts = _added_removed(old, new)
        if parts["added"] or parts["removed"]:
            return f"  {key}: {_plus_minus(parts['added'], parts['removed'])}"
        return f"  {key}: 顺序调整 {_show(old)} → {_show(new)}"
    return f"  {key}: {_show(old)} → {_show(new)}"


def _sug(s: dict) -> str:
    return f"{s['name']}({s['unit'] or '无单位'},{s['sign']})"


def render_diff(d: dict[str, Any]) -> str:
    lines = [
        f"指标目录差异:{d['old']['name']}({d['old']['version']}) → {d['new']['name']}({d['new']['version']})",
        f"  旧:{d['old']['title']}",
        f"  新:{d['new']['title']}",
    ]

    def section(title: str, body: list[str]) -> None:
        if body:
            lines.extend(["", f"{title}:", *body])

    section("基本信息", [_change_line(m["key"], m["old"], m["new"]) for m in d["meta"]])
    l1, l2 = d["level1"], d["level2"]
    section(
        "一级指标",
        [f"  新增 {n}" for n in l1["added"]]
        + [f"  删除 {n}" for n in l1["removed"]]
        + [f"  改名 {r['old']} → {r['new']}" for r in l1["renamed"]],
    )
    basis = {"migration": "依据迁移映射", "alias": "依据别名"}
    section(
        "二级指标",
        [f"  新增 {'/'.join(p)}" for p in l2["added"]]
        + [f"  删除 {'/'.join(p)}" for p in l2["removed"]]
        + [
            f"  移动或改名 {'/'.join(m['old'])} → {'/'.join(m['new'])}({basis[m['basis']]})"
            for m in l2["moved"]
        ],
    )
    if not any(l1.values()) and not any(l2.values()):
        lines.extend(["", "指标体系:一级、二级指标无变化"])
    section("别名", [f"  {a['node']}: {_plus_minus(a['added'], a['removed'])}" for a in d["aliases"]])
    section("指标解释", [f"  {x['node']}: {x['old'] or '无'} → {x['new'] or '无'}" for x in d["definitions"]])
    body = []
    for s in d["suggestions"]:
        if s["added"]:
            body.append(f"  {s['node']}: 新增 " + "、".join(_sug(x) for x in s["added"]))
        if s["removed"]:
            body.append(f"  {s['node']}: 删除 " + "、".join(_sug(x) for x in s["removed"]))
        for c in s["changed"]:
            what = [
                f"{k} {c['old'].get(k) or '无'} → {c['new'].get(k) or '无'}"
                for k in ("unit", "sign", "example")
                if c["old"].get(k) != c["new"].get(k)
            ]
            body.append(f"  {s['node']}: 修改 {c['name']}:" + ",".join(what))
    section("建议三级指标", body)
    labels = dict(_LISTS)
    section(
        "取值列表", [f"  {labels[k]}: {_plus_minus(v['added'], v['removed'])}" for k, v in d["lists"].items()]
    )
    section("规则设置", [_change_line(s["key"], s["old"], s["new"]) for s in d["settings"]])
    section("表式", [_change_line(f["key"], f["old"], f["new"]) for f in d["form"]])
    mig = d["migration"]
    if mig:
        same = sum(1 for m in mig if m["unchanged"])
        body = [
            f"  {'/'.join(m['from'])} → {'/'.join(m['to']) if m['to'] else '不再使用(结转时需人工归类)'}"
            for m in mig
            if not m["unchanged"]
        ]
        section(
            f"迁移映射(新目录维护人编写,共 {len(mig)} 条,其中 {same} 条名称不变)", body or ["  全部名称不变"]
        )
    else:
        lines.extend(["", "迁移映射:新目录未写迁移映射"])
    return "\n".join(lines) + "\n"
