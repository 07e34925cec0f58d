"""The `填报说明` sheet: how to fill the form, add a project, read the check area — in Chinese,
for department staff whose macros are blocked (everything described here works without macros).
"""

from __future__ import annotations

from openpyxl.styles import Alignment
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from lubudget_xl.catalog import Catalog
from lubudget_xl.template.layout import CHECK_AREA_LABEL, FONT, FONT_BOLD, FONT_TITLE, TITLE_SUFFIX

INSTRUCTIONS_SHEET = "填报说明"
WIDTH = 60  # characters (a CJK character takes two); wider columns were cut, not scaled, by LibreOffice


def instruction_lines(catalog: Catalog) -> list[tuple[str, str]]:
    """(kind, text) lines: kind is "title", "head" or "text"."""
    year = catalog.year
    tree = ";".join(f"{n}:{'、'.join(catalog.level2_names(n))}" for n in catalog.level1_names())
    required = "、".join(catalog.settings.get("required_level2", [])) or "(无)"
    tol = catalog.settings.get("fund_tolerance", 0.005)
    return [
        ("title", f"{year}{TITLE_SUFFIX} 填报说明"),
        ("head", "一、怎样填写"),
        ("text", "1. 每个项目填写一张工作表(如“项目1”)。白色带框的单元格可以填写,标签和表头已锁定。"),
        ("text", "2. 在“填报单位(盖章)”右侧填写单位全称,标题会自动显示单位名称。"),
        ("text", "3. 项目资金以万元为单位,只填数字;年度资金总额应等于财政拨款与其他资金之和。"),
        ("text", "4. 绩效指标每行填写一个三级指标:先选一级指标,再选二级指标(下拉列表只列出所选一级指标下的二级指标),"
                 "三级指标可从建议中选择,也可直接输入。每行都要填写一级和二级指标。"),
        ("text", f"5. 本年度指标体系:{tree}。"),
        ("text", f"6. 必须填写的二级指标:{required}。本年度指标值应尽量量化(符号+数字+单位,如 ≥95%)。"),
        ("head", "二、增加项目或指标行"),
        ("text", "1. 增加项目:右键点击工作表标签“项目1” → “移动或复制” → 勾选“建立副本” → 确定,"
                 "再把新工作表改名为项目简称(不超过31个字)。下拉列表、校验和打印设置会一并复制。"),
        ("text", "2. 指标行不够时:选中表格中间的某一整行 → 右键“插入”,新行保留下拉列表和校验;"
                 "多余的空行可以留空,也可以整行删除。"),
        ("text", "3. 工作表保护没有密码(审阅 → 撤销工作表保护),但请不要改动标签文字,汇总程序按标签识别各项内容。"),
        ("head", f"三、{CHECK_AREA_LABEL}"),
        ("text", f"1. 每张项目表右侧的“{CHECK_AREA_LABEL}”用公式自动检查:✔ 表示通过,✘ 表示需要修改;它不会被打印。"),
        ("text", f"2. 检查内容:资金合计(允许误差 {tol} 万元)、必填项、一级指标是否齐全、必需二级指标是否齐全、"
                 "三级指标和指标值是否缺填。"),
        ("text", "3. 黄色单元格表示必填而未填,红色表示金额不平衡或指标层级不匹配。"),
        ("head", "四、不需要宏"),
        ("text", "下拉列表、校验区和颜色提示都不需要启用宏,在 Excel、WPS 中均可使用。"
                 "财政局收到后会用程序再做完整校验并反馈问题清单。"),
        ("text", "隐藏的“下拉列表”“模板信息”工作表供模板使用,请勿修改或删除。"),
    ]


def _lines(text: str) -> int:
    """Printed lines of a paragraph: measured in LibreOffice, a line holds about 1.25 x WIDTH units."""
    units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return -(-units // int(WIDTH * 1.25))


def add_instructions(wb: Workbook, catalog: Catalog) -> Worksheet:
    ws = wb.create_sheet(INSTRUCTIONS_SHEET)
    ws.column_dimensions["A"].width = WIDTH
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, (kind, text) in enumerate(instruction_lines(catalog), start=1):
        cell = ws.cell(row, 1, text)
        cell.font = {"title": FONT_TITLE, "head": FONT_BOLD}.get(kind, FONT)
        cell.alignment = wrap
        ws.row_dimensions[row].height = 30 if kind == "title" else 4 + 16 * _lines(text)
    ws.print_area = f"A1:A{ws.max_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.sheet_view.showGridLines = False
    ws.protection.sheet = True
    return ws
