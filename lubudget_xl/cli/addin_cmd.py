"""`lubudget addin build|install|uninstall`: the 绩效目标 ribbon add-in for Excel.

`install` copies the add-in into the user's XLSTART folder (%APPDATA%\\Microsoft\\Excel\\XLSTART, where
`xlwings addin install` puts its own), so Excel opens it with every start and trusts its macros, and
writes `%USERPROFILE%\\.lubudget\\lubudget.conf` naming this Python, so the ribbon's RunPython calls
run the interpreter that has lubudget_xl installed. Without `--file` it builds the add-in first
from `macros/` and the installed xlwings, so the VBA always matches the xlwings it talks to.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from lubudget_xl.cli._options import add_output, add_verb
from lubudget_xl.errors import UserError
from lubudget_xl.fsutil import write_bytes_atomic

ADDIN_NAME = "lubudget.xlam"
EXIT_NO_EXCEL = 2


def register(sub: argparse._SubParsersAction) -> None:
    p = add_verb(
        sub, "addin",
        help="生成、安装或卸载 Excel 加载项(“绩效目标”选项卡)",
        description="生成、安装或卸载 Excel 加载项(功能区“绩效目标”选项卡,保存时自动校验)。",
    )
    actions = p.add_subparsers(dest="addin_action", metavar="操作", title="操作")
    b = add_verb(actions, "build", help="从 macros/ 源文件生成加载项", description="从 macros/ 与已安装的 xlwings 生成加载项。")
    add_output(b, (".xlam", ".xlsm"), "加载项", required=False, default=f"build/{ADDIN_NAME}", flags=("-o", "--out"),
               help=f"输出文件(默认 build/{ADDIN_NAME};.xlsm 生成工作簿版)")  # fmt: skip
    i = add_verb(actions, "install", help="安装到 Excel 启动文件夹 XLSTART", description="把加载项复制到 Excel 的启动文件夹。\n"
                 "不是 Windows 且未给 --dir 时说明原因,退出码为 2。")  # fmt: skip
    i.add_argument("--file", help="要安装的加载项文件(默认现场生成)")
    i.add_argument("--dir", help="安装到指定文件夹(默认 %%APPDATA%%\\Microsoft\\Excel\\XLSTART)")
    i.add_argument("--conf-dir", help="写入 lubudget.conf 的文件夹(默认 %%USERPROFILE%%\\.lubudget;使用 --dir 时默认不写)")
    e = add_verb(actions, "embed", help="给工作簿嵌入宏(LibreOffice 用)",
                 description="写出带宏的工作簿副本(.xlsm):在 LibreOffice 中可运行校验全部、保存时校验。原文件不变。")
    e.add_argument("file", metavar="文件", help="已填写或空白的绩效目标表(.xlsx)")
    add_output(e, (".xlsm",), "带宏的工作簿", flags=("-o", "--out"))
    u = add_verb(actions, "uninstall", help="从 XLSTART 删除加载项", description="从 Excel 的启动文件夹删除加载项。")
    u.add_argument("--dir", help="从指定文件夹删除(默认 XLSTART)")
    p.set_defaults(run=run)


def xlstart_dir() -> Path | None:
    """The per-user XLSTART folder on Windows; None where Excel for Windows cannot be."""
    if not sys.platform.startswith("win"):
        return None
    appdata = os.environ.get("APPDATA")
    return Path(appdata) / "Microsoft" / "Excel" / "XLSTART" if appdata else None


def _target_dir(args: argparse.Namespace) -> Path | None:
    if args.dir:
        return Path(args.dir)
    found = xlstart_dir()
    if found is None:
        print(
            "本机不是 Windows(或找不到 %APPDATA%),没有可安装加载项的 Excel。"
            "加载项只能在 Windows 版 Excel 中使用;WPS 与 LibreOffice 请使用模板自带的校验区。"
            "如只需复制文件,请用 --dir 指定文件夹。",
            file=sys.stderr,
        )
    return found


def _write_conf(folder: Path) -> Path:
    """xlwings' config file format: one `"KEY","value"` line per setting, in the ANSI code page."""
    conf = folder / "lubudget.conf"
    text = f'"INTERPRETER_WIN","{sys.executable}"\r\n'
    encoding = "mbcs" if sys.platform.startswith("win") else "utf-8"
    write_bytes_atomic(conf, text.encode(encoding))
    return conf


def _check_addin_file(source: Path) -> None:
    """Refuse anything that is not an add-in package before it lands in XLSTART (Excel opens it at start)."""
    from lubudget_xl.addin.package import CUSTOMUI_PART

    try:
        with zipfile.ZipFile(source) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError):
        raise UserError(f"{source}:不是 Excel 加载项文件(.xlam 应为 zip 包),未安装") from None
    for part, what in (("xl/vbaProject.bin", "宏代码 xl/vbaProject.bin"), (CUSTOMUI_PART, f"功能区定义 {CUSTOMUI_PART}")):
        if part not in names:
            raise UserError(f"{source}:加载项文件中缺少{what},不是本工具的加载项,未安装")


def _install(args: argparse.Namespace) -> int:
    target_dir = _target_dir(args)
    if target_dir is None:
        return EXIT_NO_EXCEL
    target = target_dir / ADDIN_NAME
    target_dir.mkdir(parents=True, exist_ok=True)
    try:
        if args.file:
            source = Path(args.file)
            if not source.is_file():
                raise UserError(f"{source}:找不到要安装的加载项文件")
            _check_addin_file(source)
            shutil.copyfile(source, target)
        else:
            from lubudget_xl.addin.package import build_addin

            with tempfile.TemporaryDirectory() as tmp:
                built = build_addin(Path(tmp) / ADDIN_NAME)
                shutil.copyfile(built, target)
    except PermissionError as err:
        raise UserError(f"{target}:无法写入(Excel 是否正在使用该加载项?请关闭 Excel 后重试)") from err
    print(f"已安装加载项:{target}", file=sys.stderr)
    conf_dir = Path(args.conf_dir) if args.conf_dir else None
    if conf_dir is None and not args.dir and os.environ.get("USERPROFILE"):
        conf_dir = Path(os.environ["USERPROFILE"]) / ".lubudget"
    if conf_dir is not None:
        print(f"已写入配置(Python 解释器):{_write_conf(conf_dir)}", file=sys.stderr)
    print("重新启动 Excel 后,功能区会出现“绩效目标”选项卡。", file=sys.stderr)
    return 0


def _uninstall(args: argparse.Namespace) -> int:
    target_dir = _target_dir(args)
    if target_dir is None:
        return EXIT_NO_EXCEL
    target = target_dir / ADDIN_NAME
    if not target.exists():
        print(f"未安装:{target} 不存在。", file=sys.stderr)
        return 0
    try:
        target.unlink()
    except PermissionError as err:
        raise UserError(f"{target}:无法删除(请先关闭 Excel 后重试)") from err
    print(f"已卸载加载项:{target}(重新启动 Excel 后生效)", file=sys.stderr)
    return 0


def run(args: argparse.Namespace) -> int:
    if args.addin_action == "build":
        from lubudget_xl.addin.package import build_addin

        out = build_addin(Path(args.out))
        print(f"已生成加载项:{out}", file=sys.stderr)
        return 0
    if args.addin_action == "install":
        return _install(args)
    if args.addin_action == "uninstall":
        return _uninstall(args)
    if args.addin_action == "embed":
        from lubudget_xl.addin.embed import embed_macros

        if Path(args.out).resolve() == Path(args.file).resolve():
            raise UserError(f"{args.out}:输出不能覆盖原文件")
        out = embed_macros(Path(args.file), Path(args.out))
        print(f"已写出带宏的工作簿:{out}(在 LibreOffice 中启用宏后,用 工具 → 宏 → 运行 LubudgetRibbon.CheckAll)", file=sys.stderr)
        return 0
    print("请指定操作:build、install、uninstall 或 embed(见 lubudget addin --help)。", file=sys.stderr)
    return 2
