"""Realistic batches of department submissions, for the demo, the benchmark and the tests.

A finance bureau's inbox: many departments, several project tables each, values that vary, and
the usual accidents — a broken file, a file mailed twice, a project resubmitted in a second file,
last year's book. `department_projects` builds records in memory; `write_records_batch` writes
one records-JSON file per department (the form every reader produces).
"""

from __future__ import annotations

import json
import random
import re
import zipfile
from pathlib import Path

from lubudget_xl.model import SCHEMA_VERSION, Funds, Indicator, Location, ProjectTarget
from lubudget_xl.values import parse_value

DEPARTMENTS = (
    "六安市人民政府办公室", "六安市教育局", "六安市财政局", "六安市卫生健康委员会", "六安市民政局",
    "六安市交通运输局", "六安市农业农村局", "六安市生态环境局", "六安市文化和旅游局", "六安市应急管理局",
    "六安市自然资源和规划局", "六安市住房和城乡建设局", "六安市水利局", "六安市人力资源和社会保障局",
    "六安市市场监督管理局", "六安市司法局", "六安市林业局", "六安市退役军人事务局", "六安市医疗保障局",
    "六安市数据资源管理局",
)  # fmt: skip
# Past the city bureaus: the same bureaus of the counties and districts (金安区教育局 …).
COUNTIES = ("金安区", "裕安区", "叶集区", "霍邱县", "舒城县", "金寨县", "霍山县")
# Per-file scale of every number: distinct neighbours, so no two departments show the same funds.
FACTORS = (0.55, 1.3, 0.8, 1.75, 0.65, 1.1, 2.2, 0.9, 1.45, 0.7, 1.2, 1.6, 0.6, 1.9, 0.85, 1.05)


def department_name(i: int) -> str:
    """The i-th department of a batch: city bureaus first, then county ones; always real-looking."""
    if i < len(DEPARTMENTS):
        return DEPARTMENTS[i]
    i -= len(DEPARTMENTS)
    stem = DEPARTMENTS[1 + i % (len(DEPARTMENTS) - 1)].removeprefix("六安市")
    county, round_ = COUNTIES[(i // (len(DEPARTMENTS) - 1)) % len(COUNTIES)], i // ((len(DEPARTMENTS) - 1) * len(COUNTIES))
    return f"{county}{stem}" + (f"(第{round_ + 1}组)" if round_ else "")
PROJECTS = (
    "市长热线工作经费", "政务信息化运维经费", "机关事务保障经费", "困难群众救助资金", "农村公路养护补助",
    "中小学校舍维修改造", "公共卫生服务补助", "秸秆综合利用补助", "文化惠民演出经费", "应急物资储备经费",
    "档案数字化加工", "法律顾问服务经费",
)  # fmt: skip
# (level1, level2, level3, value template)
INDICATORS = (
    ("产出指标", "数量指标", "受理留言件次", "≥{n}件次"),
    ("产出指标", "数量指标", "培训人次", "≥{n}人次"),
    ("产出指标", "质量指标", "办理合格率", "≥{p}%"),
    ("产出指标", "质量指标", "验收合格率", "＝100%"),
    ("产出指标", "时效指标", "完成时间", "{y}年12月底前"),
    ("产出指标", "成本指标", "项目总成本", "≤{m}万元"),
    ("效益指标", "社会效益指标", "便民服务水平", "明显提升"),
    ("效益指标", "经济效益指标", "节约行政成本", "≥{m}万元"),
    ("效益指标", "生态效益指标", "环境质量改善", "有所改善"),
    ("效益指标", "可持续影响指标", "长效机制建设", "逐步完善"),
    ("满意度指标", "服务对象满意度指标", "群众满意度", "≥{p}%"),
    ("满意度指标", "服务对象满意度指标", "投诉率", "≤{q}%"),
)  # fmt: skip


def department_projects(
    department: str, count: int, year: int = 2021, rng: random.Random | None = None, file: str = ""
) -> list[ProjectTarget]:
    """`count` project tables of one department, as a reader would return them from `file`."""
    rng = rng or random.Random(0)
    names = rng.sample(PROJECTS, k=min(count, len(PROJECTS)))
    names += [f"{PROJECTS[i % len(PROJECTS)]}(二期{i})" for i in range(count - len(names))]
    projects = []
    for sheet_no, name in enumerate(names, start=1):
        sheet = f"项目{sheet_no}"
        fiscal = round(rng.uniform(5, 800), 1)
        other = rng.choice([0.0, 0.0, round(rng.uniform(1, 50), 1)])
        indicators = []
        for row, (l1, l2, l3, template) in enumerate(rng.sample(INDICATORS, k=rng.randint(8, 12)), start=12):
            value = template.format(n=rng.randint(10, 5000), p=rng.choice([85, 90, 95, 98]), y=year,
                                    m=round(rng.uniform(1, 200), 1), q=rng.choice([1, 2, 5]))  # fmt: skip
            at = {k: Location(file, sheet, f"{col}{row}") for k, col in (("level1", "B"), ("level2", "C"),
                                                                        ("level3", "D"), ("value", "E"))}  # fmt: skip
            at["row"] = Location(file, sheet, f"A{row}:E{row}")
            indicators.append(Indicator(l1, l2, l3, value, parse_value(value), locations=at))
        projects.append(
            ProjectTarget(
                year=year, department=department, name=name, unit=f"{department}本级",
                attribute=rng.choice(["经常性项目", "一次性项目"]),
                funds=Funds(total=round(fiscal + other, 1), fiscal=fiscal, other=other),
                goal=f"通过{name}的实施,保障相关工作顺利开展。", indicators=indicators, source_file=file,
                locations={"name": Location(file, sheet, "B4"), "department": Location(file, sheet, "B3"),
                           "funds.total": Location(file, sheet, "D8"), "goal": Location(file, sheet, "B11")},
            )
        )  # fmt: skip
    return projects


def write_records_batch(
    folder: str | Path, files: int, projects_per_file: int = 10, year: int = 2021, seed: int = 0
) -> list[Path]:
    """One records-JSON file per department (`department_name`: distinct names)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    written = []
    for i in range(files):
        department = department_name(i)
        path = folder / f"{i + 1:04d}_{department}.json"
        projects = department_projects(department, projects_per_file, year, rng, str(path))
        # records.dumps would validate against the schema on writing (~0.3 s a file); readers
        # validate anyway, and to_dict's output is schema-valid (tests/test_records.py).
        doc = {"schema_version": SCHEMA_VERSION, "generator": "lubudget_xl samples",
               "projects": [p.to_dict() for p in projects]}  # fmt: skip
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        written.append(path)
    return written


_PLACEHOLDER = "样例部门{k}号"
_NUMBER_CELL = re.compile(r'(<c r="[A-Z]+\d+"[^>]*?t="n"[^>]*>)<v>(-?\d+(?:\.\d+)?)</v>')


def write_workbook_batch(
    folder: str | Path, files: int, projects_per_file: int = 10, year: int = 2021, seed: int = 0, bases: int = 4,
    vary: bool = False,
) -> list[Path]:
    """Filled official-form workbooks, one per department, like a real inbox.

    The template filler (openpyxl) is too slow for thousands of files, so it fills `bases`
    workbooks once; every file is then a copy of one of them with its own department name in
    every text (title, 填报单位, 实施单位) and its numbers scaled by a per-file factor (funds keep
    their sums up to rounding) — the zip is rewritten part by part, which takes milliseconds.
    `vary` gives base k `projects_per_file - k % 3` projects (at least one), so files differ in
    project and row counts too (the demo: a batch that looks like real departments).
    """
    from lubudget_xl.catalog import load_catalog
    from lubudget_xl.template import fill_workbook

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    catalog = load_catalog(str(year))
    base_parts = []
    for k in range(min(bases, files)):
        count = max(1, projects_per_file - k % 3) if vary else projects_per_file
        projects = department_projects(_PLACEHOLDER.format(k=k), count, year, rng)
        path = fill_workbook(projects, catalog, folder / f".base{k}.xlsx")
        with zipfile.ZipFile(path) as z:
            base_parts.append((k, [(info, z.read(info)) for info in z.infolist()], _info_sheet_part(z)))
        path.unlink()
    written = []
    for i in range(files):
        department = department_name(i)
        k, parts, info_part = base_parts[i % len(base_parts)]
        factor = FACTORS[(i + seed) % len(FACTORS)]
        target = folder / f"{i + 1:04d}_{department}.xlsx"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for info, data in parts:
                if info.filename.startswith("xl/worksheets/sheet") and info.filename != info_part:
                    text = rename_in_xml(data.decode("utf-8"), _PLACEHOLDER.format(k=k), department)
                    if factor != 1.0:
                        text = _NUMBER_CELL.sub(lambda m, f=factor: f"{m[1]}<v>{round(float(m[2]) * f, 2):g}</v>", text)
                    data = text.encode("utf-8")
                out.writestr(info, data)
        written.append(target)
    return written


def rename_in_xml(xml: str, old: str, new: str) -> str:
    """`old` replaced by `new` in a part's XML, written as text or, as openpyxl over lxml writes
    non-ASCII text, as character references (`&#26679;…`)."""
    def refs(text: str) -> str:
        return "".join(ch if ord(ch) < 128 else f"&#{ord(ch)};" for ch in text)

    return xml.replace(old, new).replace(refs(old), refs(new))


def _info_sheet_part(z: zipfile.ZipFile) -> str | None:
    """The zip part of the hidden 模板信息 sheet (its year is identity, never varied)."""
    book = z.read("xl/workbook.xml").decode("utf-8")
    rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    match = re.search(r'<sheet [^>]*name="模板信息"[^>]*r:id="(rId\d+)"', book)
    if not match:
        return None
    target = re.search(rf'Id="{match[1]}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{match[1]}"', rels)
    if not target:
        return None
    name = (target[1] or target[2]).lstrip("/")
    return name if name.startswith("xl/") else f"xl/{name}"
