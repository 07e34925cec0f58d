"""`lubudget demo`: the main job end to end on the built-in sample data (the 2021 Lu'an tables).

Each capability adds one step; a step prints what it did in Chinese and leaves its files in --out.
"""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path

from lubudget_xl.cli._options import add_verb
from lubudget_xl.cli.demo_steps_catalog import step_catalog
from lubudget_xl.cli.demo_steps_check import step_check
from lubudget_xl.cli.demo_steps_consolidate import step_consolidate
from lubudget_xl.cli.demo_steps_excel import excel_step
from lubudget_xl.cli.demo_steps_import import step_import
from lubudget_xl.cli.demo_steps_libreoffice import libreoffice_step
from lubudget_xl.cli.demo_steps_reader import step_read
from lubudget_xl.cli.demo_steps_real import step_real_forms
from lubudget_xl.cli.demo_steps_rollover import step_rollover
from lubudget_xl.cli.demo_steps_selfeval import step_selfeval
from lubudget_xl.cli.demo_steps_template import template_step
from lubudget_xl.cli.demo_steps_yearcycle import step_yearcycle

SAMPLE = "liuan_2021_gov_office_targets.txt"


def sample_path() -> Path:
    return Path(str(resources.files("lubudget_xl.samples").joinpath(SAMPLE)))


def register(sub: argparse._SubParsersAction) -> None:
    p = add_verb(sub, "demo", help="用内置样例数据演示全流程", description="用内置样例(六安市2021年)演示全流程。")
    p.add_argument("--out", default="build/demo", help="输出文件夹(默认 build/demo)")
    p.set_defaults(run=run)


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    context: dict[str, object] = {"out": out, "sample": sample_path()}
    for number, (title, step) in enumerate(STEPS, start=1):
        _say(f"\n== 第{number}步:{title} ==")
        step(context)
    _say(f"\n演示完成,输出在 {out}/")
    return 0


STEPS: list[tuple[str, object]] = [
    ("指标目录", step_catalog),
    ("导入样例文本(六安市人民政府办公室 2021 年)", step_import),
    ("读取其他省份公开的真实表格(湖南衡阳、内蒙古乌海)", step_real_forms),
    ("生成模板并填写", template_step),
    ("读取填好的工作簿(按标签定位每个字段)", step_read),
    ("按审核规则校验,生成批注副本", step_check),
    ("汇总各部门报送的文件", step_consolidate),
    ("Excel 加载项:由文本生成,校验、标注、导出(文件代替 Excel 运行)", excel_step),
    ("同一套宏在 LibreOffice 中运行:校验全部、保存前校验(不经 COM,结果渲染为图片)", libreoffice_step),
    ("把2021年经常性项目结转到2022年模板", step_rollover),
    ("两个年度:2022年报送、汇总、退回,建立2023年目录,结转、再填、再汇总", step_yearcycle),
    ("绩效自评:2021年目标生成自评表,填写、评分、校验、汇总", step_selfeval),
]
