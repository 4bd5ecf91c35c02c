"""Every message exists in both languages; machine output never changes with the language."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path
from typing import Any

import pytest
from conftest import Oa

from oa_cli.i18n import VOCABULARY
from oa_cli.i18n.zh import CATALOG

SRC = Path(__file__).resolve().parent.parent / "src" / "oa_cli"


def _msgids() -> set[str]:
    found = set(VOCABULARY)
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (  # help= of options and arguments: translated when the help page is shown
                path.parent.name == "cli"
                and isinstance(node, ast.keyword)
                and node.arg == "help"
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                found.add(node.value.value)
            elif (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) in ("t", "N_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def _command_docs() -> set[str]:
    import importlib

    from oa_cli.cli import units
    from oa_cli.cli.app import COMMAND_MODULES

    docs = {(units.unit_add.__doc__ or "").strip(), (units.unit_list.__doc__ or "").strip()}
    for module in set(COMMAND_MODULES.values()):
        try:
            commands = getattr(importlib.import_module(f"oa_cli.cli.{module}"), "COMMANDS", {})
        except ModuleNotFoundError:  # a command module not written yet
            continue
        docs |= {(fn.__doc__ or "").strip() for fn in commands.values()}
    return docs


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_a_chinese_text() -> None:
    missing = sorted(m for m in _msgids() | _command_docs() if m not in CATALOG)
    assert missing == []


def test_chinese_texts_keep_the_placeholders() -> None:
    wrong = [m for m, zh in CATALOG.items() if _fields(m) != _fields(zh)]
    assert wrong == []


def test_no_catalog_entry_is_left_unused() -> None:
    assert sorted(set(CATALOG) - _msgids() - _command_docs()) == []


def test_help_is_translated(oa: Oa) -> None:
    assert "每日调度表" in oa.ok("--lang", "zh", "--help").out
    assert "登记事项" in oa.ok("--lang", "zh", "add", "--help").out
    assert "Register an item" in oa.ok("--lang", "en", "add", "--help").out


@pytest.mark.parametrize("command", [["list"], ["daily"], ["overdue"], ["show", "1"], ["log"]])
def test_json_is_byte_identical_in_both_languages(oa: Oa, assigned, command: list[str]) -> None:
    assigned("--due", "2026-11-20")
    oa.add("未交办事项")
    en = oa.ok("--lang", "en", *command, "--format", "json").out
    zh = oa.ok("--lang", "zh", *command, "--format", "json").out
    assert en == zh


def test_errors_read_in_chinese(oa: Oa) -> None:
    result = oa.fails(1, "--lang", "zh", "show", "9")
    assert result.err.strip() == "oa：未找到事项 9"
    item_id = str(oa.add())
    assert "待交办" in oa.fails(1, "--lang", "zh", "close", item_id, "--basis", "x").err


def test_the_systems_reasons_read_in_chinese(oa: Oa) -> None:
    # a file the system refuses: its reason in Chinese too, the English one under en
    item_id = str(oa.add("事项", "--unit", "市住建局"))
    missing = str(oa.tmp / "无此文件.pdf")
    zh = oa.fails(1, "--lang", "zh", "feedback", item_id, "已办", "--file", missing).err
    assert zh.strip() == f"oa：无法读取 {missing}：文件或目录不存在"
    en = oa.fails(1, "--lang", "en", "feedback", item_id, "done", "--file", missing).err
    assert en.strip() == f"oa: cannot read {missing}: No such file or directory"
    folder = str(oa.tmp)
    assert (
        oa.fails(1, "--lang", "zh", "import", folder, "--format", "csv")
        .err.strip()
        .endswith("是一个目录")
    )


def test_language_from_the_locale(oa: Oa) -> None:
    result = oa.fails(1, "show", "9", env={"LANG": "zh_CN.UTF-8"})
    assert "未找到" in result.err
    result = oa.fails(1, "show", "9", env={"LANG": "zh_CN.UTF-8", "OA_LANG": "en"})
    assert "not found" in result.err


def test_usage_errors_read_in_chinese(oa: Oa) -> None:
    result = oa.fails(2, "--lang", "zh", "add")
    assert result.err.splitlines()[0] == "oa：缺少参数：事项"  # the argument by its Chinese name
    assert "没有此选项：--frob" in oa.fails(2, "--lang", "zh", "list", "--frob").err
    assert "No such option" in oa.fails(2, "--lang", "en", "list", "--frob").err


def test_usage_errors_of_the_framework_read_in_chinese(oa: Oa) -> None:
    def first_line(*args: str) -> str:
        return oa.fails(2, "--lang", "zh", *args).err.splitlines()[0]

    assert first_line("extend", "1", "--reason", "x") == "oa：缺少选项：--due"
    assert first_line("list", "--unit") == "oa：选项 --unit 需要一个值"
    assert first_line("show", "1", "2") == "oa：多余的参数：2"
    assert first_line("show", "abc") == "oa：编号：“abc”不是整数"
    assert first_line("list", "--limit", "x") == "oa：--limit：“x”不是整数"
    assert first_line("unit", "lst") == "oa：没有此命令：lst；是否要输入：list？"


def _all_commands() -> list[list[str]]:
    from typer.main import get_command

    from oa_cli.cli.app import app

    group: Any = get_command(app)
    ctx = group.make_context("oa", ["--help"], resilient_parsing=True)
    found: list[list[str]] = [[]]
    for name in group.list_commands(ctx):
        found.append([name])
        sub = group.get_command(ctx, name)
        found += [[name, child] for child in getattr(sub, "commands", {})]
    return found


FRAMEWORK_WORDS = re.compile(
    r"usage|options|arguments|commands?\b|required|default|show this message|env var|<str>",
    re.IGNORECASE,
)
# Three English words in a row, once option names, metavars and env vars are taken out.
ENGLISH = re.compile(r"\b[A-Za-z]{2,}\b[ ,]+\b[A-Za-z]{2,}\b[ ,]+\b[A-Za-z]{2,}\b")


def test_every_help_page_is_chinese_under_zh(oa: Oa) -> None:
    pages = _all_commands()
    assert len(pages) > 25
    for command in pages:
        out = oa.ok("--lang", "zh", *command, "--help").out
        assert not FRAMEWORK_WORDS.search(out), (command, out)
        prose = re.sub(r"--?[\w-]+|<[^>]*>|\{[^}]*\}|OA_[A-Z]+|\boa\b", " ", out)
        assert not ENGLISH.search(prose), (command, ENGLISH.search(prose), out)
        # every argument has its word (said in Chinese), in the usage line as in its list
        usage = out.splitlines()[0]
        assert not re.search(r"[{\[][a-z]", usage), (command, usage)


def test_english_documents_say_words_not_codes(oa: Oa) -> None:
    """A rule or a kind of report reads as English words under en, as Chinese under zh."""
    from oa_cli.i18n import VOCABULARY, set_lang, t

    set_lang("en")
    try:
        assert not [w for w in VOCABULARY if "_" in t(w)]
    finally:
        set_lang("en")
    item = oa.add(
        "关于供暖的批示", "--unit", "市住建局", "--due", "2026-11-20", now="2026-11-09T09:00"
    )
    oa.ok("feedback", str(item), "首报", now="2026-11-10T09:00")
    oa.ok("escalate", "--auto", now="2026-11-23T08:00")
    daily = oa.ok("--lang", "en", "daily", "--format", "markdown").out
    assert "follow-up report missing since" in daily and "follow_up" not in daily
    weekly = oa.ok("--lang", "en", "weekly", "--format", "markdown").out
    assert "card (overdue)" in weekly and "overdue_" not in weekly
    assert "2026-W48 (2026-11-23 – 2026-11-29)" in weekly  # no full-width brackets
