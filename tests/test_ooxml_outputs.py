"""Every workbook and the add-in the project writes pass the standards check in tests/ooxml.

`lubudget demo` writes one of each kind (template, filled workbook, annotated copy, the bridge's
marked workbook, master book, department return lists, rollover output, the add-in); each file is
audited against the ISO/IEC 29500 schemas, Excel's extra rules and, for the add-in, [MS-CFB]/[MS-OVBA].
Any ERROR or WARN fails (tests/ooxml/README.md says what they mean and where the schemas come from).
"""

from __future__ import annotations

import importlib.util
import shutil
import struct
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from lubudget_xl.addin.package import CUSTOMUI_PART, MACROS_DIR, build_addin, collect_modules, write_package

VALIDATOR = ROOT / "tests" / "ooxml" / "validate.py"
BROKEN_ON_PURPOSE = {"损坏的文件.xlsx", "~$六安市教育局.xlsx"}  # the demo inbox's accidents

# kind -> glob under the demo output folder (every kind must be present)
KINDS = {
    "template": "绩效目标表模板_*.xlsx",
    "filled": "绩效目标表_已填_*[0-9].xlsx",
    "annotated copy": "*_校验.xlsx",
    "bridge-marked workbook": "Excel加载项演示_已校验.xlsx",
    "master book": "汇总表.xlsx",
    "return lists": "退回修改/退回修改_*.xlsx",
    "department workbooks": "部门报送/*.xlsx",
    "rollover output": "结转_2022*.xlsx",
    "add-in": "lubudget.xlam",
}


def _validator():
    spec = importlib.util.spec_from_file_location("ooxml_validate", VALIDATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def audit():
    v = _validator()
    schemas = v.Schemas()

    def run(path: Path) -> list[str]:
        report = v.audit_package(path, schemas, [])
        return [f"{f.severity} {f.check} {f.part} {f.path}: {f.message}" for f in report.findings
                if f.severity in ("ERROR", "WARN")]  # fmt: skip

    return run


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "demo"
    done = run_cli("demo", "--out", str(out))
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-3000:]
    return out


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_output_passes_the_standards_check(demo, audit, kind):
    files = [p for p in sorted(demo.glob(KINDS[kind])) if p.name not in BROKEN_ON_PURPOSE]
    assert files, f"the demo wrote no {kind} ({KINDS[kind]})"
    found = {p.name: audit(p) for p in files}
    assert {name: f for name, f in found.items() if f} == {}


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.skipif(any(shutil.which(n) is None for n in ("soffice", "pdfinfo", "pdftotext", "pdftoppm")),
                    reason="LibreOffice or poppler not installed")  # fmt: skip
def test_the_demos_return_list_and_annotated_copy_print_legibly(demo, tmp_path):
    """`make demo` output printed through LibreOffice and read back with poppler (issue 13): A4, the
    title block with the issuing unit on page 1, text at least 9 pt, titles again on page 2, page numbers."""
    from test_printout import _assert_printed_legibly, _pdf

    lists = sorted((demo / "退回修改").glob("退回修改_六安市*.xlsx"))
    longest = max(lists, key=lambda p: p.stat().st_size)
    pdf = _pdf(longest, tmp_path / "pdf")
    _assert_printed_legibly(pdf, ["六安市财政局", "退回修改清单", "前修改后报回"], ["问题说明", "问题代码"], tmp_path / "a")
    copy = next(demo.glob("绩效目标表_已填_*_校验.xlsx"))
    pdf = _pdf(copy, tmp_path / "pdf")
    _assert_printed_legibly(pdf, ["六安市财政局", "校验结果", "前修改后报回"], ["修改建议", "代码"], tmp_path / "b")


def test_committed_templates_pass_the_standards_check(audit):
    files = sorted((ROOT / "workbook_templates").rglob("*.xlsx"))
    assert files
    assert {p.name: audit(p) for p in files if audit(p)} == {}


def test_addin_and_its_xlsm_twin_pass_the_standards_check(tmp_path, audit):
    xlam = build_addin(tmp_path / "lubudget.xlam")
    modules = collect_modules()
    xlsm = write_package(tmp_path / "lubudget.xlsm", modules, (MACROS_DIR / "customUI14.xml").read_bytes())
    assert audit(xlam) == []
    assert audit(xlsm) == []
    with zipfile.ZipFile(xlam) as z:
        assert CUSTOMUI_PART in z.namelist()


def test_a_workbook_carrying_our_macros_passes_the_standards_check(demo, audit, tmp_path):
    """LibreOffice's way in: the filled workbook with our VBA embedded (lubudget_xl.addin.embed)."""
    from lubudget_xl.addin.embed import embed_macros

    filled = next(p for p in sorted(demo.glob(KINDS["filled"])))
    assert audit(embed_macros(filled, tmp_path / "带宏.xlsm")) == []


def _directory_entries(cfb: bytes) -> list[tuple[int, str, int, int]]:
    """(offset, name, type, start sector) of every entry in the first directory sector chain."""
    first_dir = struct.unpack_from("<I", cfb, 48)[0]
    fat_sector = struct.unpack_from("<I", cfb, 76)[0]
    fat = struct.unpack_from("<128I", cfb, (fat_sector + 1) * 512)
    entries, sector = [], first_dir
    while sector < 0xFFFFFFFA:
        base = (sector + 1) * 512
        for i in range(4):
            offset = base + 128 * i
            length = struct.unpack_from("<H", cfb, offset + 64)[0]
            name = cfb[offset : offset + max(0, length - 2)].decode("utf-16-le")
            entries.append((offset, name, cfb[offset + 66], struct.unpack_from("<I", cfb, offset + 116)[0]))
        sector = fat[sector]
    return entries


def test_vba_storage_start_sector_is_zero_and_the_check_sees_a_wrong_one(tmp_path, audit):
    """[MS-CFB] 2.6.3: a storage's starting sector MUST be 0. Ours is; patched to ENDOFCHAIN (what the
    writer wrote before), the validator reports it, so the check above is live."""
    xlam = build_addin(tmp_path / "lubudget.xlam")
    with zipfile.ZipFile(xlam) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    vba = parts["xl/vbaProject.bin"]
    storages = [e for e in _directory_entries(vba) if e[2] == 1]
    assert {name for _, name, _, _ in storages} == {"VBA"}
    assert all(start == 0 for _, _, _, start in storages)

    offset = storages[0][0]
    patched = bytearray(vba)
    struct.pack_into("<I", patched, offset + 116, 0xFFFFFFFE)
    parts["xl/vbaProject.bin"] = bytes(patched)
    broken = tmp_path / "broken.xlam"
    with zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    findings = audit(broken)
    assert any("storage 'VBA': starting sector 0xfffffffe" in f and "MS-CFB 2.6.3" in f for f in findings), findings


# --- the ribbon for every host: customUI14.xml (2009/07) and customUI.xml (2006/01) ----------------

CUSTOMUI_SCHEMAS = ROOT / "tests" / "ooxml" / "schemas" / "customui"


def _ribbon_parts(xlam: Path) -> tuple[dict[str, bytes], dict[str, str]]:
    from xml.etree import ElementTree

    with zipfile.ZipFile(xlam) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    links = {r.get("Target"): r.get("Type") for r in ElementTree.fromstring(parts["_rels/.rels"])}
    return parts, links


def test_both_ribbon_parts_validate_against_microsofts_customui_schemas(tmp_path):
    from lxml import etree

    from lubudget_xl.addin.package import CUSTOMUI_2006_PART, REL_CUSTOMUI, REL_CUSTOMUI14

    parts, links = _ribbon_parts(build_addin(tmp_path / "lubudget.xlam"))
    assert links[CUSTOMUI_PART] == REL_CUSTOMUI14 and links[CUSTOMUI_2006_PART] == REL_CUSTOMUI
    schemas = {
        CUSTOMUI_PART: etree.XMLSchema(etree.parse(str(CUSTOMUI_SCHEMAS / "customui14.libxml2.xsd"))),
        CUSTOMUI_2006_PART: etree.XMLSchema(etree.parse(str(CUSTOMUI_SCHEMAS / "customUI.libxml2.xsd"))),
    }
    for part, schema in schemas.items():
        doc = etree.fromstring(parts[part])
        assert schema.validate(doc), (part, [e.message for e in schema.error_log])
    # one ribbon: the same controls, callbacks and Chinese labels in both namespaces
    def controls(part):
        return [(etree.QName(e).localname, dict(e.attrib)) for e in etree.fromstring(parts[part]).iter()
                if isinstance(e.tag, str)]  # fmt: skip

    assert controls(CUSTOMUI_PART) == controls(CUSTOMUI_2006_PART)
    assert len([c for c in controls(CUSTOMUI_2006_PART) if c[0] == "button"]) == 8  # 7 of 绩效目标 + 生成自评表
    # each schema rejects a stray attribute and the other namespace's part (the check can fail)
    spoiled = etree.fromstring(parts[CUSTOMUI_2006_PART].replace(b'size="large"', b'size="huge"', 1))
    assert not schemas[CUSTOMUI_2006_PART].validate(spoiled)
    assert not schemas[CUSTOMUI_2006_PART].validate(etree.fromstring(parts[CUSTOMUI_PART]))


def test_a_ribbon_part_in_the_wrong_namespace_for_its_relationship_is_an_error(tmp_path, audit):
    from lubudget_xl.addin.package import CUSTOMUI_2006_PART

    parts, _ = _ribbon_parts(build_addin(tmp_path / "lubudget.xlam"))
    parts[CUSTOMUI_2006_PART] = parts[CUSTOMUI_PART]  # a 2009/07 part behind the 2006 relationship
    broken = tmp_path / "broken.xlam"
    with zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    assert any("2006 ui/extensibility relationship targets" in f for f in audit(broken))
