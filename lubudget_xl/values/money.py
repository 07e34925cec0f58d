"""Money amounts in 万元, the unit of the form's 项目资金 rows.

Cost indicators are written in 元, 千元, 万元 or 亿元 (`≤1000万元`, `50000元`); the cost rules compare
them with the funds, so everything is converted to 万元 here, once.
"""

from __future__ import annotations

_TO_WANYUAN = {
    "元": 1e-4,
    "千元": 0.1,
    "万元": 1.0,
    "百万元": 100.0,
    "千万元": 1000.0,
    "亿元": 10_000.0,
}
# Bare multipliers (`通信服务费20万`): in a cost row everybody reads them as 万元.
_BARE = {"万": 1.0, "百万": 100.0, "千万": 1000.0, "亿": 10_000.0}


def money_in_wanyuan(number: float | None, unit: str | None, *, bare_multiplier: bool = True) -> float | None:
    """`(50000, "元")` → 5.0; `(1.2, "亿元")` → 12000.0; None when `unit` is not an amount of money.

    A bare multiplier (`20万`, unit `万`) counts as 万元, as it does in the cost rows that call this;
    pass `bare_multiplier=False` where a bare 万 may be a count (`9.7万` copies). `万份`, `次`, `%`
    and an empty unit are never money.
    """
    if number is None or unit is None:
        return None
    unit = "".join(unit.split()).replace("人民币", "")
    factor = _TO_WANYUAN.get(unit)
    if factor is None and bare_multiplier:
        factor = _BARE.get(unit)
    if factor is None:
        return None
    return number * factor
