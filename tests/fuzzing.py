"""A seeded mutation corpus of workbooks and the outcome of checking each mutant (issue 13).

Seeds: the official form written by openpyxl as .xlsx (inline strings) and with a shared-string
table, and the same form saved by LibreOffice as .xls and .ods (tests/fixtures/issue13_seed.*).
Mutators: byte flips, truncation, zip-structure changes (sizes, offsets, flags, methods, counts,
duplicated and dropped entries), XML changes inside a part (spans cut, copied, numbers and
quotes changed, tags inserted) and targeted ones for each class the issue names (far cells
however written, shared-string counts, encryption flag, methods, bombs, a year of inf, repeated
cells in .ods, BIFF record lengths in .xls). The same seed number gives the same mutants.

Each mutant is checked as `lubudget check` does (checking._check_in_worker in an isolated
worker); outcomes are classified: read, refused (Chinese), english (a refusal or finding holding
a library's English), died (abort or signal), hang, memory, internal (a traceback of ours).
"""

from __future__ import annotations

import random
import re
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from zipcraft import Entry, deflate, write_zip, zeros_bomb

FIXTURES = Path(__file__).resolve().parent / "fixtures"
OUTCOMES = ("read", "refused", "english", "died", "hang", "memory", "internal")
_ALLOWED = {"excel", "xlsx", "xls", "xlsm", "ods", "xml", "zip", "wps", "mb", "kb", "xfd", "json", "csv", "txt",
            "html", "pdf", "docx", "doc", "lubudget", "xlam", "et"}


def english(message: str, path: str) -> list[str]:
    """Latin words of three letters or more, other than the path, part names and format names."""
    text = re.sub(r"“[^”]*”", "", message.replace(path, ""))  # quoted: the file's own text or part names
    text = re.sub(r"[\w./\[\]\-]*\.[A-Za-z]{2,4}\b", "", text)  # file and part names
    text = re.sub(r"[A-Za-z0-9]+(?:-[A-Za-z0-9.]+)+|[A-Za-z]+[0-9]+", "", text)  # identifiers, cell addresses
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w.lower() not in _ALLOWED]


# --- seeds --------------------------------------------------------------------------------------


def write_seeds(folder: Path) -> dict[str, bytes]:
    """name → bytes of each seed workbook."""
    import openpyxl
    from reader_forms import PROJECT, Shape, write_form

    folder.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    write_form(wb.active, PROJECT, Shape(check_area=True))
    wb.active.title = "项目一"
    wb.active["H30"] = "=1+1"
    wb.active["C40"], wb.active["C40"].number_format = 0.95, "0%"
    wb.save(folder / "seed.xlsx")
    entries = _entries((folder / "seed.xlsx").read_bytes())  # rewritten without dates: the same every run
    for e in entries:
        if e.name == "docProps/core.xml":
            _set(e, re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2021-01-01T00:00:00Z", _plain(e)))
    seeds = {"xlsx": _zip_bytes(entries)}
    seeds["xlsx-sst"] = _with_shared_strings(seeds["xlsx"])
    seeds["xls"] = (FIXTURES / "issue13_seed.xls").read_bytes()
    seeds["ods"] = (FIXTURES / "issue13_seed.ods").read_bytes()
    return seeds


def _entries(data: bytes) -> list[Entry]:
    import io

    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            raw = zf.read(info)
            method = info.compress_type
            packed = raw if method == zipfile.ZIP_STORED else deflate(raw)
            out.append(Entry(info.filename, packed, method=method, crc=zlib.crc32(raw), size=len(raw)))
    return out


def _plain(entry: Entry) -> bytes:
    return entry.packed if entry.method == zipfile.ZIP_STORED else zlib.decompress(entry.packed, -15)


def _set(entry: Entry, data: bytes) -> None:
    entry.packed = data if entry.method == zipfile.ZIP_STORED else deflate(data)
    entry.crc, entry.size = zlib.crc32(data), len(data)


def _zip_bytes(entries: list[Entry]) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return write_zip(Path(tmp) / "x.zip", entries).read_bytes()


def _with_shared_strings(xlsx: bytes) -> bytes:
    """The form with its inline strings moved into a shared-string table (as Excel writes them)."""
    entries = _entries(xlsx)
    strings: list[bytes] = []

    def shared(match: re.Match[bytes]) -> bytes:
        strings.append(match[2])
        return match[1] + b' t="s"><v>' + str(len(strings) - 1).encode() + b"</v></c>"

    for e in entries:
        if e.name.startswith("xl/worksheets/sheet"):
            _set(e, re.sub(rb'(<c r="[A-Z]+\d+"(?: s="\d+")?) t="inlineStr"><is><t[^>]*>([^<]*)</t></is></c>', shared,
                           _plain(e)))
        elif e.name == "xl/_rels/workbook.xml.rels":
            _set(e, _plain(e).replace(b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.'
                                      b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                                      b'Target="sharedStrings.xml"/></Relationships>'))
    sst = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
           % (len(strings), len(strings)) + b"".join(b"<si><t>" + s + b"</t></si>" for s in strings) + b"</sst>")
    entries.append(Entry("xl/sharedStrings.xml", deflate(sst), crc=zlib.crc32(sst), size=len(sst)))
    return _zip_bytes(entries)


# --- mutators -----------------------------------------------------------------------------------

Mutator = Callable[[random.Random, bytes], bytes]


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 2, 4, 8, 16))):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data))]


def zip_structure(rng: random.Random, data: bytes) -> bytes:
    """Change one field of a local header, a central-directory record or the end record."""
    out = bytearray(data)
    heads = [m.start() for m in re.finditer(rb"PK\x03\x04|PK\x01\x02|PK\x05\x06", data)]
    if not heads:
        return flip_bytes(rng, data)
    at = rng.choice(heads)
    kind = data[at + 2 : at + 4]
    fields = {b"\x03\x04": [(6, "H"), (8, "H"), (18, "I"), (22, "I"), (26, "H"), (28, "H")],
              b"\x01\x02": [(8, "H"), (10, "H"), (20, "I"), (24, "I"), (28, "H"), (42, "I")],
              b"\x05\x06": [(4, "H"), (8, "H"), (10, "H"), (12, "I"), (16, "I")]}[kind]
    offset, fmt = rng.choice(fields)
    if at + offset + struct.calcsize(fmt) > len(out):
        return truncate(rng, data)
    top = 0xFFFF if fmt == "H" else 0xFFFFFFFF
    value = rng.choice((0, 1, 8, 9, 12, 14, 99, top, rng.randrange(top + 1)))
    struct.pack_into("<" + fmt, out, at + offset, value)
    return bytes(out)


def zip_entries(rng: random.Random, data: bytes) -> bytes:
    """Drop, duplicate or reorder entries, or lie about one entry's size or method."""
    entries = _entries(data)
    choice = rng.randrange(5)
    if choice == 0 and len(entries) > 1:
        entries.pop(rng.randrange(len(entries)))
    elif choice == 1:
        entries.append(rng.choice(entries))
    elif choice == 2:
        rng.shuffle(entries)
    elif choice == 3:
        rng.choice(entries).size = rng.choice((0, 1, 100, 2**31, 2**32 - 1))
    else:
        rng.choice(entries).method = rng.choice((1, 9, 12, 14, 95, 99))
    return _zip_bytes(entries)


_NUMBER = re.compile(rb"\d+")


def xml_part(rng: random.Random, data: bytes) -> bytes:
    """Change the XML of one part: cut or copy a span, change a number or a quote, insert a tag."""
    entries = _entries(data)
    xmls = [e for e in entries if e.name.endswith((".xml", ".rels"))]
    entry = rng.choice(xmls)
    text = bytearray(_plain(entry))
    if not text:
        return data
    a = rng.randrange(len(text))
    b = min(len(text), a + rng.choice((1, 5, 40, 400)))
    choice = rng.randrange(6)
    if choice == 0:
        del text[a:b]
    elif choice == 1:
        text[a:a] = text[a:b]
    elif choice == 2:
        numbers = list(_NUMBER.finditer(text))
        if numbers:
            m = rng.choice(numbers)
            text[m.start() : m.end()] = str(rng.choice((0, 1, 9, 16385, 1048577, 2**31, 2**32, 10**12, 10**30,
                                                        rng.randrange(10**7)))).encode()
    elif choice == 3:
        quotes = [i for i, c in enumerate(text) if c == 0x22]
        if quotes:
            text[rng.choice(quotes)] = rng.choice(b"'<> ")
    elif choice == 4:
        tag = rng.choice((b"<c r=\"A1\">", b"</row>", b"<row>", b"<![CDATA[", b"&amp", b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
                          b"<v>1e999</v>", b"<f>SUM(A1:XFD1048576)</f>", b"\xff\xfe", b"<c/>" * 50))
        text[a:a] = tag
    else:
        text[a:b] = bytes(rng.randrange(256) for _ in range(b - a))
    _set(entry, bytes(text))
    return _zip_bytes(entries)


def _sheet_change(data: bytes, change: Callable[[bytes], bytes]) -> bytes:
    entries = _entries(data)
    for e in entries:
        if e.name == "xl/worksheets/sheet1.xml":
            _set(e, change(_plain(e)))
    return _zip_bytes(entries)


_BOMB_MB = [64, 1100]  # inflated sizes of the bombs (write_mutants lowers them for the fast subset)
_FAR = (b'<c r="XFD1048576" t="inlineStr">', b"<c r='XFD1048576' t='inlineStr'>", b'<c t="inlineStr" r="XFD1048576">',
        b'<c r="xfd1048576" t="inlineStr">', b'<c r="ZZZZZZZZ9" t="inlineStr">', b'<c t="inlineStr" r = "AAA99999">',
        b'<x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="XFD1048576" t="inlineStr">',
        b'<c r="A99999999999999999999" t="inlineStr">', b'<c r="B900000" t="inlineStr">', b'<c t="inlineStr">')


def targeted(rng: random.Random, data: bytes) -> bytes:
    """The classes issue 13 names, with random details."""
    choice = rng.randrange(7)
    if choice == 0:  # far cell however written, before or after the others
        cell = rng.choice(_FAR) + b"<is><t>x</t></is></c>"
        row = b'<row r="%d">' % rng.choice((1, 40, 1048576)) + cell + b"</row>"
        first = rng.random() < 0.5
        return _sheet_change(data, lambda d: d.replace(b"<sheetData>", b"<sheetData>" + row, 1) if first
                             else d.replace(b"</sheetData>", row + b"</sheetData>", 1))
    if choice == 1:  # a shared-string count that no table has
        entries = _entries(data)
        count = rng.choice((10**6, 4 * 10**9, 2**64, 10**30))
        sst = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="%d"><si><t>x</t></si></sst>' % count
        entries = [e for e in entries if e.name != "xl/sharedStrings.xml"]
        entries.append(Entry("xl/sharedStrings.xml", deflate(sst), crc=zlib.crc32(sst), size=len(sst)))
        return _zip_bytes(entries)
    if choice == 2:  # the encryption flag on one entry
        entries = _entries(data)
        rng.choice(entries).flags |= 1
        return _zip_bytes(entries)
    if choice == 3:  # a bomb that under-declares its size, as a sheet or as an extra part
        entries = _entries(data)
        size = rng.choice(_BOMB_MB)
        target = rng.choice([e for e in entries if e.name.endswith(".xml")] + [None])
        if target is None:
            entries.append(Entry("xl/media/x.bin", zeros_bomb(size), crc=0, size=rng.choice((1, 100))))
        else:
            target.packed = zeros_bomb(size)
        return _zip_bytes(entries)
    if choice == 4:  # a numeric custom property out of range
        entries = [e for e in _entries(data) if e.name != "docProps/custom.xml"]
        value = rng.choice((b"<vt:r8>INF</vt:r8>", b"<vt:r8>NaN</vt:r8>", b"<vt:i4>99999999999999999999999</vt:i4>",
                            b"<vt:r8>-1e308</vt:r8>", b"<vt:lpwstr>1e999</vt:lpwstr>"))
        custom = (b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
                  b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
                  b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="LubudgetTemplateId">'
                  b'<vt:lpwstr>lubudget-pt</vt:lpwstr></property><property fmtid="{D5CDD505-2E9C-101B-9397-'
                  b'08002B2CF9AE}" pid="3" name="LubudgetYear">' + value + b"</property></Properties>")
        entries.append(Entry("docProps/custom.xml", deflate(custom), crc=zlib.crc32(custom), size=len(custom)))
        return _zip_bytes(entries)
    if choice == 5:  # numbers no cell holds
        value = rng.choice((b"1e999", b"-1e999", b"nan", b"1e308", b"99999999999999999999999", b"-0"))
        return _sheet_change(data, lambda d: re.sub(rb"(<c r=\"C1[0-2]\"[^>]*?)(?: t=\"\w+\")?>.*?</c>",
                                                    lambda m: m[1] + b"><v>" + value + b"</v></c>", d, count=2))
    entries = _entries(data)  # a compression method no spreadsheet program writes
    rng.choice(entries).method = rng.choice((12, 14, 99))
    return _zip_bytes(entries)


def ods_targeted(rng: random.Random, data: bytes) -> bytes:
    """Repeated rows and columns (an .ods stores a blank sheet as one cell repeated), and bad values."""
    entries = _entries(data)
    content = next(e for e in entries if e.name == "content.xml")
    text = _plain(content)
    attribute = rng.choice((b"table:number-columns-repeated", b"table:number-rows-repeated",
                            b"table:number-columns-spanned", b"office:value"))
    value = str(rng.choice((16384, 1048576, 2**31, 2**32 + 1, 10**12))).encode()
    found = list(re.finditer(attribute + rb'="[^"]*"', text))
    if found:
        m = rng.choice(found)
        text = text[: m.start()] + attribute + b'="' + value + b'"' + text[m.end() :]
    else:
        text = text.replace(b"<table:table-cell", b"<table:table-cell " + attribute + b'="' + value + b'"', 1)
    _set(content, text)
    return _zip_bytes(entries)


def biff_records(rng: random.Random, data: bytes) -> bytes:
    """Change the length or a field of a BIFF record in the .xls workbook stream."""
    out = bytearray(data)
    for _ in range(rng.choice((1, 2, 4))):
        at = rng.randrange(512, len(out) - 4)
        struct.pack_into("<H", out, at, rng.choice((0, 1, 0x7FFF, 0xFFFF, rng.randrange(0x10000))))
    return bytes(out)


MUTATORS: dict[str, dict[str, Mutator]] = {
    "xlsx": {"flip": flip_bytes, "truncate": truncate, "zip": zip_structure, "entries": zip_entries,
             "xml": xml_part, "targeted": targeted},
    "xls": {"flip": flip_bytes, "truncate": truncate, "biff": biff_records},
    "ods": {"flip": flip_bytes, "truncate": truncate, "zip": zip_structure, "entries": zip_entries,
            "xml": xml_part, "targeted": ods_targeted},
}
MUTATORS["xlsx-sst"] = MUTATORS["xlsx"]
SUFFIX = {"xlsx": ".xlsx", "xlsx-sst": ".xlsx", "xls": ".xls", "ods": ".ods"}


@dataclass
class Mutant:
    path: Path
    seed: str
    mutator: str


def write_mutants(folder: Path, count: int, seed: int = 13, heavy: bool = True) -> list[Mutant]:
    """`count` mutants in `folder`, the same for the same `seed`. `heavy` False leaves out the
    gigabyte bombs (the fast subset in `make test`)."""
    _BOMB_MB[:] = [64, 1100] if heavy else [8]
    seeds = write_seeds(folder / "seeds")
    rng = random.Random(seed)
    mutants = []
    names = sorted(seeds)
    for i in range(count):
        kind = names[i % len(names)]
        name = rng.choice(sorted(MUTATORS[kind]))
        state = random.Random(rng.getrandbits(64))
        data = seeds[kind]
        try:
            data = MUTATORS[kind][name](state, data)
        except (zipfile.BadZipFile, zlib.error, ValueError, IndexError, StopIteration):
            data = flip_bytes(state, data)
        path = folder / f"{i:05d}-{kind}-{name}{SUFFIX[kind]}"
        path.write_bytes(data)
        mutants.append(Mutant(path, kind, name))
    return mutants


# --- running ------------------------------------------------------------------------------------


def check_mutants(mutants: list[Mutant], jobs: int = 2, seconds: float = 300.0, memory: int = 3 * 2**30,
                  log: str | None = None) -> tuple[Counter, dict[str, list[tuple[Mutant, str]]]]:
    """Check every mutant as `lubudget check` does; the outcome counts and examples per outcome."""
    from lubudget_xl.checking import FileOutcome
    from lubudget_xl.isolation import Failure, Task, run_isolated

    task = Task("lubudget_xl.checking", "_check_in_worker", "_init_check_worker", (None,))
    counts: Counter = Counter()
    examples: dict[str, list[tuple[Mutant, str]]] = {}
    tracebacks: list[str] = []
    paths = [str(m.path) for m in mutants]
    for index, answer in run_isolated(task, paths, jobs=jobs, seconds=seconds, memory=memory, log_path=log,
                                      on_internal=tracebacks.append):
        mutant = mutants[index]
        outcome, detail = classify(answer, paths[index], Failure, FileOutcome)
        counts[outcome] += 1
        examples.setdefault(outcome, []).append((mutant, detail if outcome != "internal" else tracebacks[-1]))
    return counts, examples


def classify(answer, path: str, failure_type, outcome_type) -> tuple[str, str]:
    if isinstance(answer, failure_type):
        if answer.internal:
            return "internal", answer.reason
        if "超时" in answer.reason:
            return "hang", answer.reason
        if "内存" in answer.reason:
            return "memory", answer.reason
        return "died", answer.reason
    assert isinstance(answer, outcome_type)
    for issue in answer.issues:
        words = english(issue.message, path)
        if words:
            return "english", f"{issue.code}: {issue.message}"
    if answer.status == "unreadable":
        return "refused", answer.issues[0].message
    return "read", answer.status


def table(counts: Counter, total: int) -> str:
    lines = ["结果      个数    占比", "-" * 24]
    for outcome in OUTCOMES:
        lines.append(f"{outcome:<9} {counts[outcome]:>6}  {counts[outcome] / max(total, 1):>6.1%}")
    lines.append(f"{'total':<9} {total:>6}")
    return "\n".join(lines)
