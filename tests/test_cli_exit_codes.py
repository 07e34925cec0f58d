"""Exit codes of every verb, on real files (issue 13 item 7): 0 clean, 1 findings, 2 could not run,
3 a bug of ours (a short Chinese message and the log holding the traceback, never a traceback).

Every verb registered in lubudget_xl/cli/__init__.py is run through `main()` in this process for
each code it can produce. Code 3 is provoked the one way a test can provoke a bug of ours: a
function deep inside the verb is replaced by one that raises (the narrow internal-error hook, as in
test_isolation.py). Not here: `demo` exit 0 (the whole demo runs in test_ooxml_outputs.py's
fixture) and `bundle` exit 0 (it downloads wheels from the package index).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, SEED
from test_rules_cases import base_project, build_project

from lubudget_xl.cli import VERBS, main
from lubudget_xl.records import write_records


def run(capsys, *argv: str) -> tuple[int, str]:
    """`lubudget ARGV` in this process: the exit code and everything said on stdout and stderr."""
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse: usage errors exit 2 (and --help 0)
        code = exc.code
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Traceback" not in text
    return int(code), text


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """A clean project (records JSON and the form filled from it) and the seed's ten projects."""
    from lubudget_xl.catalog import load_catalog
    from lubudget_xl.loading import load_any
    from lubudget_xl.template import fill_workbook

    folder = tmp_path_factory.mktemp("exit_codes")
    clean, _ = build_project(base_project(), "clean.json")
    write_records([clean], folder / "clean.json")
    (folder / "clean").mkdir()
    fill_workbook([clean], load_catalog(str(clean.year)), folder / "clean" / "甲单位.xlsx")
    (folder / "seed").mkdir()
    seed = load_any(SEED).projects
    fill_workbook(seed, load_catalog("2021"), folder / "seed" / "六安市人民政府办公室.xlsx")
    (folder / "nothing").mkdir()
    (folder / "nothing" / "说明.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    return {
        "root": folder, "clean_json": folder / "clean.json", "clean": folder / "clean",
        "seed": folder / "seed", "seed_book": folder / "seed" / "六安市人民政府办公室.xlsx",
        "nothing": folder / "nothing",
    }  # fmt: skip


def bug(*_args, **_kwargs):
    raise RuntimeError("an injected bug of ours")


def assert_internal(code: int, text: str) -> None:
    assert code == 3, text
    assert "程序内部出错" in text and "RuntimeError" not in text
    log = Path(text.split("日志 ")[1].split(",")[0])
    assert "RuntimeError: an injected bug of ours" in log.read_text(encoding="utf-8")
    log.unlink()


# (verb, argv builder, function that the verb calls, replaced by `bug` for exit 3)
INTERNAL = [
    ("template", lambda f, t: ["template", "build", "-o", str(t / "t.xlsx")], "lubudget_xl.template.write_template"),
    ("fill", lambda f, t: ["fill", str(f["clean_json"]), "-o", str(t / "f.xlsx")], "lubudget_xl.template.fill_workbook"),
    ("import", lambda f, t: ["import", str(SEED), "-o", str(t / "r.json")], "lubudget_xl.cli.import_cmd.load_any"),
    ("check", lambda f, t: ["check", str(f["clean_json"])], "lubudget_xl.cli.check_cmd.render_text"),
    ("rules", lambda f, t: ["rules", "-o", str(t / "rules.md")], "lubudget_xl.rules._docs.render_rules_markdown"),
    ("consolidate", lambda f, t: ["consolidate", str(f["clean"]), "-o", str(t / "m.xlsx"), "-q"],
     "lubudget_xl.consolidate.master.write_master"),
    ("feedback", lambda f, t: ["feedback", str(t / "m.xlsx"), "-o", str(t / "fb")],
     "lubudget_xl.consolidate.feedback.write_feedback"),
    ("rollover", lambda f, t: ["rollover", str(SEED), "--to-year", "2022", "-o", str(t / "r.xlsx")],
     "lubudget_xl.rollover.workbook.write_rollover_workbook"),
    ("selfeval", lambda f, t: ["selfeval", "build", str(SEED), "-o", str(t / "s.xlsx")],
     "lubudget_xl.selfeval.form.write_selfeval"),
    ("catalog", lambda f, t: ["catalog", "diff", "2021", "2022"], "lubudget_xl.catalog.diff.diff_catalogs"),
    ("addin", lambda f, t: ["addin", "build", "-o", str(t / "a.xlam")], "lubudget_xl.addin.package.build_addin"),
    ("bundle", lambda f, t: ["bundle", "-o", str(t / "b")], "lubudget_xl.bundle.build_bundle"),
    ("demo", lambda f, t: ["demo", "--out", str(t / "d")], "lubudget_xl.cli.demo.sample_path"),
]


def test_every_registered_verb_is_covered():
    verbs = {name.removesuffix("_cmd") for name in VERBS}
    assert verbs == {verb for verb, _, _ in INTERNAL}


@pytest.mark.parametrize(("verb", "argv", "target"), INTERNAL, ids=[v for v, _, _ in INTERNAL])
def test_a_bug_of_ours_is_exit_3_with_a_log(verb, argv, target, files, tmp_path, monkeypatch, capsys):
    if verb == "feedback":  # a real master book to read
        assert run(capsys, "consolidate", str(files["clean"]), "-o", str(tmp_path / "m.xlsx"), "-q")[0] == 0
    monkeypatch.setattr(target, bug)
    assert_internal(*run(capsys, *argv(files, tmp_path)))


SUB_VERBS = [("template", "build"), ("template", "all"), ("selfeval", "build"), ("catalog", "new"),
             ("catalog", "validate"), ("catalog", "diff"), ("catalog", "list"), ("addin", "build"),
             ("addin", "install"), ("addin", "uninstall"), ("addin", "embed")]  # fmt: skip


@pytest.mark.parametrize("verb", [(v,) for v, _, _ in INTERNAL] + SUB_VERBS, ids=" ".join)
def test_every_verb_help_ends_with_the_exit_codes(verb, capsys):
    code, text = run(capsys, *verb, "--help")
    assert code == 0
    assert "退出码:0 完成,没有问题;1 " in text and ";2 无法运行" in text and ";3 本程序内部出错" in text


def test_check(files, tmp_path, capsys):
    assert run(capsys, "check", str(files["clean_json"]))[0] == 0
    assert run(capsys, "check", str(files["seed_book"]), "-q")[0] == 1
    code, text = run(capsys, "check", str(tmp_path / "没有这个文件.xlsx"))
    assert code == 2 and "文件不存在" in text
    assert run(capsys, "check", str(files["nothing"]))[0] == 2  # a folder with nothing checkable
    assert run(capsys, "check", str(files["clean_json"]), "--fail-on", "严重")[0] == 2


def test_check_annotate_into_a_folder_that_cannot_be_written_is_not_exit_0(files, tmp_path, capsys):
    blocker = tmp_path / "占位文件"
    blocker.write_text("x", encoding="utf-8")
    code, text = run(capsys, "check", str(files["clean"]), "--annotate", str(blocker / "副本"), "-q")
    assert code == 2, text  # the clean file alone would be exit 0: the missing copy makes it 2
    assert "无法写" in text and not (blocker / "副本").exists()


def test_check_annotate_onto_the_sources_is_refused_for_the_right_reason(files, tmp_path, capsys):
    inbox = tmp_path / "报送"
    shutil.copytree(files["clean"], inbox)
    before = {p.name: p.read_bytes() for p in inbox.iterdir()}
    code, text = run(capsys, "check", str(inbox), "--annotate", str(inbox))
    assert code == 2 and "源文件不会被修改" in text and "另选一个输出文件夹" in text
    assert "没有可校验的文件" not in text  # the old, wrong reason
    book = inbox / "甲单位.xlsx"
    code, text = run(capsys, "check", str(book), "--annotate", str(book))
    assert code == 2 and "要校验的文件之一" in text and "源文件不会被修改" in text
    assert {p.name: p.read_bytes() for p in inbox.iterdir()} == before


def test_consolidate(files, tmp_path, capsys):
    assert run(capsys, "consolidate", str(files["clean"]), "-o", str(tmp_path / "a.xlsx"), "-q")[0] == 0
    assert run(capsys, "consolidate", str(files["seed"]), "-o", str(tmp_path / "b.xlsx"), "-q")[0] == 1
    assert run(capsys, "consolidate", str(files["seed"]), "-o", str(tmp_path / "c.xlsx"), "-q", "--fail-on", "从不")[0] == 0
    code, text = run(capsys, "consolidate", str(files["nothing"]), "-o", str(tmp_path / "d.xlsx"), "-q")
    assert code == 2 and "没有任何项目计入汇总" in text
    code, text = run(capsys, "consolidate", str(files["clean"]), "-o", str(tmp_path / "m.csv"))
    assert code == 2 and "扩展名须为 .xlsx" in text and not (tmp_path / "m.csv").exists()


def test_feedback(files, tmp_path, capsys):
    master = tmp_path / "m.xlsx"
    assert run(capsys, "consolidate", str(files["seed"]), "-o", str(master), "-q", "--fail-on", "never")[0] == 0
    assert run(capsys, "feedback", str(master), "-o", str(tmp_path / "fb"), "-q")[0] == 0
    assert run(capsys, "feedback", str(tmp_path / "没有.xlsx"), "-o", str(tmp_path / "fb2"))[0] == 2
    assert run(capsys, "feedback", str(master), "-o", str(tmp_path / "fb3"), "--min-severity", "严重")[0] == 2


def test_import(files, tmp_path, capsys):
    assert run(capsys, "import", str(SEED), "-o", str(tmp_path / "a.json"), "-q")[0] == 0
    assert run(capsys, "import", str(FIXTURES / "text" / "wrapped_values.txt"), "-o", str(tmp_path / "b.json"))[0] == 1
    assert run(capsys, "import", str(files["nothing"]), "-o", str(tmp_path / "c.json"))[0] == 2
    code, text = run(capsys, "import", str(SEED), "-o", str(tmp_path / "d.xlsx"))
    assert code == 2 and "扩展名须为 .json" in text


def test_fill_template_selfeval_rollover(files, tmp_path, capsys):
    assert run(capsys, "fill", str(files["clean_json"]), "-o", str(tmp_path / "f.xlsx"), "-q")[0] == 0
    assert run(capsys, "fill", str(files["nothing"]), "-o", str(tmp_path / "g.xlsx"))[0] == 2
    assert run(capsys, "template", "build", "-o", str(tmp_path / "t.xlsx"))[0] == 0
    assert run(capsys, "template", "build", "-o", str(tmp_path / "t.xls"))[0] == 2
    assert run(capsys, "template")[0] == 2
    assert run(capsys, "selfeval", "build", str(files["clean_json"]), "-o", str(tmp_path / "s.xlsx"))[0] == 0
    assert run(capsys, "selfeval", "build", str(files["clean_json"]), "-o", str(tmp_path / "s.ods"))[0] == 2
    assert run(capsys, "rollover", str(SEED), "--to-year", "2022", "-o", str(tmp_path / "r.xlsx"))[0] == 0
    # an .xlsm name would hold a workbook without macros, which Excel refuses to open: refused
    code, text = run(capsys, "rollover", str(SEED), "--to-year", "2022", "-o", str(tmp_path / "r.xlsm"))
    assert code == 2 and "扩展名须为 .xlsx" in text and not (tmp_path / "r.xlsm").exists()


def test_rules(tmp_path, capsys):
    target = tmp_path / "rules.md"
    assert run(capsys, "rules", "-o", str(target))[0] == 0
    assert run(capsys, "rules", "--check", "-o", str(target))[0] == 0
    target.write_text("# stale\n", encoding="utf-8")
    assert run(capsys, "rules", "--check", "-o", str(target))[0] == 1
    assert run(capsys, "rules", "-o", str(tmp_path / "rules.xlsx"))[0] == 2


def test_catalog(tmp_path, capsys):
    from lubudget_xl.catalog import load_catalog

    assert run(capsys, "catalog", "list")[0] == 0
    broken = json.loads(json.dumps(load_catalog("2021").data))  # a copy: the loaded catalogue is shared
    broken["tree"][2]["children"][0]["alias"] = ["满意度"]  # collides with a level name
    (tmp_path / "2023.json").write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    assert run(capsys, "catalog", "validate", str(tmp_path / "2023.json"))[0] == 1
    assert run(capsys, "catalog", "validate", str(tmp_path / "没有.json"))[0] == 2
    assert run(capsys, "catalog", "new", "--year", "2031", "-o", str(tmp_path / "2031.csv"))[0] == 2


def test_addin_and_bundle_and_demo(tmp_path, capsys):
    source = tmp_path / "表.xlsx"
    shutil.copy(FIXTURES / "real" / "hubei_ezhou_2022_binhu_dalou.xlsx", source)
    assert run(capsys, "addin", "embed", str(source), "-o", str(tmp_path / "表.xlsm"))[0] == 0
    code, text = run(capsys, "addin", "embed", str(source), "-o", str(tmp_path / "表2.xlsx"))
    assert code == 2 and "扩展名须为 .xlsm" in text
    if not __import__("sys").platform.startswith("win"):
        assert run(capsys, "addin", "install")[0] == 2  # no Excel for Windows here, and no --dir
    assert run(capsys, "bundle", "-o", str(tmp_path / "b"), "--python", "py3")[0] == 2
    blocker = tmp_path / "occupied"
    blocker.write_text("x", encoding="utf-8")
    assert run(capsys, "demo", "--out", str(blocker))[0] == 2  # the output folder is a file
