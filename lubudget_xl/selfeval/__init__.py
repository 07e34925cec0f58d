"""绩效自评: the 项目支出绩效自评表 as a second form over the target records (财预〔2020〕10号).

`model` (the record) and `scoring` (pure functions) are core: the rules import them, so this
package's `__init__` imports nothing that needs openpyxl. The form builder (`form`), the reader
(`reader`) and the master-book summary live in their own modules, imported where used.
"""

from lubudget_xl.selfeval.model import (
    FundExecution,
    IndicatorResult,
    SelfEvaluation,
    TargetRef,
    is_selfeval,
)

__all__ = ["FundExecution", "IndicatorResult", "SelfEvaluation", "TargetRef", "is_selfeval"]
