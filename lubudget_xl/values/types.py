"""The parsed form of an 本年度指标值 text.

Kept free of parsing logic so that the record (`model`) can carry a parsed value without pulling in
the parser. Signs are canonical: the five symbols deployed budget systems use (≥ ＞ ＝ ＜ ≤).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SIGNS = ("≥", "＞", "＝", "＜", "≤")
FORWARD_SIGNS = ("≥", "＞", "＝")
REVERSE_SIGNS = ("＜", "≤")

# What a value is, as a reviewer would classify it.
KIND_QUANTITATIVE = "quantitative"  # a number, possibly with sign and unit
KIND_QUALITATIVE = "qualitative"  # wording such as 明显改善
KIND_PLACEHOLDER = "placeholder"  # 预算绩效目标值, *, XX … (not filled)
KIND_EMPTY = "empty"  # nothing at all
KIND_NOT_APPLICABLE = "not_applicable"  # 不适用 / 本项目不适用此指标 / 无
KINDS = (KIND_QUANTITATIVE, KIND_QUALITATIVE, KIND_PLACEHOLDER, KIND_EMPTY, KIND_NOT_APPLICABLE)


@dataclass(frozen=True)
class ValuePart:
    """One quantity inside a value: `图片解读50次` → label 图片解读, number 50, unit 次."""

    number: float
    sign: str | None = None
    unit: str = ""
    label: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "sign": self.sign, "unit": self.unit, "label": self.label}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ValuePart:
        return cls(number=float(d["number"]), sign=d.get("sign"), unit=d.get("unit", ""), label=d.get("label", ""))


@dataclass(frozen=True)
class ParsedValue:
    """sign/number/unit describe the main (first) quantity; `parts` keeps every quantity found."""

    raw: str
    kind: str
    sign: str | None = None
    number: float | None = None
    unit: str = ""
    parts: tuple[ValuePart, ...] = field(default_factory=tuple)
    years: tuple[int, ...] = field(default_factory=tuple)

    @property
    def qualitative(self) -> bool:
        return self.kind == KIND_QUALITATIVE

    @property
    def placeholder(self) -> bool:
        return self.kind == KIND_PLACEHOLDER

    @property
    def quantified(self) -> bool:
        return self.kind == KIND_QUANTITATIVE and self.number is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "raw": self.raw,
            "kind": self.kind,
            "sign": self.sign,
            "number": self.number,
            "unit": self.unit,
            "parts": [p.to_dict() for p in self.parts],
            "years": list(self.years),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ParsedValue:
        number = d.get("number")
        return cls(
            raw=d["raw"],
            kind=d["kind"],
            sign=d.get("sign"),
            number=None if number is None else float(number),
            unit=d.get("unit", ""),
            parts=tuple(ValuePart.from_dict(p) for p in d.get("parts", ())),
            years=tuple(int(y) for y in d.get("years", ())),
        )
