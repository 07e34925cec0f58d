"""JSON Schemas shipped with the package, loaded by name, and validation errors told in Chinese.

Users meet these messages when they hand us a records JSON or a catalogue; jsonschema's own
messages are English, so each kind of error is translated here, with the JSON path.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from lubudget_xl.errors import UserError


@cache
def load_schema(name: str) -> dict[str, Any]:
    """`name` without suffix, e.g. "records" for schemas/records.schema.json."""
    text = resources.files(__package__).joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def validator(name: str) -> Draft202012Validator:
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def validate(name: str, document: Any, where: str = "") -> None:
    """Raise UserError naming the first offending JSON path when `document` breaks schema `name`."""
    errors = sorted(validator(name).iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        path = describe_path(document, first.absolute_path)
        prefix = f"{where}: " if where else ""
        raise UserError(
            f"{prefix}JSON 不符合 {name} 格式(共 {len(errors)} 处),第一处在 {path}:{describe_error(first)}"
        )


def describe_path(data: Any, parts: Iterable[Any]) -> str:
    """`tree[0](产出指标).children[3](成本指标).suggestions[2].unit`; `(根)` for the document itself."""
    text, node = "", data
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("name"), str):
                text += f"({node['name']})"
        else:
            text += f".{part}" if text else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return text or "(根)"


def describe_error(err: ValidationError) -> str:
    """The Chinese reason for one schema error (what was expected, what was found)."""
    v, inst = err.validator, err.instance
    if v == "required":
        missing = [k for k in err.validator_value if not (isinstance(inst, dict) and k in inst)]
        return f"缺少字段 {'、'.join(missing)}"
    if v == "additionalProperties":
        extra = sorted(set(inst) - set(err.schema.get("properties", {}))) if isinstance(inst, dict) else []
        return f"不认识的字段 {'、'.join(extra)}(检查拼写)"
    if v == "type":
        want = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        names = {
            "string": "文本",
            "integer": "整数",
            "number": "数字",
            "boolean": "true/false",
            "array": "列表",
            "object": "对象",
            "null": "null",
        }
        return f"应为{'或'.join(names.get(w, w) for w in want)},实际是 {_short(inst)}"
    if v == "enum":
        return f"{_short(inst)} 不在允许的取值中({'、'.join(map(str, err.validator_value))})"
    if v == "minLength":
        return "不能为空文本"
    if v == "minItems":
        return f"至少要有 {err.validator_value} 项"
    if v == "uniqueItems":
        return "列表中有重复项"
    if v == "pattern":
        return f"{_short(inst)} 格式不对(应匹配 {err.validator_value})"
    if v in ("minimum", "exclusiveMinimum"):
        return f"{_short(inst)} 太小(下限 {err.validator_value})"
    if v == "maximum":
        return f"{_short(inst)} 太大(上限 {err.validator_value})"
    if v == "oneOf":
        return f'{_short(inst)} 的写法不对(应为 {{"level1": …, "level2": …}} 或 null)'
    return f"不符合格式要求({v})"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "…"
