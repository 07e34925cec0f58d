"""Fund figures a rollover copied from last year, recorded in the custom property `LubudgetCarried`.

JSON `{sheet: {"funds.total": 156.0, …}}`, written by `lubudget rollover`. A malformed value is
ignored (the figures are then simply not flagged for confirmation).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

CARRIED_PROPERTY = "LubudgetCarried"


def carried_by_sheet(properties: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    raw = properties.get(CARRIED_PROPERTY)
    if not isinstance(raw, str) or not raw:
        return {}
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        return {}
    if not isinstance(data, dict):
        return {}
    out: dict[str, dict[str, float]] = {}
    for sheet, fields in data.items():
        if isinstance(fields, dict):
            out[str(sheet)] = {
                str(k): float(v) for k, v in fields.items() if isinstance(v, int | float) and not isinstance(v, bool)
            }
    return out
