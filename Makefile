# Every target bootstraps .venv on a fresh machine (Python >= 3.11 as python3).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint templates addin bench clean mutate bundle screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/lubudget demo --out build/demo

test: $(STAMP)
	$(PY) -m pytest -q

# Built templates are committed; a test fails when one differs from a fresh build. Build them in
# this .venv: openpyxl writes other (equally valid) bytes when lxml (a dev dependency) is installed.
templates: $(STAMP)
	$(VENV)/bin/lubudget template all --dir workbook_templates

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf build .pytest_cache .ruff_cache

# The Excel add-in, rebuilt from macros/ and the installed xlwings' VBA (never a committed binary).
addin: $(STAMP)
	$(PY) -m lubudget_xl addin build -o build/lubudget.xlam

bench: $(STAMP)
	$(PY) benchmarks/check.py

# Mutation testing of the core, one module at a time with its own tests (docs/mutation.md); slow, not in CI.
# `make mutate MODULES="values rules"` runs some of them.
mutate: $(STAMP)
	$(PY) tools/mutate.py $(MODULES)

# Offline install bundle for Windows intranet PCs (needs the package index; see README "Installing").
bundle: $(STAMP)
	rm -rf build/bundle-win_amd64
	$(VENV)/bin/lubudget bundle -o build/bundle-win_amd64 --platform win_amd64 --python 3.11

# The user guide's pictures (docs/img/*.png), rendered from real outputs through LibreOffice and poppler.
screenshots: $(STAMP)
	$(PY) tools/screenshots.py --out docs/img
