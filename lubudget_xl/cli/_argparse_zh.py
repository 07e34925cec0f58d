"""argparse with Chinese help and usage errors (department staff read these)."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

_ZH = {
    "usage: ": "用法: ",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数: %s",
    "unrecognized arguments: %s": "无法识别的参数: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r(可选: %(choices)s)",
    "expected one argument": "需要一个参数值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "无效的值 %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "选项有歧义: %(option)s 可能是 %(matches)s",
}


def _translate(text: str) -> str:
    return _ZH.get(text, text)


# argparse looks its messages up through its module-level `_` (gettext); route them through Chinese.
argparse._ = _translate  # type: ignore[attr-defined]


# Placeholders shown in usage lines, by argument name (dest) or by an English metavar a verb gave.
_METAVARS = {
    "output": "文件",
    "out": "文件夹",
    "catalog": "目录",
    "to_year": "年度",
    "year": "年度",
    "jobs": "进程数",
    "dir": "文件夹",
    "source": "文件",
    "sources": "文件",
    "inputs": "文件或文件夹",
    "files": "文件",
    "SRC": "文件",
    "NAME|PATH": "名称或路径",
    "FILE": "文件",
    "DIR": "文件夹",
    "N": "数量",
    "Y": "年度",
}


class ChineseArgumentParser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"

    def add_argument(self, *args, **kwargs):  # type: ignore[override]
        action = super().add_argument(*args, **kwargs)
        takes_value = action.nargs != 0 and not isinstance(action, argparse._SubParsersAction)
        if takes_value and action.choices is None:
            action.metavar = _METAVARS.get(action.metavar or "") or (
                action.metavar if action.metavar else _METAVARS.get(action.dest, action.metavar)
            )
        return action

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 错误: {message}\n")
