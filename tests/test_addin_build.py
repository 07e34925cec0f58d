"""The add-in built on Linux from text: decoded by independent readers (olefile, olevba, LibreOffice)."""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import struct
import subprocess
import uuid
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import VBA_Parser, decompress_stream

from lubudget_xl.addin import ovba
from lubudget_xl.addin.cfb import write_compound_file
from lubudget_xl.addin.package import (
    CUSTOMUI_PART,
    MACROS_DIR,
    REL_CUSTOMUI14,
    build_addin,
    read_xlwings_vba,
    xlwings_dir,
)
from lubudget_xl.addin.vbaproject import module_from_source

RIBBON_NS = "{http://schemas.microsoft.com/office/2009/07/customui}"
EXPECTED_BUTTONS = {
    "校验本表": "OnCheckSheet",
    "校验全部": "OnCheckAll",
    "清除标注": "OnClearMarks",
    "新增项目表": "OnNewProjectSheet",
    "插入指标行": "OnInsertIndicatorRow",
    "导出记录": "OnExportRecords",
    "汇总文件夹": "OnConsolidateFolder",
}
# Buttons whose callback lives in its own module (module, sub).
OTHER_MODULE_BUTTONS = {"生成自评表": ("LubudgetSelfEval", "OnBuildSelfEval")}


@pytest.fixture(scope="module")
def addin(tmp_path_factory) -> Path:
    return build_addin(tmp_path_factory.mktemp("addin") / "lubudget.xlam")


@pytest.fixture(scope="module")
def vba_bin(addin) -> bytes:
    with zipfile.ZipFile(addin) as zf:
        return zf.read("xl/vbaProject.bin")


def _sources() -> dict[str, str]:
    """Module name -> stored code, from macros/ and the installed xlwings, as the builder must store it."""
    mods = {}
    for path in sorted(MACROS_DIR.iterdir()):
        if path.suffix in (".bas", ".cls"):
            m = module_from_source(path.read_text(encoding="ascii"), path.name)
            mods[m.name] = m.code
    return mods


# --- MS-OVBA compression and encryption -------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"a",
        b"abcabcabcabc" * 1000,
        b" " * 9000,
        bytes(random.Random(1).randrange(256) for _ in range(4096 * 2)),  # raw (uncompressed) chunks
        (MACROS_DIR / "LubudgetMain.bas").read_bytes(),
    ],
    ids=["one-byte", "repetitive", "spaces", "random-full-chunks", "vba-source"],
)
def test_compression_is_decoded_by_olevba(data):
    packed = ovba.compress(data)
    assert decompress_stream(bytearray(packed)) == data
    assert ovba.decompress(packed) == data


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=' \r\n\t"(),.=&_\'DEIMSabcdefilnorstuxy0123', max_size=12000))
def test_compression_round_trips_source_like_text(text):
    """Source-like text (few distinct characters). Near-random text whose last partial chunk cannot
    be compressed is refused by design: the spec would pad it with NULs the module would then hold."""
    data = text.encode("ascii")
    packed = ovba.compress(data)
    assert ovba.decompress(packed) == data
    if data:
        assert decompress_stream(bytearray(packed)) == data


def test_compression_shrinks_source():
    source = (xlwings_dir() / "xlwings_custom_addin.bas").read_bytes()
    assert len(ovba.compress(source)) < len(source) * 0.6


def test_encryption_round_trip_and_excel_vector():
    pid = "{318BEE36-5BE1-492A-826D-473DB19B0F30}"
    for data in (b"\x00", b"\xff", struct.pack("<I", 0), b"secret-bytes"):
        assert ovba.decrypt(ovba.encrypt(data, pid)) == (sum(pid.encode()) & 0xFF, data)
    # A CMG value Excel wrote into xlwings' quickstart add-in (same project id): not protected.
    assert ovba.decrypt("5D5F8AADDAA8DEA8DEA8DEA8DE") == (sum(pid.encode()) & 0xFF, b"\x00" * 4)


# --- compound file --------------------------------------------------------------------------


def test_compound_file_streams_read_back_by_olefile():
    rng = random.Random(7)
    streams = {"PROJECT": b"x" * 63, "PROJECTwm": b"", "VBA/dir": b"d" * 4095, "VBA/big": b"b" * 4096}
    for i in range(20):  # several directory sectors, mini and regular streams
        streams[f"VBA/Module{i}"] = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 9000)))
    data = write_compound_file(streams)
    assert len(data) % 512 == 0
    ole = olefile.OleFileIO(io.BytesIO(data))
    assert sorted("/".join(p) for p in ole.listdir()) == sorted(streams)
    for name, content in streams.items():
        assert ole.openstream(name).read() == content, name
    assert write_compound_file(streams) == data


# --- the built vbaProject.bin ----------------------------------------------------------------


def test_every_module_stored_equals_its_source(vba_bin):
    ole = olefile.OleFileIO(io.BytesIO(vba_bin))
    expected = _sources()
    vba = read_xlwings_vba()
    expected["xlwings"] = module_from_source(vba.module.replace('"myaddin"', '"lubudget"', 1), "x.bas").code
    expected["Dictionary"] = module_from_source(vba.dictionary, "Dictionary.cls").code
    stored = {p[1] for p in ole.listdir() if p[0] == "VBA"} - {"dir", "_VBA_PROJECT"}
    assert stored == set(expected)
    for name, code in expected.items():
        assert decompress_stream(bytearray(ole.openstream(f"VBA/{name}").read())).decode("ascii") == code, name
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("cc61ffff000000")


def test_olevba_decodes_every_module_as_in_macros(addin):
    parser = VBA_Parser(str(addin))
    found = {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    parser.close()
    for name, code in _sources().items():
        assert found[name].replace("\r\n", "\n") == code.replace("\r\n", "\n"), name


def test_xlwings_module_is_the_installed_one_with_our_project_name(addin):
    import xlwings

    parser = VBA_Parser(str(addin))
    found = {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    parser.close()
    shipped = (xlwings_dir() / "xlwings_custom_addin.bas").read_text(encoding="ascii").splitlines()
    ours = found["xlwings"].splitlines()
    assert len(ours) == len(shipped)
    differing = [(a, b) for a, b in zip(shipped, ours, strict=True) if a != b]
    assert differing == [
        ('Public Const PROJECT_NAME As String = "myaddin"', 'Public Const PROJECT_NAME As String = "lubudget"')
    ]
    assert f'Public Const XLWINGS_VERSION As String = "{xlwings.__version__}"' in ours
    dictionary = (xlwings_dir() / "addin" / "Dictionary.cls").read_text(encoding="ascii").splitlines()
    code = [line for line in found["Dictionary"].splitlines() if not line.startswith("Attribute VB_")]
    shipped_code = [line for line in dictionary[dictionary.index("END") + 1 :] if not line.startswith("Attribute VB_")]
    assert code == shipped_code and len(code) > 400


def test_project_and_dir_streams(vba_bin):
    ole = olefile.OleFileIO(io.BytesIO(vba_bin))
    project = ole.openstream("PROJECT").read().decode("ascii")
    pid = re.search(r'^ID="(\{[0-9A-F-]+\})"', project, re.M).group(1)
    uuid.UUID(pid)
    values = dict(re.findall(r'^(CMG|DPB|GC)="([0-9A-F]+)"', project, re.M))
    key = sum(pid.encode()) & 0xFF
    assert ovba.decrypt(values["CMG"]) == (key, b"\0\0\0\0")  # not protected
    assert ovba.decrypt(values["DPB"]) == (key, b"\0")  # no password
    assert ovba.decrypt(values["GC"]) == (key, b"\xff")  # visible
    assert "Document=ThisWorkbook/&H00000000" in project and "Class=LubudgetEvents" in project
    assert "Module=LubudgetRibbon" in project and 'Name="lubudget"' in project
    d = decompress_stream(bytearray(ole.openstream("VBA/dir").read()))
    codepage = struct.unpack_from("<H", d, d.index(b"\x03\x00\x02\x00\x00\x00") + 6)[0]
    assert codepage == 936
    assert b"{00020430-0000-0000-C000-000000000046}" in d  # stdole
    assert b"{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}" in d  # Office (IRibbonControl)


def test_vba_sources_are_ascii_and_chinese_texts_decode():
    for path in MACROS_DIR.iterdir():
        if path.suffix in (".bas", ".cls"):
            assert path.read_bytes().isascii(), path
    main = (MACROS_DIR / "LubudgetMain.bas").read_text(encoding="ascii")
    texts = {
        name: "".join(chr(int(code, 16)) for code in codes.split())
        for name, codes in re.findall(r'Const (TXT_\w+) As String = "([0-9A-F ]+)"', main)
    }
    assert texts == {
        "TXT_TITLE": "绩效目标",
        "TXT_SAVE_FAILED": "保存前的校验没有完成（可能未安装 Python 或 lubudget_xl）。文件照常保存。",
        "TXT_RUN_FAILED": "操作没有完成（可能未安装 Python 或 lubudget_xl）。",
        "TXT_ERROR_DETAIL": "错误信息：",
        "TXT_NO_WORKBOOK": "请先打开要处理的工作簿。",
        "TXT_PICK_FOLDER": "选择要汇总的文件夹",
        "TXT_WORKING": "绩效目标:正在运行校验,请稍候……",
    }


def test_save_handler_never_cancels_and_checks_identity():
    events = (MACROS_DIR / "LubudgetEvents.cls").read_text(encoding="ascii")
    main = (MACROS_DIR / "LubudgetMain.bas").read_text(encoding="ascii")
    assert "WorkbookBeforeSave" in events and "Cancel =" not in events + main
    save = main[main.index("Public Sub CheckOnSave") : main.index("End Sub", main.index("Public Sub CheckOnSave"))]
    assert "On Error GoTo Failed" in save and "IsTemplateBook(Wb)" in save and 'on_save()' in save
    assert '"LubudgetTemplateId"' in main


# --- the package ---------------------------------------------------------------------------


def test_ribbon_part_linked_and_has_the_seven_buttons(addin):
    with zipfile.ZipFile(addin) as zf:
        rels = ElementTree.fromstring(zf.read("_rels/.rels"))
        types = zf.read("[Content_Types].xml").decode()
        ui = ElementTree.fromstring(zf.read(CUSTOMUI_PART))
    links = {r.get("Target"): r.get("Type") for r in rels}
    assert links[CUSTOMUI_PART] == REL_CUSTOMUI14
    assert "application/vnd.ms-excel.addin.macroEnabled.main+xml" in types
    tab = ui.find(f"{RIBBON_NS}ribbon/{RIBBON_NS}tabs/{RIBBON_NS}tab")
    assert tab.get("label") == "绩效目标"
    buttons = {b.get("label"): b for b in tab.iter(f"{RIBBON_NS}button")}
    assert {label: b.get("onAction") for label, b in buttons.items()} == {
        **{label: f"LubudgetRibbon.{sub}" for label, sub in EXPECTED_BUTTONS.items()},
        **{label: f"{module}.{sub}" for label, (module, sub) in OTHER_MODULE_BUTTONS.items()},
    }
    assert all(b.get("imageMso") for b in buttons.values())
    ribbon_vba = (MACROS_DIR / "LubudgetRibbon.bas").read_text(encoding="ascii")
    for sub in EXPECTED_BUTTONS.values():
        assert re.search(rf"^Public Sub {sub}\(control As IRibbonControl\)$", ribbon_vba, re.M), sub
    for module, sub in OTHER_MODULE_BUTTONS.values():
        vba = (MACROS_DIR / f"{module}.bas").read_text(encoding="ascii")
        assert re.search(rf"^Public Sub {sub}\(control As IRibbonControl\)$", vba, re.M), sub


def test_build_is_reproducible(addin, tmp_path):
    again = build_addin(tmp_path / "again.xlam")
    assert again.read_bytes() == addin.read_bytes()


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_opens_the_addin_and_reads_its_modules(addin, tmp_path):
    """LibreOffice rewrites the VBA project from the modules it imported: they must all be there."""
    profile = f"file:///tmp/lo-excel-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--infilter=Calc MS Excel 2007 XML",
            "--convert-to",
            "xlsm:Calc MS Excel 2007 VBA XML",
            "--outdir",
            str(tmp_path),
            str(addin),
        ],
        capture_output=True,
        timeout=180,
    )
    converted = tmp_path / "lubudget.xlsm"
    assert converted.exists(), result.stderr.decode(errors="replace")
    parser = VBA_Parser(str(converted))
    found = {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    parser.close()
    assert {"ThisWorkbook", "Sheet1", "xlwings", "Dictionary", "LubudgetMain", "LubudgetRibbon", "LubudgetEvents"} <= set(
        found
    )
    main = (MACROS_DIR / "LubudgetMain.bas").read_text(encoding="ascii")
    assert found["LubudgetMain"].replace("\r\n", "\n").strip() == main.strip()
    with zipfile.ZipFile(converted) as zf:
        assert CUSTOMUI_PART in zf.namelist()


def test_incompressible_final_chunk_is_refused_not_padded():
    rng = random.Random(3)
    with pytest.raises(ValueError, match="2.4.1.3.7"):
        ovba.compress(bytes(rng.randrange(33, 127) for _ in range(3900)))
