"""lubudget_xl: Excel-native toolkit for 项目支出预算绩效目标表 (templates, validation, consolidation, rollover)."""

__version__ = "0.1.0"
__all__ = ["__version__"]
