"""Value rules: each 本年度指标值 filled, quantified where the tree demands it, graded, not a slogan."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Indicator, ProjectTarget
from lubudget_xl.rules._registry import (
    RuleContext,
    compact,
    indicator_label,
    indicator_location,
    rule,
)
from lubudget_xl.values import parse_value
from lubudget_xl.values.types import KIND_QUANTITATIVE, SIGNS

OTHER_QUANTITATIVE_SIGNS = ("定量(其他)", "定量（其他）", "定量(其它)", "定量（其它）")


def _has_number(ind: Indicator) -> bool:
    return ind.parsed.kind == KIND_QUANTITATIVE and (ind.parsed.number is not None or bool(ind.parsed.parts))


@rule("VALUE_EMPTY", Severity.ERROR)
def value_empty(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    每个三级指标都应填写本年度指标值。
    为什么:
    没有指标值的指标无法评价;预算管理一体化系统保存时拒绝空值。
    错误示例:
    产出指标/质量指标/印刷质量合格率 (空)。
    正确示例:
    产出指标/质量指标/印刷质量合格率 ≥98%。
    """
    for row in ctx.rows(project):
        if row.empty:
            yield ctx.issue(
                f"指标值为空:{row.label} 没有填写本年度指标值,应填写目标值。",
                indicator_location(project, row.ind),
                {"found": row.ind.value, "expected": "目标值"},
            )


@rule("VALUE_PLACEHOLDER", Severity.ERROR)
def value_placeholder(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    指标值不得是模板占位文字或符号(预算绩效目标值、预期目标值、达到预期目标值、*、XX、-、/ 等;
    词表为目录设置 placeholder_words)。
    为什么:
    占位文字说明目标没有填写;预算管理一体化系统拒绝 * _ - 之类的占位值(RULES.md"Value forms")。
    错误示例:
    产出指标/质量指标/留言事项办理率 预算绩效目标值。
    正确示例:
    产出指标/质量指标/留言事项办理率 ≥95%。
    """
    for row in ctx.rows(project):
        if row.placeholder:
            ind = row.ind
            yield ctx.issue(
                f"指标值是占位文字“{ind.value.strip()}”:{row.label} 尚未填写真实的目标值。",
                indicator_location(project, ind),
                {"found": ind.value.strip(), "expected": "具体目标值"},
            )


@rule("VALUE_NOT_QUANTIFIED", Severity.ERROR)
def value_not_quantified(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    数量指标、成本指标(目录设置 quantified_level2)的指标值应为定量值:符号 + 数值 + 计量单位。
    为什么:
    财预〔2015〕88号要求绩效目标细化量化;数量和成本无法用文字描述来考核。
    错误示例:
    产出指标/数量指标/市长协会会费 按规定期限缴纳安徽省市长协会会费。
    正确示例:
    产出指标/数量指标/缴纳协会会费 ＝2项。
    """
    quantified = ctx.setting_set("quantified_level2")
    for row in ctx.rows(project):
        ind = row.ind
        if row.level2 not in quantified or _has_number(ind):
            continue
        if not row.filled:
            continue  # VALUE_EMPTY / VALUE_PLACEHOLDER report these; 不适用 is an explicit answer
        yield ctx.issue(
            f"{row.level2}应量化:{row.label} 的指标值“{ind.value.strip()}”没有数值,"
            "应写成 符号+数值+单位(如 ≥450本)。",
            indicator_location(project, ind),
            {"found": ind.value.strip(), "expected": "符号+数值+单位"},
        )


@rule("VALUE_QUANTIFY_SUGGESTED", Severity.WARNING)
def value_quantify_suggested(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    质量指标、时效指标(目录设置 quantify_where_possible_level2)宜量化:写比率、天数或完成时间,而非文字描述。
    为什么:
    财预〔2015〕88号:能量化的尽量量化;"确保正常运转"之类的描述无法考核。
    错误示例:
    产出指标/质量指标/平台正常运行保障 确保市政府电子政务有效正常运转。
    正确示例:
    产出指标/质量指标/平台正常运行率 ≥99%。
    """
    quantifiable = ctx.setting_set("quantify_where_possible_level2")
    for row in ctx.rows(project):
        ind = row.ind
        if row.level2 not in quantifiable or _has_number(ind):
            continue
        if not row.filled or ind.parsed.years:
            continue
        yield ctx.issue(
            f"{row.level2}宜量化:{row.label} 的指标值“{ind.value.strip()}”是文字描述,"
            "建议写成比率、时限或完成时间(如 ≥95%、≤5个工作日、2021年12月底前)。",
            indicator_location(project, ind),
            {"found": ind.value.strip(), "expected": "比率、时限或完成时间"},
        )


@rule("VALUE_UNIT_MISSING", Severity.ERROR)
def value_unit_missing(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    定量指标值应有计量单位(次、人、%、万元……),在指标值中或计量单位栏中;
    指标值中有几个数值时(如 16人176次),每个数值都应有单位。
    为什么:
    预算管理一体化系统要求定量指标填写计量单位;没有单位的数字无法比较和汇总。
    错误示例:
    产出指标/数量指标/接线外包人数 接线外包人数≥24。
    正确示例:
    产出指标/数量指标/接线外包人数 ≥24人。
    """
    for ind in project.indicators:
        if not _has_number(ind) or (ind.unit or "").strip():
            continue  # a unit column covers every part of the value
        # Every part of a multi-part value needs its own unit: in 16人176 the 人 is not 176's.
        quantities = [(p.number, p.unit) for p in ind.parsed.parts] or [(ind.parsed.number, ind.parsed.unit)]
        bare = [number for number, unit in quantities if not unit.strip()]
        if not bare:
            continue
        number = bare[0]
        yield ctx.issue(
            f"缺少计量单位:{indicator_label(ind)} 的指标值“{ind.value.strip()}”中的数值 {number:g} 没有单位,"
            "应注明单位(如 人、次、%)。",
            indicator_location(project, ind, "unit" if "unit" in ind.locations else "value"),
            {"found": ind.value.strip(), "expected": "数值+计量单位"},
        )


@rule("VALUE_SIGN_MISSING", Severity.INFO)
def value_sign_missing(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    数量指标、成本指标的定量值宜写明指标值符号(≥ ＞ ＝ ＜ ≤),说明是下限、上限还是确数。
    (表式有符号栏时由 VALUE_SIGN_REQUIRED 检查。)表式没有符号栏时,缺符号往往是整张表的写法,
    因此每个项目只报一次(位置为第一处,参数列出全部各处);只有指标值是单纯的“数值+单位”时才给出修改建议。
    为什么:
    预算管理一体化系统的指标值由 符号+数值+单位 构成;只写"450本"时,评价时不知道是至少450本还是恰好450本。
    错误示例:
    产出指标/数量指标/发放应急宣传教育书册 450本。
    正确示例:
    产出指标/数量指标/发放应急宣传教育书册 ≥450本。
    """
    if ctx.once(_sign_column):
        return  # the form has a sign column: VALUE_SIGN_REQUIRED asks for it
    quantified = ctx.setting_set("quantified_level2")
    missing = [
        row
        for row in ctx.rows(project)
        if row.level2 in quantified
        and _has_number(row.ind)
        and not (row.ind.sign or row.ind.parsed.sign or any(p.sign for p in row.ind.parsed.parts))
    ]
    if not missing:
        return
    first = missing[0].ind
    # Outputs are floors, costs ceilings: suggest the usual direction, the filler decides.
    usual = "≤" if missing[0].level2 in ctx.setting_set("cost_level2") else "≥"
    suggestion = _with_sign(first.value, usual)
    others = f"等 {len(missing)} 个指标值" if len(missing) > 1 else "的指标值"
    yield ctx.issue(
        f"未写指标值符号:{missing[0].label} 的“{first.value.strip()}”{others}没有说明是下限、上限还是确数,"
        "宜注明 ≥、≤ 或 ＝" + (f"(如 {suggestion})。" if suggestion else "。"),
        indicator_location(project, first, "sign" if "sign" in first.locations else "value"),
        {
            "found": first.value.strip(),
            "expected": "≥ ＞ ＝ ＜ ≤",
            "count": len(missing),
            "indicators": [row.label for row in missing],
        },
        fix=suggestion,
    )


# A bare quantity: an optional short label, one number, an optional unit ("450本", "发放450本", "18万件次").
_BARE_QUANTITY = re.compile(r"^(?P<label>[^\d≥≤＞＜＝<>=,,;;。]{0,12}?)(?P<number>\d+(?:\.\d+)?)(?P<unit>[^\d\s,,;;。、]{0,6})[。.]?$")


def _with_sign(value: str, sign: str) -> str | None:
    """`450本` → `≥450本`, `发放450本` → `发放≥450本`; None for anything that is not a bare quantity
    (a sentence such as "预计2020年受理量为18万件次。" gets no mechanical suggestion)."""
    match = _BARE_QUANTITY.match((value or "").strip())
    if not match or "年" in match.group("unit"):
        return None
    return f"{match.group('label')}{sign}{match.group('number')}{match.group('unit')}"


@rule("VALUE_SLOGAN", Severity.WARNING)
def value_slogan(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    定性指标值应可分级评价,不能只是口号(只有 进一步、提高、提升、明显、有效、确保、保障、促进 等词)。
    词表取自目录设置 vague_words / grade_words。数量、质量、时效、成本指标由量化规则检查,此处不重复。
    为什么:
    财预〔2015〕88号要求定性指标分级分档(如 优/良/中/差),以便评价时判断是否达成。
    错误示例:
    效益指标/社会效益指标/便民服务水平 进一步提高为民服务水平。
    正确示例:
    效益指标/社会效益指标/群众办事平均等待时间 较上年缩短10%;或 便民服务水平 达到良好。
    """
    vague = tuple(ctx.setting("vague_words") or ())
    grades = tuple(ctx.setting("grade_words") or ())
    quantified = ctx.setting_set("quantified_level2")
    quantifiable = ctx.setting_set("quantify_where_possible_level2")
    for row in ctx.rows(project):
        ind = row.ind
        if row.level2 in quantified or row.level2 in quantifiable:
            continue
        if ind.parsed.kind == KIND_QUANTITATIVE or not row.filled:
            continue
        text = ind.value or ""
        found = [w for w in vague if w in text]
        if not found or any(g in text for g in grades):
            continue
        yield ctx.issue(
            f"指标值像口号:{row.label} 的“{text.strip()}”只有“{'、'.join(found)}”之类的表述,"
            "无法评价是否达成;应量化,或写成可分级的结果(优/良/中/差、达成/未达成)。",
            indicator_location(project, ind),
            {"found": text.strip(), "vague_words": found, "expected": "量化值或分级结果"},
        )


@rule("VALUE_EXPLANATION_MISSING", Severity.ERROR)
def value_explanation_missing(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    指标值符号为"定量(其他)"或"不适用"的行,应在指标值说明(备注)中写明原因或口径。
    为什么:
    预算管理一体化系统对 定量(其他) 和 不适用 要求填写指标值说明,否则无法审核。
    错误示例:
    符号 定量(其他),指标值 3批,说明栏空。
    正确示例:
    符号 定量(其他),指标值 3批,说明"按采购批次计"。
    """
    for ind in project.indicators:
        sign = compact(ind.sign)
        if sign not in OTHER_QUANTITATIVE_SIGNS and sign != "不适用":
            continue
        if (ind.note or "").strip():
            continue
        yield ctx.issue(
            f"缺少指标值说明:{indicator_label(ind)} 的符号为“{sign}”,应在说明栏写明原因或口径。",
            indicator_location(project, ind, "note" if "note" in ind.locations else "value"),
            {"found": sign, "expected": "指标值说明"},
        )


def _sign_column(ctx: RuleContext) -> bool:
    """Whether the year's form has a 指标值符号 column (asked via ctx.once: Catalog.form copies)."""
    return bool(ctx.catalog is not None and ctx.catalog.form.get("sign_column"))


@rule("VALUE_SIGN_REQUIRED", Severity.ERROR)
def value_sign_required(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    表式有"指标值符号"栏时(目录 form.sign_column),每行都应填写符号:定量指标填 ≥ ＞ ＝ ＜ ≤,定性指标填"定性"。
    为什么:
    预算管理一体化系统的指标值由 符号+数值+单位 组成,符号栏为必填项;空着的符号栏无法导入系统。
    错误示例:
    符号栏空,指标值 450,单位 本。
    正确示例:
    符号栏 ≥,指标值 450,单位 本;或 符号栏 定性,指标值 达到良好。
    """
    if not ctx.once(_sign_column):
        return
    for row in ctx.rows(project):
        ind = row.ind
        if (ind.sign or "").strip() or not row.filled:
            continue
        suggested = ind.parsed.sign or (None if _has_number(ind) else "定性")
        yield ctx.issue(
            f"未填指标值符号:{row.label} 的符号栏为空,"
            + (f"应填“{suggested}”。" if suggested else "应填 ≥、≤ 或 ＝ 等符号。"),
            indicator_location(project, ind, "sign" if "sign" in ind.locations else "value"),
            {"found": None, "expected": suggested or "≥ ＞ ＝ ＜ ≤"},
            fix=suggested,
        )


@rule("VALUE_SIGN_MISMATCH", Severity.WARNING)
def value_sign_mismatch(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    符号栏与指标值应一致:符号为"定性"的行不应写数值目标,符号为 ≥ ≤ 等的行应写数值。
    为什么:
    符号与值不一致时,系统按符号解读指标值,评价口径就会出错(定性指标无法比较大小,定量指标缺少数值)。
    错误示例:
    符号栏 定性,指标值 ≥95%。
    正确示例:
    符号栏 ≥,指标值 95,单位 %。
    """
    for row in ctx.rows(project):
        ind = row.ind
        sign = compact(ind.sign)
        if not sign or not row.filled:
            continue
        # The parser reads a 定性 row as words: parse the text alone to see whether it holds a target.
        bare = parse_value(ind.value, None, ind.unit) if sign == "定性" else None
        if bare is not None and bare.kind == KIND_QUANTITATIVE and bare.number is not None and bare.unit:
            yield ctx.issue(
                f"符号与指标值不一致:{row.label} 的符号为“定性”,指标值“{ind.value.strip()}”却是定量目标;"
                "应改用 ≥、≤ 或 ＝。",
                indicator_location(project, ind, "sign" if "sign" in ind.locations else "value"),
                {"found": sign, "expected": "≥ ＞ ＝ ＜ ≤"},
                fix=bare.sign,
            )
        elif sign in SIGNS and not _has_number(ind):
            yield ctx.issue(
                f"符号与指标值不一致:{row.label} 的符号为“{sign}”,指标值“{ind.value.strip()}”却没有数值;"
                "应写数值,或把符号改为“定性”。",
                indicator_location(project, ind, "sign" if "sign" in ind.locations else "value"),
                {"found": sign, "expected": "数值或定性"},
                fix="定性",
            )
