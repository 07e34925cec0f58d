"""Writes a `vbaProject.bin` from VBA source text, following [MS-OVBA] for writers.

The `_VBA_PROJECT` stream is version 0xFFFF with no performance cache, so the file holds source only
and Office compiles it when the add-in opens (the spec's way for writers; EPPlus does the same).
Streams written: `PROJECT` (text properties), `PROJECTwm` (module names), `VBA/_VBA_PROJECT`,
`VBA/dir` (compressed project information, references and module records) and one compressed
stream per module, inside a compound file (`cfb.write_compound_file`).

Why the code page matters: module source is stored in the project code page. Our VBA sources are
ASCII only (Chinese UI text is built with ChrW at run time), so they read the same under any code
page; the project declares 936 (GBK), the ANSI code page of the Chinese Windows our users run, so
that a maintainer who later adds Chinese comments in the VBA editor gets them saved consistently.
"""

from __future__ import annotations

import re
import struct
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from lubudget_xl.addin.cfb import write_compound_file
from lubudget_xl.addin.ovba import compress, encrypt

CODEPAGE = 936
LCID = 0x0409  # [MS-OVBA] §2.3.4.2.1.3: PROJECTLCID MUST be 0x409

# Type libraries every Office VBA project references; the version "2.0" resolves to the newest
# registered 2.x (Office 2010 ships 2.5, 2016+ 2.8). IRibbonControl lives in the Office library.
REFERENCES = (
    (
        "stdole",
        "*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\\Windows\\System32\\stdole2.tlb#OLE Automation",
    ),
    (
        "Office",
        "*\\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#C:\\Program Files\\Common Files\\Microsoft Shared"
        "\\OFFICE16\\MSO.DLL#Microsoft Office 16.0 Object Library",
    ),
)

CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"
WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
_CLASS_ATTRIBUTES = (  # the order and defaults Office stores for a class module
    ("VB_Base", f'"{CLASS_BASE}"'),
    ("VB_GlobalNameSpace", "False"),
    ("VB_Creatable", "False"),
    ("VB_PredeclaredId", "False"),
    ("VB_Exposed", "False"),
    ("VB_TemplateDerived", "False"),
    ("VB_Customizable", "False"),
)
_ATTRIBUTE = re.compile(r'^Attribute (VB_\w+) = (.*)$')


@dataclass(frozen=True)
class Module:
    """One VBA module as stored: `code` is the stream text, `Attribute VB_Name` line first."""

    name: str
    kind: str  # "module" (.bas), "class" (.cls) or "document" (ThisWorkbook, sheets)
    code: str


def module_from_source(text: str, filename: str) -> Module:
    """Parse an exported `.bas`/`.cls` file into the form Office stores.

    Exported class files start with a `VERSION 1.0 CLASS` / `BEGIN` … `END` block that is not part of
    the stored stream; class modules get Office's standard attribute block. A `.cls` whose `VB_Base`
    is the Workbook or Worksheet interface is a document module.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[0].startswith("VERSION "):
        end = lines.index("END")
        lines = lines[end + 1 :]
    attributes: list[tuple[str, str]] = []
    while lines and (m := _ATTRIBUTE.match(lines[0])):
        attributes.append((m.group(1), m.group(2)))
        lines.pop(0)
    attrs = dict(attributes)
    if "VB_Name" not in attrs:
        raise ValueError(f"{filename}: the first lines must hold Attribute VB_Name")
    name = attrs["VB_Name"].strip('"')
    if filename.lower().endswith(".bas"):
        kind = "module"
        header = [("VB_Name", attrs["VB_Name"])] + [a for a in attributes if a[0] != "VB_Name"]
    else:
        base = attrs.get("VB_Base", "").strip('"')
        kind = "document" if base in (WORKBOOK_BASE, WORKSHEET_BASE) else "class"
        standard = [("VB_Name", attrs["VB_Name"])] + [(k, attrs.get(k, v)) for k, v in _CLASS_ATTRIBUTES]
        known = {k for k, _ in standard}
        header = standard + [a for a in attributes if a[0] not in known]
    body = "\n".join(lines)
    code = "\n".join(f"Attribute {k} = {v}" for k, v in header) + "\n" + body
    code = code.replace("\n", "\r\n")
    if not code.endswith("\r\n"):
        code += "\r\n"
    return Module(name, kind, code)


def _rec(record_id: int, data: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(data)) + data


def _mbcs(text: str) -> bytes:
    return text.encode(f"cp{CODEPAGE}")


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def dir_stream(project_name: str, modules: Sequence[Module]) -> bytes:
    """The decompressed `dir` stream (§2.3.4.2)."""
    out = bytearray()
    # PROJECTINFORMATION
    out += _rec(0x0001, struct.pack("<I", 1))  # SysKind: Win32 (Office recompiles for 64-bit)
    out += _rec(0x0002, struct.pack("<I", LCID))
    out += _rec(0x0014, struct.pack("<I", LCID))  # LcidInvoke
    out += _rec(0x0003, struct.pack("<H", CODEPAGE))
    out += _rec(0x0004, _mbcs(project_name))
    out += _rec(0x0005, b"") + _rec(0x0040, b"")  # DocString, DocStringUnicode
    out += _rec(0x0006, b"") + _rec(0x003D, b"")  # HelpFile1, HelpFile2
    out += _rec(0x0007, struct.pack("<I", 0))  # HelpContext
    out += _rec(0x0008, struct.pack("<I", 0))  # LibFlags
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # PROJECTVERSION: Reserved=4, major 1, minor 0
    out += _rec(0x000C, b"") + _rec(0x003C, b"")  # Constants, ConstantsUnicode
    # PROJECTREFERENCES: name record + REFERENCEREGISTERED (§2.3.4.2.2.5)
    for name, libid in REFERENCES:
        out += _rec(0x0016, _mbcs(name)) + _rec(0x003E, _utf16(name))
        lib = libid.encode("ascii")
        out += _rec(0x000D, struct.pack("<I", len(lib)) + lib + struct.pack("<IH", 0, 0))
    # PROJECTMODULES
    out += _rec(0x000F, struct.pack("<H", len(modules)))
    out += _rec(0x0013, struct.pack("<H", 0xFFFF))  # ProjectCookie
    for module in modules:
        out += _rec(0x0019, _mbcs(module.name)) + _rec(0x0047, _utf16(module.name))
        out += _rec(0x001A, _mbcs(module.name)) + _rec(0x0032, _utf16(module.name))  # stream name
        out += _rec(0x001C, b"") + _rec(0x0048, b"")  # DocString
        out += _rec(0x0031, struct.pack("<I", 0))  # TextOffset: source starts the stream (no p-code)
        out += _rec(0x001E, struct.pack("<I", 0))  # HelpContext
        out += _rec(0x002C, struct.pack("<H", 0xFFFF))  # Cookie
        out += _rec(0x0021 if module.kind == "module" else 0x0022, b"")  # procedural / document+class
        out += _rec(0x002B, b"")  # module terminator
    out += _rec(0x0010, b"")  # dir terminator
    return bytes(out)


def project_id(project_name: str) -> str:
    """A stable project GUID, so rebuilding the same add-in gives the same bytes."""
    return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"lubudget-vba-project:{project_name}")).upper() + "}"


_NOT_PROTECTED = struct.pack("<I", 0)  # CMG: ProjectProtectionState, nothing protected
_NO_PASSWORD = b"\x00"  # DPB: ProjectPassword, none
_VISIBLE = b"\xff"  # GC: ProjectVisibilityState, visible


def project_stream(project_name: str, modules: Sequence[Module]) -> bytes:
    """The `PROJECT` stream (§2.3.1): text properties, not protected, visible."""
    pid = project_id(project_name)
    lines = [f'ID="{pid}"']
    for module in modules:
        if module.kind == "document":
            lines.append(f"Document={module.name}/&H00000000")
        elif module.kind == "class":
            lines.append(f"Class={module.name}")
        else:
            lines.append(f"Module={module.name}")
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{encrypt(_NOT_PROTECTED, pid)}"',
        f'DPB="{encrypt(_NO_PASSWORD, pid)}"',
        f'GC="{encrypt(_VISIBLE, pid)}"',
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
        "[Workspace]",
    ]
    lines += [f"{module.name}=0, 0, 0, 0, C" for module in modules]
    return _mbcs("\r\n".join(lines) + "\r\n")


def projectwm_stream(modules: Sequence[Module]) -> bytes:
    """`PROJECTwm` (§2.3.3): each module name in MBCS and UTF-16, then a terminator."""
    out = bytearray()
    for module in modules:
        out += _mbcs(module.name) + b"\0" + _utf16(module.name) + b"\0\0"
    return bytes(out) + b"\0\0"


def build_vba_project(project_name: str, modules: Sequence[Module]) -> bytes:
    """The bytes of a `vbaProject.bin` holding `modules` (source only, compiled by Office on open)."""
    names = [m.name for m in modules]
    if len({n.upper() for n in names}) != len(names):
        raise ValueError(f"duplicate module names: {names}")
    for module in modules:
        if not module.code.isascii():
            raise ValueError(f"module {module.name} has non-ASCII source; use ChrW for Chinese text")
    streams = {
        "PROJECT": project_stream(project_name, modules),
        "PROJECTwm": projectwm_stream(modules),
        "VBA/_VBA_PROJECT": struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0000),
        "VBA/dir": compress(dir_stream(project_name, modules)),
    }
    for module in modules:
        streams[f"VBA/{module.name}"] = compress(_mbcs(module.code))
    return write_compound_file(streams)
