"""What a workbook user is shown when an operation fails on our side of the bridge.

A UserError (or any error whose text is already Chinese, such as a port's "Excel 没有响应") is shown
as it is. Anything else is a bug of ours or a library's English text: the user gets one Chinese
sentence and the log path, the exception's class and text go to the log only.
"""

from __future__ import annotations

import re
import traceback

from lubudget_xl.errors import UserError

_HAN = re.compile(r"[\u4e00-\u9fff]")


def failure_text(err: BaseException) -> str:
    """The Chinese text to show for `err`."""
    text = str(err).strip()
    if isinstance(err, UserError) or _HAN.search(text):
        return text
    from lubudget_xl.isolation import append_log, log_path

    log = log_path()
    append_log(log, "".join(traceback.format_exception(err)))
    return f"lubudget 程序内部出错(不是工作簿的问题),操作未完成。详细信息已写入日志 {log},请将其发给维护人员。"
