"""The self-evaluation form's labels (财预〔2020〕10号 附件 项目支出绩效自评表), in one constant.

The builder writes these texts and the reader finds fields by them, never by position. They move
into the form vocabulary (catalog/vocabulary.py, issue 12) once it lands; until then this is the
one place they live (the reader re-exports it as `reader.LABELS`).
"""

from __future__ import annotations

LABELS: dict[str, str] = {
    "title": "项目支出绩效自评表",
    "department": "填报单位(盖章)",
    "name": "项目名称",
    "competent_department": "主管部门",
    "unit": "实施单位",
    "funds": "项目资金(万元)",
    "initial": "年初预算数",
    "budget": "全年预算数",
    "executed": "全年执行数",
    "weight": "分值",
    "rate": "执行率",
    "score": "得分",
    "total": "年度资金总额",
    "fiscal": "其中:当年财政拨款",
    "carryover": "上年结转资金",
    "other": "其他资金",
    "goal": "年度总体目标",
    "goal_target": "预期目标",
    "goal_actual": "实际完成情况",
    "indicators": "绩效指标",
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "value": "年度指标值",
    "actual": "实际完成值",
    "reason": "偏差原因分析及改进措施",
    "total_score": "总分",
}
# Other wordings published forms use for the same fields (compared without spaces and colons).
VARIANTS: dict[str, tuple[str, ...]] = {
    "fiscal": ("当年财政拨款", "其中:财政拨款", "财政拨款"),
    "carryover": ("上年结转", "结转资金"),
    "value": ("本年度指标值", "年度指标值", "指标值", "目标值", "预期指标值"),
    "actual": ("实际完成值", "实际值", "完成值", "全年实际值"),
    "reason": ("偏差原因分析及改进措施", "偏差原因分析及整改措施", "偏差原因", "未完成原因和改进措施", "未完成原因分析及改进措施"),
    "goal": ("年度总体目标", "总体目标", "年度目标"),
    "goal_target": ("预期目标",),
    "goal_actual": ("实际完成情况",),
    "total_score": ("总分", "合计"),
}
TEMPLATE_ID = "lubudget-se"  # the self-evaluation form's identity (custom property LubudgetTemplateId)
SOURCES_SHEET = "自评来源"  # hidden: each project's target indicators and their file and cell
OPTIONS_SHEET = "自评选项"  # hidden: the qualitative results of the dropdowns
