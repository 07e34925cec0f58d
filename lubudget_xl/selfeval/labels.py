"""The self-evaluation form's labels (财预〔2020〕10号 附件 项目支出绩效自评表), from the form vocabulary.

The builder writes the official wording (`LABELS`) and the reader finds fields by any printed
variant (`VARIANTS`), never by position. Both come from `catalog/data/vocabulary.json`
(`self_evaluation_form`), where the target form's labels also live; the reader re-exports
`LABELS` as `reader.LABELS`.
"""

from __future__ import annotations

from lubudget_xl.catalog.vocabulary import vocabulary

_FORM = vocabulary().variants("self_evaluation_form")
LABELS: dict[str, str] = {field: printed[0] for field, printed in _FORM.items()}
# Other wordings published forms use for the same fields (compared without spaces and colons).
VARIANTS: dict[str, tuple[str, ...]] = {field: tuple(printed[1:]) for field, printed in _FORM.items() if printed[1:]}
TEMPLATE_ID = "lubudget-se"  # the self-evaluation form's identity (custom property LubudgetTemplateId)
SOURCES_SHEET = "自评来源"  # hidden: each project's target indicators and their file and cell
OPTIONS_SHEET = "自评选项"  # hidden: the qualitative results of the dropdowns
