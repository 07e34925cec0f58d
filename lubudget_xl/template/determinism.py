"""Same input, same bytes: a built template is committed and compared with a fresh build in a test.

openpyxl stamps the save time into docProps/core.xml (modified, and created unless set) and zipfile
stamps every entry with the current time. Both are replaced by one fixed moment here. Entries are
stored uncompressed: deflate output may differ between zlib builds, stored bytes do not, so the
committed templates compare equal on every machine (a template is ~65 KiB this way).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

from openpyxl.workbook.workbook import Workbook

CORE = "docProps/core.xml"
_STAMP = re.compile(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def workbook_bytes(wb: Workbook, moment: datetime) -> bytes:
    """The workbook as .xlsx bytes in which nothing depends on the clock."""
    wb.properties.creator = "lubudget_xl"
    wb.properties.lastModifiedBy = None
    wb.properties.created = moment
    raw = io.BytesIO()
    wb.save(raw)
    return normalize_zip(raw.getvalue(), moment)


def normalize_zip(data: bytes, moment: datetime) -> bytes:
    """Rewrite an .xlsx zip with fixed entry times and fixed core-property dates."""
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    date_time = (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute, moment.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == CORE:
                content = _STAMP.sub(lambda m: f"{m.group(1)}{stamp}{m.group(3)}", content.decode("utf-8")).encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, date_time=date_time)
            fixed.compress_type = zipfile.ZIP_STORED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, content)
    return out.getvalue()
