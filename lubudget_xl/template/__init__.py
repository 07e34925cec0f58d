"""The official-form workbook: build the year's template, add project sheets, fill records in.

openpyxl lives here (DESIGN.md §4); the core modules never import this package.
"""

from lubudget_xl.template.builder import (
    add_project_sheet,
    build_template,
    default_catalog_name,
    template_bytes,
    write_builtin_templates,
    write_template,
)
from lubudget_xl.template.filler import fill_workbook
from lubudget_xl.template.identity import read_identity, template_info
from lubudget_xl.template.layout import FormLayout, layout_for
from lubudget_xl.template.names import is_legal_name, name_problem, safe_sheet_name, sheet_name_problem

__all__ = [
    "FormLayout",
    "add_project_sheet",
    "build_template",
    "default_catalog_name",
    "fill_workbook",
    "is_legal_name",
    "layout_for",
    "name_problem",
    "read_identity",
    "safe_sheet_name",
    "sheet_name_problem",
    "template_bytes",
    "template_info",
    "write_builtin_templates",
    "write_template",
]
