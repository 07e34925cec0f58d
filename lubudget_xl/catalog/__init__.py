"""The year's indicator catalogue and the form's vocabulary: versioned data beside the code that reads it.

- `core`: `Catalog` (tree, aliases, lists, rule settings) and loading built-in or file catalogues;
- `check`: schema and semantic checks of a catalogue (`lubudget catalog validate`);
- `diff`: what changed between two catalogues (`lubudget catalog diff`);
- `data/`: the shipped catalogues, one JSON file per year and revision.
"""

from lubudget_xl.catalog.core import (
    DEFAULT_SETTINGS,
    Catalog,
    builtin_names,
    clean_name,
    find_catalog,
    load_catalog,
    read_catalog_json,
    refuse_if_broken,
)

__all__ = [
    "DEFAULT_SETTINGS",
    "Catalog",
    "builtin_names",
    "clean_name",
    "find_catalog",
    "load_catalog",
    "read_catalog_json",
    "refuse_if_broken",
]
