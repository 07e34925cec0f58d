"""Header rules: the fields above the indicator grid (项目名称, 实施单位, 项目属性, funds, 年度目标)."""

from __future__ import annotations

from collections.abc import Iterator

from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import FIELD_LABELS, ProjectTarget
from lubudget_xl.rules._registry import RuleContext, rule

# The form of the seed's year, used when a catalogue does not describe its form.
DEFAULT_HEADER_FIELDS = ("name", "unit", "attribute", "funds.total", "funds.fiscal", "goal")
# 其他资金 is often left blank when a project has none: blank there means 0, not "missing".
OPTIONAL_WHEN_BLANK = ("funds.other",)


def _header_value(project: ProjectTarget, key: str) -> object:
    if key.startswith("funds."):
        return getattr(project.funds, key.split(".", 1)[1])
    return getattr(project, key, None)


def _required_fields(ctx: RuleContext) -> tuple[str, ...]:
    form = (ctx.catalog.data.get("form") if ctx.catalog is not None else None) or {}
    fields = form.get("header_fields") or DEFAULT_HEADER_FIELDS
    return tuple(f for f in fields if f in FIELD_LABELS and f not in OPTIONAL_WHEN_BLANK)


@rule("HEADER_MISSING", Severity.ERROR)
def header_missing(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    表头必填项(项目名称、实施单位、项目属性、年度资金总额、财政拨款、年度目标;表式含主管部门、项目期时也包括它们)不得为空。
    字段清单取自指标目录的表式(form.header_fields)。
    为什么:
    财预〔2015〕88号要求绩效目标要素完整(完整性);缺项的表会被财政部门退回。
    错误示例:
    项目名称"市长热线工作经费",实施单位留空。
    正确示例:
    实施单位填"六安市人民政府办公室本级"。
    """
    for key in ctx.once(_required_fields):
        value = _header_value(project, key)
        if value is None or (isinstance(value, str) and not value.strip()):
            label = FIELD_LABELS[key]
            yield ctx.issue(
                f"表头缺少{label}:该栏为空,应填写{label}。",
                project.location(key),
                {"field": key, "label": label, "found": None, "expected": "非空"},
            )


@rule("HEADER_ATTRIBUTE", Severity.WARNING)
def header_attribute(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    项目属性应为指标目录所列的取值之一(如 经常性项目、一次性项目)。
    为什么:
    项目属性决定下一年度是否结转(经常性项目逐年延续);自由填写的属性无法汇总和结转。
    错误示例:
    项目属性填"常年项目"。
    正确示例:
    项目属性填"经常性项目"。
    """
    allowed = list(ctx.catalog.data.get("attributes", [])) if ctx.catalog is not None else []
    value = (project.attribute or "").strip()
    if not allowed or not value:
        return
    compact = "".join(value.split())
    if compact in allowed:
        return
    near = next((a for a in allowed if a.startswith(compact) or compact.startswith(a[:3])), None)
    yield ctx.issue(
        f"项目属性“{value}”不在目录所列取值中,应为:{'、'.join(allowed)}。",
        project.location("attribute"),
        {"found": value, "expected": allowed},
        fix=near,
    )
