"""The one exception users see: a Chinese message naming file, sheet/line and cell.

Findings about the data are `Issue` values (rules); `UserError` is for input we cannot use at all.
The CLI prints its message and exits 2, without a traceback.
"""


class UserError(Exception):
    """Unusable input or usage. `str(err)` is the complete Chinese message for the user."""
