"""The one place the bridge calls the consolidation helper (`lubudget_xl.consolidate`).

汇总文件夹 writes `绩效目标汇总_<time>.xlsx` into the chosen folder; earlier masters there are not read
as inputs. Files are read in this process (jobs=1): RunPython starts Python with `-c`, where worker
processes are the part most likely to go wrong on a reviewer's PC.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from lubudget_xl.errors import UserError

MASTER_PREFIX = "绩效目标汇总_"


def consolidate_to_master(folder: Path, on_progress: Callable[[int, int, str], None]) -> tuple[Path, str]:
    """Returns the master workbook written and a short Chinese summary."""
    try:
        from lubudget_xl.consolidate import consolidate
        from lubudget_xl.consolidate.frames import build_frames
        from lubudget_xl.consolidate.master import write_master
    except ImportError as err:
        raise UserError(f"此安装缺少汇总功能(缺少模块 {err.name or 'lubudget_xl.consolidate'}),请更新 lubudget_xl。") from None
    target = folder / f"{MASTER_PREFIX}{datetime.now():%Y%m%d-%H%M%S}.xlsx"
    earlier = sorted(folder.glob(f"{MASTER_PREFIX}*.xlsx"))
    with consolidate([folder], jobs=1, on_progress=on_progress, exclude=[target, *earlier]) as result:
        if not result.outcomes:
            raise UserError(f"{folder}: 文件夹中没有可汇总的工作簿。")
        write_master(result, build_frames(result), target)
        findings = sum(result.severities().values())
        summary = f"{len(result.outcomes)} 个文件,{result.projects_counted} 个项目,{findings} 个问题"
    return target, summary
