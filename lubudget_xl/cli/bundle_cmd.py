"""`lubudget bundle -o DIR [--platform win_amd64 --python 3.11] [--wheel FILE]`: the offline bundle."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from lubudget_xl.cli._options import add_verb


def register(sub: argparse._SubParsersAction) -> None:
    p = add_verb(
        sub, "bundle",
        help="制作离线安装包(内网电脑用)",
        description=(
            "制作离线安装包:本工具及全部依赖的 wheel、Excel 加载项、年度模板、使用说明、安装脚本"
            "(install.bat / install.sh)和 SHA-256 校验清单。需要能访问软件包索引;"
            "安装时不需要网络。"
        ),
    )
    p.add_argument("-o", "--out", required=True, metavar="文件夹", help="输出文件夹(须不存在或为空)")
    p.add_argument("--platform", default=None, metavar="平台", help="目标平台的 pip 标记,如 win_amd64(默认本机平台)")
    p.add_argument("--python", default=None, metavar="版本", help="目标 Python 版本,如 3.11(默认与本机相同)")
    p.add_argument("--wheel", default=None, metavar="文件", help="已生成的 lubudget_xl wheel(默认由源码目录生成)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from lubudget_xl.bundle import build_bundle
    from lubudget_xl.bundle.wheels import Target
    from lubudget_xl.errors import UserError

    python = args.python or f"{sys.version_info.major}.{sys.version_info.minor}"
    if not re.fullmatch(r"3\.\d{1,2}", python):
        raise UserError(f"--python {python}:请写成 3.11 这样的主次版本号")
    if args.platform is None and python != f"{sys.version_info.major}.{sys.version_info.minor}":
        raise UserError("为其他 Python 版本制作安装包时须同时指定 --platform(如 win_amd64)")
    target = Target(args.platform, python)
    target.marker_environment()  # an unknown platform is refused before anything is downloaded
    bundle = build_bundle(Path(args.out), target, Path(args.wheel) if args.wheel else None,
                          say=lambda text: print(text, file=sys.stderr))
    print(
        f"已生成离线安装包 {bundle.folder}({target.describe()}):wheel {len(bundle.wheels)} 个,"
        f"共 {bundle.size / 1e6:.1f} MB;使用说明:{bundle.guide.name if bundle.guide else '无(未找到)'}",
        file=sys.stderr,
    )
    print(f"在内网电脑上运行 {bundle.folder / 'install.bat'}(Windows)或 install.sh(Linux)安装。", file=sys.stderr)
    return 0
