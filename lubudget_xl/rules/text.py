"""Text rules: artefacts of copying from web pages and PDFs (HTML tags, page numbers, doubled words)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import ProjectTarget
from lubudget_xl.rules._registry import Row, RuleContext, rule, text_place

HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>|&(?:nbsp|lt|gt|amp|quot);")
# A page number left behind by PDF extraction: "95%以上 12", "- 3 -", "第3页", "3/12".
PAGE_NUMBER = re.compile(r"(?:\s+\d{1,3}|\s*-\s*\d{1,3}\s*-|第\s*\d{1,3}\s*页(?:\s*共\s*\d{1,3}\s*页)?|\s+\d{1,3}\s*/\s*\d{1,3})\s*$")
# Two to four Chinese characters written twice in a row (实现实现); ABAB verb doubling is rare in forms.
DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,4})\1")
# Reduplications that are legitimate Chinese (研究研究 is colloquial, never in a form, so not listed).
_CJK = re.compile(r"[\u4e00-\u9fff]")
DOUBLED_OK = ("一个一个", "一次一次", "一年一年")
# The header fields read as free text (a reviewer reads them on the printed form).
HEADER_TEXTS = ("name", "unit", "attribute", "goal")


def _texts(project: ProjectTarget, ctx: RuleContext) -> list[tuple[str, str, Row | None]]:
    """(field, text, row) for every free-text field a reviewer reads: the header's (row None), then
    each row's name and value. Built once per project (ctx.per_project) for the three rules here."""
    texts: list[tuple[str, str, Row | None]] = [(key, getattr(project, key) or "", None) for key in HEADER_TEXTS]
    for row in ctx.rows(project):
        texts.append(("level3", row.ind.level3 or "", row))
        texts.append(("value", row.ind.value or "", row))
    return texts


def _clip(text: str, at: int, width: int = 12) -> str:
    start = max(0, at - width)
    return ("…" if start else "") + text[start : at + width].strip() + ("…" if at + width < len(text) else "")


@rule("TEXT_HTML", Severity.INFO)
def text_html(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    文字中不应夹带网页标记(<p>、</p>、<br>、&nbsp; 等)。
    为什么:
    从网页或系统导出复制时带入的标记会原样印在盖章的纸质表上。
    错误示例:
    年度目标 <p>通过本项目的实施,完成……工作目标。</p>
    正确示例:
    年度目标 通过本项目的实施,完成……工作目标。
    """
    for field, text, row in ctx.per_project(_texts, project):
        if "<" not in text and "&" not in text:
            continue  # no tag or entity can start: skip the regex
        tags = HTML_TAG.findall(text)
        if not tags:
            continue
        location, label = text_place(project, field, row)
        cleaned = re.sub(r"\s{2,}", " ", HTML_TAG.sub("", text)).strip()
        yield ctx.issue(
            f"含网页标记:{label}中有 {'、'.join(dict.fromkeys(tags))},应删除。",
            location,
            {"field": field, "found": sorted(set(tags)), "expected": "纯文字"},
            fix=cleaned,
        )


@rule("TEXT_PAGE_NUMBER", Severity.INFO)
def text_page_number(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    指标值和名称末尾不应粘着页码("95%以上 12"、"- 3 -"、"第3页")。
    为什么:
    从 PDF 复制时页码常被并入相邻单元格,改变了指标值的含义。
    错误示例:
    满意度指标/服务对象满意度指标/服务对象满意度 95%以上 12
    正确示例:
    满意度指标/服务对象满意度指标/服务对象满意度 95%以上
    """
    for field, text, row in ctx.per_project(_texts, project):
        if field == "goal":
            continue
        end = text.rstrip()[-1:]
        if not (end.isdecimal() or end in ("-", "页")):
            continue  # a page number ends in a digit (\d is isdecimal), "-" or 页: skip the regex
        match = PAGE_NUMBER.search(text.rstrip())
        before = text[: match.start()].rstrip() if match else ""
        # Only after words or a finished value ("95%以上 12"), never "≥ 24" or "12 15".
        if not before or not (_CJK.match(before[-1]) or before[-1] in "%％)）。"):
            continue
        location, label = text_place(project, field, row)
        yield ctx.issue(
            f"疑似粘连页码:{label}“{text.strip()}”末尾的“{match.group(0).strip()}”像是页码,应删除。",
            location,
            {"field": field, "found": match.group(0).strip(), "expected": "不含页码"},
            fix=text[: match.start()].strip(),
        )


@rule("TEXT_DOUBLED", Severity.INFO)
def text_doubled(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    文字中不应有连续重复的词(如"实现实现")。
    为什么:
    重复词是录入或复制的笔误,印在公开的绩效目标表上有损严肃性。
    错误示例:
    年度目标 ……实现实现国务院"互联网+督查"问题线索核查办理的规范化……
    正确示例:
    年度目标 ……实现国务院"互联网+督查"问题线索核查办理的规范化……
    """
    for field, text, row in ctx.per_project(_texts, project):
        if not DOUBLED.search(text):
            continue  # the common case; finditer costs more even when nothing matches
        for match in DOUBLED.finditer(text):
            if match.group(0) in DOUBLED_OK:
                continue
            word = match.group(1)
            location, label = text_place(project, field, row)
            yield ctx.issue(
                f"重复用词:{label}中“{word}{word}”重复(“{_clip(text, match.start())}”),应删去一个。",
                location,
                {"field": field, "found": word + word, "expected": word},
                fix=text[: match.start()] + word + text[match.end() :],
            )
