"""Records JSON: the on-disk form of a list of ProjectTarget, always schema-checked both ways."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lubudget_xl import __version__
from lubudget_xl.errors import UserError
from lubudget_xl.fsutil import write_text_atomic
from lubudget_xl.model import SCHEMA_VERSION, ProjectTarget
from lubudget_xl.schemas import validate


def to_document(projects: list[ProjectTarget]) -> dict[str, Any]:
    doc = {
        "schema_version": SCHEMA_VERSION,
        "generator": f"lubudget_xl {__version__}",
        "projects": [p.to_dict() for p in projects],
    }
    validate("records", doc)
    return doc


def dumps(projects: list[ProjectTarget]) -> str:
    try:
        return json.dumps(to_document(projects), ensure_ascii=False, indent=1, allow_nan=False)
    except ValueError:
        raise UserError("记录中有非数字的金额或数值(NaN/无穷大),无法写成 JSON") from None


def write_records(projects: list[ProjectTarget], path: str | os.PathLike[str]) -> None:
    write_text_atomic(path, dumps(projects) + "\n")


def write_records_stream(projects: Iterable[ProjectTarget], path: str | os.PathLike[str]) -> int:
    """`write_records` one project at a time (byte for byte the same file): a batch's records are
    never all in memory (consolidate --json). Each project is validated as part of a document."""
    from lubudget_xl.fsutil import atomic_path

    head = {"schema_version": SCHEMA_VERSION, "generator": f"lubudget_xl {__version__}"}
    count = 0
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as out:
        out.write("{\n" + "".join(f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},\n" for k, v in head.items()))
        out.write(' "projects": [')
        for project in projects:
            record = project.to_dict()
            validate("records", {**head, "projects": [record]})
            try:
                text = json.dumps(record, ensure_ascii=False, indent=1, allow_nan=False)
            except ValueError:
                raise UserError("记录中有非数字的金额或数值(NaN/无穷大),无法写成 JSON") from None
            out.write(("," if count else "") + "\n" + "\n".join("  " + line for line in text.split("\n")))
            count += 1
        out.write("\n ]\n}\n" if count else "]\n}\n")
    return count


def from_document(doc: Any, where: str = "") -> list[ProjectTarget]:
    validate("records", doc, where)
    return [project_from_dict(p) for p in doc["projects"]]


def project_from_dict(d: dict[str, Any]) -> ProjectTarget:
    """A record dict back to its form: a SelfEvaluation when it carries self-evaluation results."""
    if "selfeval" in d:
        from lubudget_xl.selfeval.model import SelfEvaluation

        return SelfEvaluation.from_dict(d)
    return ProjectTarget.from_dict(d)


def _refuse_constant(name: str) -> Any:
    """Python's json reads NaN/Infinity, which are not JSON and not amounts: refuse them."""
    raise ValueError(name)


def read_records(path: str | os.PathLike[str]) -> list[ProjectTarget]:
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"), parse_constant=_refuse_constant)
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: 不是 UTF-8 编码的 JSON 记录文件(第 {exc.start + 1} 个字节无法解码)") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{path}: 不是有效的 JSON 记录文件(第{exc.lineno}行第{exc.colno}列格式错误)") from None
    except ValueError as exc:
        raise UserError(f"{path}: 记录文件含有非 JSON 数值 {exc}(NaN 或无穷大),不是有效的记录文件") from None
    return from_document(doc, str(path))
