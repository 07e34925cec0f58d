"""Same catalogue, same bytes; and the committed templates in workbook_templates/ are up to date."""

from __future__ import annotations

import io
import zipfile

from conftest import ROOT

from lubudget_xl.catalog import builtin_names, load_catalog
from lubudget_xl.template import template_bytes
from lubudget_xl.template.builder import builtin_template_path

TEMPLATES = ROOT / "workbook_templates"


def test_two_builds_are_byte_identical_with_fixed_times():
    catalog = load_catalog("2022")
    first, second = template_bytes(catalog), template_bytes(catalog)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2021, 8, 1, 0, 0, 0)}
        assert {i.compress_type for i in z.infolist()} == {zipfile.ZIP_STORED}  # independent of the zlib build
        core = z.read("docProps/core.xml").decode("utf-8")
    assert "2021-08-01T00:00:00Z" in core and core.count("2021-08-01T00:00:00Z") == 2


def test_committed_templates_equal_a_fresh_build():
    committed = [(name, builtin_template_path(TEMPLATES, name)) for name in builtin_names()]
    present = [(name, path) for name, path in committed if path.exists()]
    assert any(name == "2022" for name, _ in present), "workbook_templates/2022 is missing: run `make templates`"
    stale = [str(path.relative_to(ROOT)) for name, path in present if path.read_bytes() != template_bytes(load_catalog(name))]
    assert not stale, (
        f"built templates differ from a fresh build: {stale}; rebuild them with "
        "`PYTHONPATH=. python -m lubudget_xl template all` (or `make templates`) and commit workbook_templates/"
    )
