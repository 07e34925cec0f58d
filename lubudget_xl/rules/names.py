"""Short Chinese names of the finding codes, for the documents people print and send (issue 13).

Return lists and 校验结果 sheets show these names first and the permanent code in a narrow last
column: a department reads "资金不平衡", not FUNDS_SUM. Every registered rule and every code in
`_docs.OTHER_CODES` must have a name here (a test checks it); codes the readers, the text importer
and the batch report are named too. A code without a name falls back to its family's name.
"""

from __future__ import annotations

SHORT_NAMES: dict[str, str] = {
    # header, funds
    "HEADER_MISSING": "表头必填项为空",
    "HEADER_ATTRIBUTE": "项目属性不规范",
    "FUNDS_SUM": "资金不平衡",
    "FUNDS_NEGATIVE": "资金为负数或零",
    "FUNDS_CARRIED": "结转资金待确认",
    # indicator tree
    "TREE_LEVEL1_MISSING": "缺少一级指标",
    "TREE_LEVEL2_MISSING": "缺少必备二级指标",
    "TREE_LEVEL1_UNKNOWN": "一级指标名称不规范",
    "TREE_LEVEL2_UNKNOWN": "二级指标名称不规范",
    "TREE_PAIR": "二级指标归属错误",
    "TREE_LEVEL3_EMPTY": "三级指标名称为空",
    "TREE_LEVEL3_DUPLICATE": "三级指标重复",
    "TREE_LEVEL3_GENERIC": "三级指标照抄上级名称",
    # values
    "VALUE_EMPTY": "指标值未填写",
    "VALUE_PLACEHOLDER": "指标值为占位文字",
    "VALUE_NOT_QUANTIFIED": "指标值未量化",
    "VALUE_QUANTIFY_SUGGESTED": "指标值宜量化",
    "VALUE_UNIT_MISSING": "缺少计量单位",
    "VALUE_SIGN_MISSING": "缺少指标值符号",
    "VALUE_SLOGAN": "指标值为口号",
    "VALUE_EXPLANATION_MISSING": "缺少指标值说明",
    "VALUE_SIGN_REQUIRED": "符号栏未填写",
    "VALUE_SIGN_MISMATCH": "符号与指标值不符",
    # cost, scales, years, goal, text
    "COST_EXCEEDS_FUNDS": "成本超过资金总额",
    "COST_SUM": "成本合计与资金不符",
    "COST_NOT_MONEY": "成本指标不是金额",
    "COST_SIGN": "成本指标符号不当",
    "PERCENT_RANGE": "百分比超出范围",
    "SATISFACTION_FLOOR": "满意度目标偏低",
    "SATISFACTION_MISPLACED": "满意度位置不当",
    "YEAR_OUTSIDE_BUDGET": "年份超出预算年度",
    "YEAR_MULTIYEAR_TOTAL": "写了多年累计数",
    "GOAL_NUMBERS": "年度目标与指标不符",
    "TEXT_HTML": "夹带网页标记",
    "TEXT_PAGE_NUMBER": "粘连页码",
    "TEXT_DOUBLED": "词语重复",
    # self-evaluation
    "SELF_ACTUAL_MISSING": "实际完成值未填写",
    "SELF_SCORE_OVER_WEIGHT": "得分高于分值",
    "SELF_SCORE_MISMATCH": "得分计算有误",
    "SELF_REASON_MISSING": "缺少偏差原因",
    "SELF_TOTAL_SUM": "总分计算有误",
    "SELF_WEIGHTS_SUM": "分值合计不为100",
    "SELF_RATE_MISMATCH": "执行率计算有误",
    "SELF_INDICATOR_DROPPED": "漏评指标",
    "SELF_INDICATOR_ADDED": "多出指标",
    # files and the batch (rules/_docs.OTHER_CODES)
    "FILE_UNREADABLE": "文件无法读取",
    "FILE_NO_PROJECTS": "文件中没有项目表",
    "FILE_DUPLICATE_PROJECT": "项目重复填写",
    "FILE_SIMILAR_PROJECT": "项目名称相近",
    "FILE_ATTRIBUTE_HIDDEN": "隐藏的文件",
    "READ_NO_PROJECT": "空白表格",
    "BATCH_DUPLICATE_FILE": "重复报送的文件",
    "BATCH_DUPLICATE_PROJECT": "重复报送的项目",
    "BATCH_SIMILAR_PROJECT": "项目名称相近",
    "BATCH_OTHER_YEAR": "其他年度的文件",
    "BATCH_OTHER_TEMPLATE": "模板版本不同",
    "BATCH_SKIPPED_FILE": "未读取的文件",
    "CATALOG_YEAR_MISSING": "缺少该年度指标目录",
    # the readers
    "READ_BLANK_FORM": "空白项目表",
    "READ_CATALOG_CHOSEN": "所用指标目录",
    "READ_CATALOG_VERSION": "指标目录版本不同",
    "READ_DEPARTMENT_MISMATCH": "单位名称不一致",
    "READ_FORMULA_NO_VALUE": "公式没有计算结果",
    "READ_FUNDS_NOT_NUMBER": "资金不是数字",
    "READ_GRID_EMPTY": "没有读到指标行",
    "READ_NO_TEMPLATE_ID": "非本工具模板",
    "READ_OTHER_FORM": "不是绩效目标表",
    "READ_ROW_SHIFTED": "指标行错列",
    "READ_ROW_SKIPPED": "指标行未读取",
    "READ_TEMPLATE_ID": "模板标识不符",
    "READ_TEMPLATE_VERSION": "模板版本未知",
    "READ_TEMPLATE_YEAR": "模板年度不符",
    "READ_WRONG_SUFFIX": "扩展名与内容不符",
    # the text importer
    "IMPORT_BAD_AMOUNT": "金额不是数字",
    "IMPORT_CATALOG_CHOSEN": "所用指标目录",
    "IMPORT_CUT_ROW": "文本在指标行中截断",
    "IMPORT_GRID_EMPTY": "没有读到指标行",
    "IMPORT_LEVEL_UNKNOWN": "指标层级不明",
    "IMPORT_NO_TITLE": "缺少表头标题",
    "IMPORT_SKIPPED_LINE": "未导入的行",
    "IMPORT_STRAY_CELLS": "无法归属的内容",
    "IMPORT_UNPAIRED_CELLS": "无法配对的单元格",
    "IMPORT_UNSPLIT_ROW": "无法拆分的行",
}

# A code nobody named yet (a new reader or batch check) is shown by its family.
FAMILY_NAMES = {
    "HEADER": "表头问题", "FUNDS": "项目资金问题", "TREE": "指标体系问题", "VALUE": "指标值问题",
    "COST": "成本指标问题", "PERCENT": "比率问题", "SATISFACTION": "满意度问题", "YEAR": "年度问题",
    "GOAL": "年度目标问题", "TEXT": "文字瑕疵", "SELF": "绩效自评问题", "FILE": "文件问题",
    "READ": "读取问题", "BATCH": "汇总问题", "CATALOG": "指标目录问题", "IMPORT": "导入问题",
}  # fmt: skip


def rule_name(code: str | None) -> str:
    """`FUNDS_SUM` → 资金不平衡; an unnamed code → its family's name (READ_X → 读取问题); else 其他问题."""
    code = (code or "").strip()
    if not code:
        return ""
    return SHORT_NAMES.get(code) or FAMILY_NAMES.get(code.split("_", 1)[0], "其他问题")
