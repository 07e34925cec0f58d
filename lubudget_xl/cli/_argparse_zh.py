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
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "选项有歧义: %(option)s 可能是 %(matches)s",
}


def _translate(text: str) -> str:
    return _ZH.get(text, text)


# argparse looks its messages up through its module-level `_` (gettext); route them through Chinese.
argparse._ = _translate  # type: ignore[attr-defined]


class ChineseArgumentParser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 错误: {message}\n")
