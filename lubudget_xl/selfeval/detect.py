"""Tell a 项目支出绩效自评表 from a 绩效目标表 before the target reader reads it as targets.

Our own form says so in its identity (template id lubudget-se): the target reader refuses it before
indexing a sheet. A self-evaluation without identity (the published 10号 layout) is recognised by the
target reader's layout index (title …绩效自评表, or the 实际完成值/全年执行数 columns) and refused
the same way when every form in the workbook is one; a workbook mixing targets and a 自评表 sheet is
read as targets, the other sheet named in a READ_OTHER_FORM warning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lubudget_xl.errors import UserError
from lubudget_xl.selfeval.labels import TEMPLATE_ID


class SelfEvaluationForm(UserError):  # noqa: N818 - a UserError with the grids attached
    """Raised by the target reader on a self-evaluation workbook. The message points to `lubudget
    selfeval`; readers that take both forms (`loading.load_any(..., selfeval=True)`, the Excel
    bridge) catch it and read the same grids with the self-evaluation reader, so the file is not
    loaded twice."""

    def __init__(self, file: str, sheets: Mapping[str, Sequence[Sequence[Any]]], properties: Mapping[str, Any] | None,
                 merged: Any = None) -> None:
        super().__init__(
            f"{file}: 这是项目支出绩效自评表,不是项目支出绩效目标表;自评表用 lubudget check / consolidate 校验和汇总,"
            "由绩效目标表生成自评表用 lubudget selfeval build"
        )
        self.file, self.sheets, self.properties, self.merged = file, sheets, dict(properties or {}), merged


def is_selfeval_workbook(properties: Mapping[str, Any] | None) -> bool:
    """The workbook's identity names the self-evaluation form."""
    return bool(properties) and str(properties.get("LubudgetTemplateId", "")).strip() == TEMPLATE_ID
