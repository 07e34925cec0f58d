"""The one place where the rules (`lubudget_xl.rules`) are applied to what a batch reads.

Workers call `check_projects` right after reading a file, so rule checking runs in parallel with
reading. Cross-file findings (the same file or project twice, another year) are not rules about
one table: `across` adds them after all files are read.
"""

from __future__ import annotations

from lubudget_xl.issues import Issue
from lubudget_xl.model import ProjectTarget


def check_projects(projects: list[ProjectTarget], catalog) -> list[Issue]:
    """Every rule finding for the projects of one file (the rules package decides which rules run)."""
    try:
        from lubudget_xl.rules import run_rules
    except ImportError:  # the rules package has not landed yet: reading still works, without findings
        return []
    return list(run_rules(projects, catalog))
