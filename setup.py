"""setuptools hook (the rest of the metadata lives in pyproject.toml): put macros/ into the wheel.

macros/ (top level) stays the one place people edit the add-in's VBA and ribbon XML. The build copies
every file in it, whatever its name, into the package as lubudget_xl/addin/macros/, so an installed
wheel builds the same add-in as the source tree (lubudget_xl.addin.package.macros_dir() prefers that
copy and falls back to the checkout's macros/). The sdist carries macros/ (MANIFEST.in), so a wheel
built from the sdist gets the copy too. tests/test_packaging.py fails when the wheel's copy differs.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SOURCE = Path(__file__).resolve().parent / "macros"
TARGET = ("lubudget_xl", "addin", "macros")


def macros_files() -> list[Path]:
    """Every file under macros/ (sub-folders too), relative to it; hidden files left out."""
    return sorted(
        p.relative_to(SOURCE)
        for p in SOURCE.rglob("*")
        if p.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in p.relative_to(SOURCE).parts)
    )


class BuildPyWithMacros(build_py):
    def run(self):
        super().run()
        if not SOURCE.is_dir():
            raise SystemExit(f"{SOURCE}: missing (the add-in's VBA sources); the wheel would be incomplete")
        target = Path(self.build_lib, *TARGET)
        if target.exists():  # an earlier in-tree build may hold files since removed from macros/
            shutil.rmtree(target)
        for rel in macros_files():
            self.mkpath(str((target / rel).parent))
            self.copy_file(str(SOURCE / rel), str(target / rel))

    def get_outputs(self, include_bytecode=True):
        target = Path(self.build_lib, *TARGET)
        return super().get_outputs(include_bytecode) + [str(target / rel) for rel in macros_files()]


setup(cmdclass={"build_py": BuildPyWithMacros})
