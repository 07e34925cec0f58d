"""The Chinese user guide (docs/使用说明.md) shows only commands the CLI takes and pictures that exist.

Every `lubudget …` line of the guide's code blocks is parsed by the real argument parser (nothing
runs); every `lubudget …` in inline code names a real verb and only options that verb has. The
exit-code table is the one the CLI documents, every linked picture is a committed PNG under
200 KB, and the README links the guide first.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest

from lubudget_xl import cli
from lubudget_xl.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "使用说明.md"
MAX_PNG = 200 * 1024


def code_blocks(text: str) -> list[str]:
    return re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.S | re.M)


def block_commands(text: str) -> list[str]:
    """`lubudget …` lines inside fenced code blocks (a `# comment` after a command is allowed)."""
    return [line.strip() for block in code_blocks(text) for line in block.splitlines()
            if line.strip().startswith("lubudget ")]  # fmt: skip


def inline_commands(text: str) -> list[str]:
    """`lubudget …` in inline code outside the code blocks (often a verb alone, or an option)."""
    prose = re.sub(r"^```[^\n]*\n.*?^```", "", text, flags=re.S | re.M)
    return [span for span in re.findall(r"`([^`\n]+)`", prose) if span.startswith("lubudget ")]


def parse(command: str) -> argparse.Namespace:
    """The CLI's parse of `command`, or AssertionError with argparse's (Chinese) complaint."""
    argv = shlex.split(command, comments=True)
    assert argv[0] == "lubudget", command
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            return build_parser().parse_args(argv[1:])
    except SystemExit as stop:
        raise AssertionError(f"{command!r} is refused by the CLI (exit {stop.code}): {err.getvalue().strip()}") from None


def parser_for(words: list[str]) -> tuple[argparse.ArgumentParser, list[str]]:
    """The deepest (sub)parser the leading words name, and the words after them."""
    parser: argparse.ArgumentParser = build_parser()
    while words:
        sub = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
        if sub is None or words[0] not in sub.choices:
            break
        parser, words = sub.choices[words[0]], words[1:]
    return parser, words


def check_inline(command: str) -> None:
    """A verb (and sub-verb) that exists, and no option the verb does not have."""
    words = shlex.split(command, comments=True)[1:]
    parser, rest = parser_for(words)
    assert parser.prog != "lubudget" or words[0].startswith("-"), f"{command!r}: no such verb"
    for word in rest:
        option = word.split("=", 1)[0]
        if option.startswith("-"):
            assert option in parser._option_string_actions, f"{command!r}: {parser.prog} has no option {option}"


@pytest.fixture(scope="module")
def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def test_the_guide_shows_the_commands_of_every_user(guide: str) -> None:
    verbs = {parse(c).verb for c in block_commands(guide)}
    # department staff check; reviewers consolidate, return, import, roll over, self-evaluate;
    # the maintainer keeps catalogues, templates, the add-in and the bundle
    assert verbs >= {"check", "consolidate", "feedback", "import", "rollover", "selfeval", "catalog", "template",
                     "addin", "bundle"}  # fmt: skip


def test_every_command_in_a_code_block_parses(guide: str) -> None:
    commands = block_commands(guide)
    assert len(commands) >= 20
    for command in commands:
        args = parse(command)
        assert callable(getattr(args, "run", None)), f"{command!r} names no runnable verb"


def test_every_inline_command_names_real_verbs_and_options(guide: str) -> None:
    commands = inline_commands(guide)
    assert len(commands) >= 10
    for command in commands:
        check_inline(command)


def test_the_checks_refuse_what_the_cli_refuses() -> None:
    """The checks above bite: a made-up option, a missing required one, a verb that does not exist."""
    for bad in ("lubudget feedback 汇总表.xlsx -o 退回 --no-such-option x",
                "lubudget consolidate 报送",  # -o is required
                "lubudget catalog renew --year 2023"):  # fmt: skip
        with pytest.raises(AssertionError):
            parse(bad)
    with pytest.raises(AssertionError):
        check_inline("lubudget consolidate --no-such-option")
    with pytest.raises(AssertionError):
        check_inline("lubudget consolidat")
    check_inline("lubudget consolidate --feedback")


def test_the_exit_code_table_is_the_clis(guide: str) -> None:
    rows = dict(re.findall(r"^\| (\d) \| (.+?) \|$", guide, flags=re.M))
    assert sorted(rows) == ["0", "1", "2", "3"]
    assert (cli.EXIT_OK, cli.EXIT_FINDINGS, cli.EXIT_UNUSABLE, cli.EXIT_INTERNAL) == (0, 1, 2, 3)
    doc = cli.__doc__
    assert "0 clean, 1 findings at or above --fail-on, 2 could not run" in doc and "3 an error in lubudget itself" in doc
    assert "--fail-on" in rows["1"] or "--fail-on" in rows["0"]
    assert "本工具自身出错" in rows["3"] and "日志" in rows["3"]


def verbs_that_exit_1() -> list[str]:
    """Every (sub)verb whose --help says what makes it exit 1 (the others say 1 is not used)."""
    found, stack = [], [(build_parser(), "")]
    while stack:
        parser, path = stack.pop()
        one = re.search(r";1 ([^;]+);", parser.epilog or "")
        if one and "不使用" not in one.group(1):
            found.append(path)
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                stack += [(child, f"{path} {name}".strip()) for name, child in action.choices.items()]
    return sorted(found)


def test_exit_code_1_is_explained_for_every_verb_that_uses_it(guide: str) -> None:
    rows = dict(re.findall(r"^\| (\d) \| (.+?) \|$", guide, flags=re.M))
    verbs = verbs_that_exit_1()
    assert "check" in verbs and "consolidate" in verbs
    for verb in verbs:
        assert re.search(rf"`lubudget {verb}[` ]", rows["1"]), f"the guide's exit code 1 does not name lubudget {verb}"


def test_every_picture_exists_and_is_a_small_png(guide: str) -> None:
    pictures = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", guide)
    assert len(pictures) >= 6
    for link in pictures:
        path = GUIDE.parent / link
        assert path.is_file(), f"{link}: no such picture"
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{link}: not a PNG"
        assert len(data) < MAX_PNG, f"{link}: {len(data) // 1024} KB"


def test_every_relative_link_resolves(guide: str) -> None:
    for link in re.findall(r"(?<!!)\[[^\]]*\]\(([^)\s#]+)(?:#[^)]*)?\)", guide):
        if not re.match(r"[a-z]+:", link):
            assert (GUIDE.parent / link).exists(), f"{link}: no such file"


def test_the_readme_links_the_guide_first() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ")
    first_link = next(n for n, line in enumerate(lines) if "](" in line)
    assert "](docs/使用说明.md)" in lines[first_link]
    assert first_link < next(n for n, line in enumerate(lines) if line.startswith("make demo"))


def test_the_bundle_carries_the_guide_with_what_it_links(tmp_path: Path) -> None:
    from lubudget_xl.bundle import _copy_guide

    guide = _copy_guide(tmp_path, ROOT)
    assert guide == tmp_path / "使用说明.md"
    links = re.findall(r"\]\(([^)\s#]+)(?:#[^)]*)?\)", guide.read_text(encoding="utf-8"))
    relative = [link for link in links if not re.match(r"[a-z]+:", link)]
    assert any(link.endswith(".png") for link in relative) and any(link.endswith(".md") for link in relative)
    for link in relative:
        assert (tmp_path / link).read_bytes() == (GUIDE.parent / link).read_bytes(), link


@pytest.mark.slow
def test_the_consolidation_output_quoted_in_the_guide_is_what_the_command_prints(guide: str, tmp_path: Path) -> None:
    """The summary the guide quotes is the real one, for the demo's 30 files of 2022 it names."""
    from conftest import run_cli

    from lubudget_xl.cli.demo_steps_yearcycle import build_inbox_2022

    quoted = next(block for block in code_blocks(guide) if block.startswith("文件 "))
    command = next(c for c in block_commands(guide) if c.startswith("lubudget consolidate 2022年报送 "))
    build_inbox_2022(tmp_path / "2022年报送")
    done = run_cli(*shlex.split(command)[1:], cwd=tmp_path)
    assert done.returncode == 1, done.stderr.decode()
    printed = done.stderr.decode("utf-8").splitlines()
    for line in quoted.splitlines():
        assert line in printed, f"the guide quotes {line!r}; the command printed:\n" + "\n".join(printed[-9:])
