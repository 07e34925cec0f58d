"""setuptools hook (the rest of the metadata lives in pyproject.toml): put macros/ into the wheel.

macros/ (top level) stays the one place people edit the add-in's VBA and ribbon XML. The build copies
every file in it, whatever its name, into the package as lubudget_xl/addin/macros/, so an installed
wheel builds the same add-in as the source tree (lubudget_xl.addin.package.macros_dir() prefers that
copy and falls back to the checkout's macros/). The sdist carries macros/ (MANIFEST.in), so a wheel
built from the sdist gets the copy too. tests/test_packaging.py fails when the wheel's copy differs.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SOURCE = Path(__file__).resolve().parent / "macros"
TARGET = ("lubudget_xl", "addin", "macros")


class BuildPyWithMacros(build_py):
    def run(self):
        super().run()
        if not SOURCE.is_dir():
            raise SystemExit(f"{SOURCE}: missing (the add-in's VBA sources); the wheel would be incomplete")
        target = Path(self.build_lib, *TARGET)
        for source in sorted(SOURCE.iterdir()):
            if source.is_file() and not source.name.startswith("."):
                self.mkpath(str(target))
                self.copy_file(str(source), str(target / source.name))

    def get_outputs(self, include_bytecode=True):
        target = Path(self.build_lib, *TARGET)
        extra = [str(target / p.name) for p in sorted(SOURCE.glob("*")) if p.is_file() and not p.name.startswith(".")]
        return super().get_outputs(include_bytecode) + extra


setup(cmdclass={"build_py": BuildPyWithMacros})
