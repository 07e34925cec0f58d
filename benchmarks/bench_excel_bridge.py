"""What a ribbon click costs on the Python side, and how fast the add-in builds.

Run: python benchmarks/bench_excel_bridge.py
- import time of `lubudget_xl.excel.entry` in a fresh interpreter (RunPython starts Python per click,
  so this is waiting time the filler sees before any work starts);
- check_all / on_save / clear on the seed's 10 projects filled into the 2021 template, through the
  file-backed port (Excel's COM calls come on top; they are not measurable here);
- `build_addin` (MS-OVBA compression, compound file, package).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lubudget_xl.addin import build_addin  # noqa: E402
from lubudget_xl.catalog import load_catalog  # noqa: E402
from lubudget_xl.excel import bridge  # noqa: E402
from lubudget_xl.excel.file_port import FileWorkbookPort  # noqa: E402
from lubudget_xl.template import fill_workbook  # noqa: E402
from lubudget_xl.textimport import import_text  # noqa: E402

SEED = ROOT / "lubudget_xl" / "samples" / "liuan_2021_gov_office_targets.txt"


def best_of(n: int, func) -> float:
    best = float("inf")
    for _ in range(n):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    for modules in ("lubudget_xl.excel.entry", "lubudget_xl.excel.entry, lubudget_xl.reader, lubudget_xl.rules"):
        code = f"import time; t = time.perf_counter(); import {modules}; print(time.perf_counter() - t)"
        imports = [float(subprocess.check_output([sys.executable, "-c", code], cwd=ROOT)) for _ in range(5)]
        print(f"import {modules}: {min(imports) * 1000:.0f} ms (best of 5, fresh interpreter)")
    with tempfile.TemporaryDirectory() as tmp:
        catalog = load_catalog("2021")
        filled = fill_workbook(import_text(SEED, catalog).projects, catalog, Path(tmp) / "filled.xlsx")

        def run(operation) -> None:
            copy = Path(tmp) / "copy.xlsx"
            shutil.copyfile(filled, copy)
            operation(FileWorkbookPort(copy))

        opening = best_of(3, lambda: run(lambda port: None))
        print(f"open the workbook in the file port: {opening * 1000:.0f} ms")
        for name, operation in (("check_all", bridge.check_all), ("on_save", bridge.on_save)):
            print(f"{name} (10 projects, 113 indicator rows): {(best_of(3, lambda op=operation: run(op)) - opening) * 1000:.0f} ms")
        print(f"build_addin: {best_of(3, lambda: build_addin(Path(tmp) / 'lubudget.xlam')) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
