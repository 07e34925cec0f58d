"""Suggested 三级指标 that fit every bureau (issue 14, item 5): curated from many publishers' real
tables (the corpus in tests/fixtures/real and the seed), de-duplicated, sorted by frequency, the source
noted, written into next year's catalogue and extendable there by the maintainer."""

from __future__ import annotations

import json
from itertools import combinations

from conftest import FIXTURES, run_cli

from lubudget_xl.catalog import clean_name, load_catalog
from lubudget_xl.catalog.suggestions import harvest, shipped_rows
from lubudget_xl.duplicates import _one_apart


def test_the_shipped_rows_are_the_corpus_and_the_seed():
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_suggestions", FIXTURES / "real" / "build_suggestions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.TARGET.read_text(encoding="utf-8") == module.build(), "run tests/fixtures/real/build_suggestions.py"
    rows, sources = shipped_rows()
    assert len(sources) >= 20 and len({r["source"] for r in rows}) == len(sources)


def test_curated_lists_are_sorted_deduplicated_and_fit_any_bureau():
    rows, _ = shipped_rows()
    for name in ("2022", "2022-101"):
        catalog = load_catalog(name)
        curated = harvest(rows, catalog)
        assert len(curated) >= 5
        for pair, items in curated.items():
            assert catalog.is_pair(*pair)
            counts = [s["count"] for s in items]
            assert counts == sorted(counts, reverse=True), pair
            names = [clean_name(s["name"]) for s in items]
            assert len(set(names)) == len(names)
            assert not [(a, b) for a, b in combinations(names, 2) if _one_apart(a, b)], pair
            assert not [n for n in names if any(ch.isdigit() for ch in n) or "四送一服" in n]
            assert all(s["source"].endswith("公开表格") and s["sign"] in catalog.signs for s in items)
    satisfaction = harvest(rows, load_catalog("2022"))[("满意度指标", "服务对象满意度指标")]
    assert satisfaction[0]["name"] == "服务对象满意度" and satisfaction[0]["count"] >= 5
    assert satisfaction[0]["source"].startswith(("2 ", "3 ", "4 ", "5 "))  # several publishers, not one office


def test_catalog_new_writes_them_and_the_maintainer_extends_them(tmp_path, monkeypatch):
    monkeypatch.setenv("LUBUDGET_CATALOG_DIR", str(tmp_path / "catalogs"))
    assert run_cli("catalog", "new", "--year", "2023").returncode == 0
    path = tmp_path / "catalogs" / "2023.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert any("公开的项目支出绩效目标表" in s for s in data["sources"])
    social = next(c for n in data["tree"] for c in n["children"] if c["name"] == "社会效益指标")["suggestions"]
    names = [s["name"] for s in social]
    assert not ("提高政策决策科学性" in names and "提高政府决策科学性" in names)  # the near-duplicate pair
    quality = next(c for n in data["tree"] for c in n["children"] if c["name"] == "质量指标")["suggestions"]
    assert quality[0]["name"] == "项目(工程)验收合格率" and quality[0]["count"] >= 3
    # the maintainer adds one of the bureau's own in the file; it is valid and reaches the template
    satisfaction = next(c for n in data["tree"] for c in n["children"] if c["name"] == "服务对象满意度指标")
    satisfaction["suggestions"].append({"name": "家长满意度", "unit": "%", "sign": "≥"})
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    assert run_cli("catalog", "validate", "2023").returncode == 0
    assert "家长满意度" in [s["name"] for s in load_catalog("2023").suggestions("服务对象满意度指标")]
    book = tmp_path / "2023.xlsx"
    assert run_cli("template", "build", "--catalog", "2023", "-o", str(book)).returncode == 0
    from openpyxl import load_workbook

    lists = load_workbook(book)["下拉列表"]
    assert "家长满意度" in {c.value for row in lists.iter_rows() for c in row}
