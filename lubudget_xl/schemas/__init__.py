"""JSON Schemas shipped with the package, loaded by name, and a validator that reports in Chinese."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

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
        path = "/".join(str(p) for p in first.absolute_path) or "(根)"
        prefix = f"{where}: " if where else ""
        raise UserError(
            f"{prefix}JSON 不符合 {name} 格式(共 {len(errors)} 处),第一处在 {path}: {first.message}"
        )
