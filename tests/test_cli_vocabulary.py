"""One CLI vocabulary (issue 13 items 6-7), on real files: severities in English or Chinese under
either option name, folders wherever files are, .et (WPS) files read by content, skipped files on
a return list, and failure messages without English class names."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import FIXTURES, SEED, run_cli
from test_rules_cases import apply_overrides, base_project, build_project

from lubudget_xl.cli import main
from lubudget_xl.cli._options import severity
from lubudget_xl.issues import Severity
from lubudget_xl.records import read_records

REAL = FIXTURES / "real"


def run(capsys, *argv: str) -> tuple[int, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return int(code), out.out + out.err


@pytest.fixture(scope="module")
def warned(tmp_path_factory) -> Path:
    """A department folder with one filled form whose only finding above 提示 is one warning."""
    from lubudget_xl.catalog import load_catalog
    from lubudget_xl.template import fill_workbook

    folder = tmp_path_factory.mktemp("vocabulary") / "报送"
    folder.mkdir()
    project, _ = build_project(apply_overrides(
        base_project(), {"set_indicators": {"6": ["满意度指标", "服务对象满意度指标", "参会单位满意度", "≥80%"]}}))
    fill_workbook([project], load_catalog(str(project.year)), folder / "甲单位.xlsx")
    return folder


def test_severity_words_in_both_languages():
    for words, level in ((("error", "错误", " ERROR "), Severity.ERROR), (("warning", "警告"), Severity.WARNING),
                         (("info", "提示", "Info"), Severity.INFO)):  # fmt: skip
        assert {severity(w) for w in words} == {level}


@pytest.mark.parametrize("option", ["--fail-on", "--min-severity"])
def test_check_and_consolidate_take_either_name_and_either_language(warned, tmp_path, capsys, option):
    book = str(warned / "甲单位.xlsx")
    for word, expected in (("error", 0), ("错误", 0), ("warning", 1), ("警告", 1), ("info", 1), ("提示", 1)):
        assert run(capsys, "check", book, "-q", option, word)[0] == expected, (option, word)
    for word, expected in (("错误", 0), ("warning", 1), ("警告", 1), ("never", 0), ("从不", 0)):
        code, _ = run(capsys, "consolidate", str(warned), "-o", str(tmp_path / "m.xlsx"), "-q", option, word)
        assert code == expected, (option, word)
    code, text = run(capsys, "check", book, option, "严重")
    assert code == 2 and "无效的级别" in text and "error/错误" in text


def _listed(folder: Path) -> set[str]:
    rows = set()
    for book in folder.glob("*.xlsx"):
        sheet = openpyxl.load_workbook(book)["退回修改"]
        header = next(r for r in sheet.iter_rows(values_only=True) if r and r[0] == "序号")
        rows |= {r[header.index("严重程度")] for r in sheet.iter_rows(values_only=True)
                 if r and isinstance(r[0], int)}  # fmt: skip
    return rows


def test_feedback_takes_either_name_and_either_language(tmp_path, capsys):
    inbox = tmp_path / "报送"
    inbox.mkdir()
    shutil.copy(REAL / "hubei_ezhou_2022_binhu_dalou.xlsx", inbox / "鄂州.xlsx")
    shutil.copy(REAL / "hunan_xiangtan_2023_wupaoche.xlsx", inbox / "湘潭.xlsx")
    master = tmp_path / "m.xlsx"
    assert run(capsys, "consolidate", str(inbox), "-o", str(master), "-q", "--fail-on", "never")[0] == 0
    assert run(capsys, "feedback", str(master), "-o", str(tmp_path / "all"), "-q")[0] == 0
    assert _listed(tmp_path / "all") == {"错误", "警告", "提示"}
    for n, (option, word) in enumerate((("--min-severity", "错误"), ("--min-severity", "error"),
                                        ("--fail-on", "error"), ("--fail-on", "错误"))):  # fmt: skip
        assert run(capsys, "feedback", str(master), "-o", str(tmp_path / f"e{n}"), "-q", option, word)[0] == 0
        assert _listed(tmp_path / f"e{n}") == {"错误"}
    assert run(capsys, "feedback", str(master), "-o", str(tmp_path / "w"), "-q", "--min-severity", "warning")[0] == 0
    assert _listed(tmp_path / "w") == {"错误", "警告"}


def test_import_takes_a_folder_and_goes_on_past_a_broken_file(tmp_path):
    inbox = tmp_path / "公开的表"
    (inbox / "二").mkdir(parents=True)
    shutil.copy(SEED, inbox / "六安.txt")
    shutil.copy(FIXTURES / "text" / "gbk_two_projects.txt", inbox / "二" / "gbk.txt")
    (inbox / "坏.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (inbox / "扫描件.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    target = tmp_path / "records.json"
    out = run_cli("import", str(inbox), "-o", str(target))
    message = out.stderr.decode("utf-8")
    assert out.returncode == 2, message  # one file could not be used; the others were imported
    assert "Traceback" not in message
    assert re.search(r"\[\d/3\] .*坏\.txt:无法导入 — .*不是文本文件", message)
    assert "[3/3]" in message and "扫描件.pdf: PDF 文件" in message
    assert len(read_records(target)) == 12  # 10 from the seed, 2 from the GBK file in the sub-folder


def test_fill_rollover_and_selfeval_take_a_folder(tmp_path, capsys):
    from openpyxl import load_workbook

    inbox = tmp_path / "上年"
    (inbox / "办公室").mkdir(parents=True)
    shutil.copy(SEED, inbox / "办公室" / "六安.txt")
    (inbox / "~$锁定.xlsx").write_bytes(b"\x00" * 165)  # Excel's lock file: left out, not an error
    assert run(capsys, "fill", str(inbox), "-o", str(tmp_path / "填写.xlsx"), "-q")[0] == 0
    assert len(load_workbook(tmp_path / "填写.xlsx", read_only=True).sheetnames) >= 10
    assert run(capsys, "rollover", str(inbox), "--to-year", "2022", "-o", str(tmp_path / "结转.xlsx"))[0] == 0
    assert (tmp_path / "结转.xlsx").exists()
    assert run(capsys, "selfeval", "build", str(inbox), "-o", str(tmp_path / "自评.xlsx"))[0] == 0
    assert len(load_workbook(tmp_path / "自评.xlsx", read_only=True).sheetnames) >= 10


def test_rollover_into_its_own_input_folder_does_not_read_its_report(tmp_path, capsys):
    """A second rollover over the folder the first wrote into: its 结转报告.txt is ours, not a form."""
    inbox = tmp_path / "上年"
    inbox.mkdir()
    shutil.copy(SEED, inbox / "六安.txt")
    assert run(capsys, "rollover", str(inbox), "--to-year", "2022", "-o", str(inbox / "结转.xlsx"))[0] == 0
    assert (inbox / "结转_结转报告.txt").exists()
    code, err = run(capsys, "rollover", str(inbox / "六安.txt"), str(inbox / "结转_结转报告.txt"),
                    "--to-year", "2022", "-o", str(tmp_path / "named.xlsx"))  # fmt: skip
    assert code == 2  # named explicitly it is read, and is no form
    code, err = run(capsys, "rollover", str(inbox), "--to-year", "2022", "-o", str(tmp_path / "again.xlsx"))
    assert f"{inbox / '结转_结转报告.txt'}: lubudget rollover 生成的结转报告,不是报表,已跳过" in err
    # the workbook the first run wrote is 2022's: refused, naming it, not a generic year clash
    assert code == 2 and "来源中的表已是 2022 年的(结转.xlsx),不能结转到 2022 年" in err
    (inbox / "结转.xlsx").unlink()
    code, err = run(capsys, "rollover", str(inbox), "--to-year", "2022", "-o", str(tmp_path / "again.xlsx"))
    assert code == 0 and "结转_结转报告.txt: lubudget rollover 生成的结转报告" in err


def test_output_suffix_must_name_what_is_written(tmp_path):
    out = run_cli("consolidate", str(REAL / "hubei_ezhou_2022_binhu_dalou.xlsx"), "-o", str(tmp_path / "m.csv"))
    message = out.stderr.decode("utf-8")
    assert out.returncode == 2 and "汇总表(Excel 工作簿),文件扩展名须为 .xlsx" in message
    assert "m.csv" in message and list(tmp_path.iterdir()) == []
    out = run_cli("consolidate", str(REAL / "hubei_ezhou_2022_binhu_dalou.xlsx"), "-o", str(tmp_path / "m.xlsx"),
                  "--json", str(tmp_path / "r.csv"))  # fmt: skip
    assert out.returncode == 2 and "扩展名须为 .json" in out.stderr.decode("utf-8")


@pytest.fixture(scope="module")
def wps_inbox(tmp_path_factory) -> Path:
    """What a reviewer's inbox holds: workbooks saved by WPS as .et (an xlsx and an xls inside),
    an .et that is neither, and the scans, documents and lock files departments send along."""
    inbox = tmp_path_factory.mktemp("wps") / "部门报送"
    inbox.mkdir()
    shutil.copy(REAL / "chongqing_rongchang_2022_daqinggang_lvhua.xlsx", inbox / "荣昌_xlsx内容.et")
    shutil.copy(REAL / "hubei_ezhou_2022_binhu_dalou.xls", inbox / "鄂州_xls内容.et")
    (inbox / "旧版WPS.et").write_bytes(b"WPS ET private format " * 20)
    (inbox / "盖章扫描件.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    (inbox / "说明.docx").write_bytes((REAL / "hubei_ezhou_2022_binhu_dalou.xlsx").read_bytes()[:64])
    (inbox / "照片.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    (inbox / "~$荣昌_xlsx内容.et").write_bytes(b"\x00" * 165)
    return inbox


def test_et_files_are_read_by_content_and_skipped_files_reach_a_return_list(wps_inbox, tmp_path):
    master, lists = tmp_path / "汇总表.xlsx", tmp_path / "退回修改"
    out = run_cli("consolidate", str(wps_inbox), "-o", str(master), "--feedback", str(lists), "--quiet")
    assert out.returncode in (0, 1), out.stderr.decode("utf-8")
    book = openpyxl.load_workbook(master)
    files = {Path(r[0]).name: r[1:3] for r in book["文件清单"].iter_rows(min_row=2, values_only=True)}
    assert files["荣昌_xlsx内容.et"][0] == "已读取" and files["鄂州_xls内容.et"][0] == "已读取"
    skipped = {name: reason for name, (status, reason) in files.items() if status == "已跳过"}
    assert set(skipped) == {"旧版WPS.et", "盖章扫描件.pdf", "说明.docx", "照片.png", "~$荣昌_xlsx内容.et"}
    assert skipped["旧版WPS.et"].startswith("WPS 表格文件(.et)的内容不是 xls/xlsx 格式")
    assert skipped["盖章扫描件.pdf"].startswith("PDF 文件,不能作为绩效目标表读取")
    assert skipped["说明.docx"].startswith("Word 文档") and skipped["照片.png"].startswith("图片")
    issues = list(book["校验问题"].iter_rows(values_only=True))
    codes = [dict(zip(issues[0], r, strict=False)) for r in issues[1:]]
    assert not [r for r in codes if r["问题代码"] == "READ_WRONG_SUFFIX"]  # .et is WPS's own name, no warning
    # every skipped file a department may have meant as its submission is on the reviewer's return
    # list of files without a department, as an unreadable file is; Excel's lock file is not
    unknown = openpyxl.load_workbook(lists / "退回修改_无法识别的文件.xlsx")["退回修改"]
    rows = [r for r in unknown.iter_rows(values_only=True) if r and isinstance(r[0], int)]
    returned = {r[5]: (r[1], r[9]) for r in rows}  # the code: the last column
    assert returned == {name: ("警告", "BATCH_SKIPPED_FILE") for name in ("旧版WPS.et", "盖章扫描件.pdf", "说明.docx", "照片.png")}
    names = re.compile(r"Excel|WPS|Word|PDF|xlsx|xls")  # product and format names are not English prose
    assert all(re.search("[a-zA-Z]{3,}", names.sub("", r[3].replace(r[5], ""))) is None for r in rows)


def test_check_reads_an_et_file_by_content(wps_inbox, capsys):
    code, text = run(capsys, "check", str(wps_inbox / "鄂州_xls内容.et"), "--format", "json")
    report = json.loads(text[text.index("{"):])
    assert report["files"][0]["projects"] >= 1 and report["files"][0]["status"] in ("clean", "findings")
    assert "READ_WRONG_SUFFIX" not in {i["code"] for i in report["issues"]}
    code, text = run(capsys, "check", str(wps_inbox / "旧版WPS.et"))
    assert code == 2 and "不是 Excel 工作簿" in text
    code, text = run(capsys, "check", str(wps_inbox))  # a folder: the two .et workbooks are checked
    assert "荣昌_xlsx内容.et:" in text and "鄂州_xls内容.et:" in text and "盖章扫描件.pdf: PDF 文件" in text


def test_annotated_copy_failure_names_no_exception_class(tmp_path, capsys):
    """openpyxl refuses a package whose content types do not name the workbook (calamine reads it)."""
    broken = tmp_path / "结构异常.xlsx"
    with zipfile.ZipFile(REAL / "hubei_ezhou_2022_binhu_dalou.xlsx") as src, zipfile.ZipFile(broken, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = re.sub(rb'<Override PartName="/xl/workbook.xml"[^>]*/>', b"", data)
            out.writestr(info, data)
    code, text = run(capsys, "check", str(broken), "--annotate", str(tmp_path / "副本"), "-q")
    assert code == 2, text
    line = next(x for x in text.splitlines() if "批注副本" in x)
    assert "无法打开工作簿以生成批注副本(文件结构异常或已损坏)" in line
    assert re.search(r"\((OSError|KeyError|ValueError)\)|Error", line) is None


def test_the_excel_bridge_reports_a_bug_of_ours_in_chinese_and_logs_the_class():
    from lubudget_xl.errors import UserError
    from lubudget_xl.excel.failure import failure_text as _failure_text

    assert _failure_text(UserError("甲.xlsx: 文件不存在")) == "甲.xlsx: 文件不存在"
    text = _failure_text(KeyError("sheet"))
    assert "程序内部出错" in text and "KeyError" not in text
    log = Path(text.split("日志 ")[1].split(",")[0])
    assert "KeyError: 'sheet'" in log.read_text(encoding="utf-8")
    log.unlink()
