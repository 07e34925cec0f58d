"""Our VBA runs: LibreOffice's VBA-compatible Basic executes functions of macros/ from a project we wrote.

LibreOffice cannot compile xlwings' module (Declare PtrSafe and friends), which would take the whole
library down with it, so this project holds our modules only. It proves that the writer's project is
loaded as VBA, that the sources parse, and that the ASCII-only text helpers work: every Chinese
message decodes (Zh) and a folder path with Chinese characters and quotes survives the trip VBA →
hex → Python (HexW, entry.decode_path).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import uuid

import pytest

from lubudget_xl.addin.package import MACROS_DIR, write_package
from lubudget_xl.addin.vbaproject import module_from_source
from lubudget_xl.excel.entry import decode_path

PATH = "D:\\财政局\\2021年 绩效目标\\'单位' & 汇总"

UNO_SCRIPT = r"""
import json, os, subprocess, sys, time, uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value; return p

book, profile, calls = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
pipe = "lubudget_vba_%d" % os.getpid()
office = subprocess.Popen(["soffice", "-env:UserInstallation=" + profile, "--headless", "--invisible",
                           "--norestore", "--accept=pipe,name=%s;urp;" % pipe])
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.5)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(book), "_blank", 0,
                                       (prop("Hidden", True), prop("MacroExecutionMode", 4)))
    provider = doc.getScriptProvider()
    results = []
    for module, func, args in calls:
        script = provider.getScript("vnd.sun.star.script:lubudget.%s.%s?language=Basic&location=document"
                                    % (module, func))
        results.append(script.invoke(tuple(args), (), ())[0])
    doc.close(True)
    print(json.dumps(results))
finally:
    office.terminate()
    office.wait(30)
"""


def _uno_python() -> str | None:
    for candidate in ("/usr/bin/python3", "/usr/lib/libreoffice/program/python"):
        if os.path.exists(candidate):
            probe = subprocess.run([candidate, "-c", "import uno"], capture_output=True)
            if probe.returncode == 0:
                return candidate
    return None


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None or _uno_python() is None, reason="LibreOffice with Python UNO needed")
def test_our_vba_functions_run_in_libreoffice(tmp_path):
    modules = [
        module_from_source(path.read_text(encoding="ascii"), path.name)
        for path in sorted(MACROS_DIR.iterdir())
        if path.suffix in (".bas", ".cls")
    ]
    modules.sort(key=lambda m: (m.kind != "document", m.name != "ThisWorkbook"))
    book = write_package(tmp_path / "ours.xlsm", modules, (MACROS_DIR / "customUI14.xml").read_bytes())
    main = (MACROS_DIR / "LubudgetMain.bas").read_text(encoding="ascii")
    constants = dict(re.findall(r'Const (TXT_\w+) As String = "([0-9A-F ]+)"', main))
    calls = [["LubudgetMain", "Zh", [codes]] for codes in constants.values()]
    calls.append(["LubudgetMain", "HexW", [PATH]])
    script = tmp_path / "run_vba.py"
    script.write_text(UNO_SCRIPT, encoding="utf-8")
    profile = f"file:///tmp/lo-excel-vba-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    done = subprocess.run(
        [_uno_python(), str(script), str(book), profile, json.dumps(calls)], capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    decoded = dict(zip(constants, results[:-1], strict=True))
    assert decoded["TXT_TITLE"] == "绩效目标"
    assert decoded["TXT_SAVE_FAILED"] == "保存前的校验没有完成（可能未安装 Python 或 lubudget_xl）。文件照常保存。"
    for name, codes in constants.items():
        assert decoded[name] == "".join(chr(int(code, 16)) for code in codes.split()), name
    assert decode_path(results[-1]) == PATH
