"""Global options, exit codes, file modes: what every command shares."""

from __future__ import annotations

import os
import stat

import pytest
from conftest import OA, Oa


def test_version(oa: Oa) -> None:
    assert oa.ok("--version").out.startswith("oa ")


def test_ledger_file_is_0600_in_a_0700_folder(oa: Oa) -> None:
    import sqlite3

    oa.add()
    assert stat.S_IMODE(os.stat(oa.db).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(oa.db.parent).st_mode) == 0o700
    reader = sqlite3.connect(oa.db)  # an open reader keeps the -wal and -shm files
    reader.execute("SELECT count(*) FROM items").fetchone()
    oa.add("第二件")
    for suffix in ("-wal", "-shm"):
        side = oa.db.with_name(oa.db.name + suffix)
        assert side.exists() and stat.S_IMODE(os.stat(side).st_mode) & 0o077 == 0
    reader.close()


def test_db_option_beats_the_environment(oa: Oa) -> None:
    other = oa.tmp / "elsewhere" / "x.db"
    oa.ok("--db", str(other), "add", "事项")
    assert other.exists()
    assert oa.ok("list", "--format", "json").json() == []


@pytest.mark.process
def test_default_ledger_lives_in_the_user_data_dir(oa: Oa) -> None:
    env = {k: v for k, v in oa.env.items() if k != "OA_DB"}
    env["XDG_DATA_HOME"] = str(oa.tmp / "xdg")
    import subprocess

    proc = subprocess.run(
        [OA, "add", "事项"], env={**env, "OA_NOW": oa.now}, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert (oa.tmp / "xdg" / "oa" / "ledger.db").exists()


def test_now_sets_the_clock_and_a_date_alone_is_midnight_local(oa: Oa) -> None:
    oa.ok("--now", "2026-11-25", "add", "事项")
    assert oa.item(1)["received_at"] == "2026-11-25T00:00:00+08:00"


def test_now_with_an_offset_is_the_same_moment_on_the_office_clock(oa: Oa) -> None:
    # 20:00 UTC on the 24th is the 25th in the office: the day everything counts from
    item_id = oa.add("事项", now="2026-11-24T20:00:00Z")
    assert oa.item(item_id)["received_at"] == "2026-11-25T04:00:00+08:00"


def test_bad_now_is_a_usage_error(oa: Oa) -> None:
    oa.fails(2, "--now", "yesterday-ish", "list")


def test_bad_lang_is_a_usage_error(oa: Oa) -> None:
    oa.fails(2, "--lang", "fr", "list")


def test_unknown_command_and_missing_argument_are_exit_2(oa: Oa) -> None:
    oa.fails(2, "frobnicate")
    oa.fails(2, "assign", "1")
    oa.fails(2, "show", "abc")


def test_a_file_that_is_not_a_ledger_is_one_clear_line(oa: Oa) -> None:
    bad = oa.tmp / "not.db"
    bad.write_text("hello, I am not SQLite" * 100)
    result = oa.fails(1, "--db", str(bad), "list")
    assert len(result.err.strip().splitlines()) == 1


def test_ledger_in_an_unwritable_place_is_one_clear_line(oa: Oa) -> None:
    result = oa.fails(1, "--db", "/proc/oa/ledger.db", "add", "事项")
    assert len(result.err.strip().splitlines()) == 1


# -- the command table, start-up and completion ------------------------------

EVERY_COMMAND = [
    "add",
    "create",
    "assign",
    "feedback",
    "remind",
    "escalate",
    "extend",
    "close",
    "reopen",
    "cancel",
    "edit",
    "import",
    "export",
    "backup",
    "list",
    "show",
    "overdue",
    "log",
    "verify",
    "workday",
    "daily",
    "weekly",
    "stats",
    "unit",
    "completion",
]


def test_help_lists_every_command(oa: Oa) -> None:
    out = oa.ok("--help").out
    listed = [line.split()[0] for line in out.split("Commands:")[1].splitlines() if line.strip()]
    assert set(EVERY_COMMAND) <= set(listed)
    assert "Alias of add." in out


def test_oa_help_is_oa_dash_dash_help_as_in_git(oa: Oa) -> None:
    assert oa.ok("help").out == oa.ok("--help").out == oa.ok("help", "help").out
    assert oa.ok("help", "unit", "add").out == oa.ok("unit", "add", "--help").out
    assert oa.ok("--lang", "zh", "help", "daily").out.startswith("用法：oa daily")
    assert "no-such" in oa.fails(2, "help", "no-such").err


def test_help_follows_the_configured_language(oa: Oa) -> None:
    """`lang: zh` in the configuration gives Chinese help, as it gives Chinese errors;
    --lang still wins, and a configuration with a mistake leaves help in the locale's."""
    oa.write_config("lang: zh\n")
    assert oa.ok("--help").out.startswith("用法：oa [选项]")
    assert oa.ok("daily", "-h").out.startswith("用法：oa daily")
    assert oa.ok("--lang", "en", "--help").out.startswith("Usage: oa [OPTIONS]")
    # so do a bare `oa` and a command name mistyped, found before the configuration is read
    bare = oa()
    assert (bare.out + bare.err).startswith("用法：oa [选项]")
    assert oa.fails(2, "dialy").err.startswith("oa：没有此命令：dialy；是否要输入：daily？")
    assert oa.fails(2, "--lang", "en", "dialy").err.startswith("oa: No such command 'dialy'")
    oa.write_config("lang: klingon\n")
    assert oa.ok("--help").out.startswith("Usage: oa [OPTIONS]")


def test_a_command_whose_function_is_missing_is_not_listed_and_unknown() -> None:
    from typer.main import get_command

    from oa_cli.cli.app import app
    from oa_cli.cli.lazy import LazyGroup

    class Partial(LazyGroup):
        modules = {"add": "write", "no-such-verb": "write", "ghost": "no_such_module"}

    group = get_command(app)
    group.__class__ = Partial
    ctx = group.make_context("oa", ["add", "x"], resilient_parsing=True)
    assert group.list_commands(ctx) == ["add"]
    assert group.get_command(ctx, "no-such-verb") is None
    assert group.get_command(ctx, "ghost") is None


@pytest.mark.process
@pytest.mark.parametrize(
    ("argv", "wanted", "unwanted"),
    [
        (["--version"], set(), {"write", "read", "data", "reports", "units", "completion"}),
        (["add", "事项"], {"write"}, {"read", "data", "reports", "units", "completion"}),
    ],
)
def test_a_command_imports_only_its_own_module(
    oa: Oa, argv: list[str], wanted: set[str], unwanted: set[str]
) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from oa_cli.cli.app import main\n"
        f"sys.argv = ['oa', *{argv!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(' '.join(m.split('.')[-1] for m in sys.modules if m.startswith('oa_cli.cli.')),"
        " file=sys.stderr)"
    )
    env = {**oa.env, "OA_NOW": oa.now}
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    loaded = set(proc.stderr.strip().splitlines()[-1].split())
    assert wanted <= loaded
    assert not unwanted & loaded


def test_unknown_command_is_one_line_with_a_suggestion(oa: Oa) -> None:
    assert oa.fails(2, "sign", "11").err.splitlines() == [
        "oa: No such command 'sign'. Did you mean 'assign'?",
        "see 'oa --help'",
    ]
    assert oa.fails(2, "--lang", "zh", "sign", "11").err.splitlines() == [
        "oa：没有此命令：sign；是否要输入：assign？",
        "请查看“oa --help”",
    ]


def test_every_error_line_has_one_prefix_per_language(oa: Oa) -> None:
    for args in (["show", "9"], ["add"], ["list", "--frob"], ["unit", "lst"]):
        assert oa(*args).err.startswith("oa: ")
        assert oa("--lang", "zh", *args).err.startswith("oa：")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_the_script(oa: Oa, shell: str) -> None:
    out = oa.ok("completion", shell).out
    assert "_OA_COMPLETE=complete_" + shell in out.replace("complete_bash $1", "complete_bash")


def test_completion_of_an_unknown_shell_is_a_usage_error(oa: Oa) -> None:
    oa.fails(2, "completion", "tcsh")


def _bash(oa: Oa, line: str) -> list[str]:
    words = line.split(" ")
    env = {"_OA_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    result = oa.ok(*[], env=env)
    assert result.err == ""
    return result.out.split()


def test_completion_of_commands_and_options(oa: Oa) -> None:
    assert _bash(oa, "oa as") == ["assign"]
    assert "completion" in _bash(oa, "oa co")
    assert _bash(oa, "oa list --ov") == ["--overdue"]
    assert "--lang" in _bash(oa, "oa --l")


def test_a_global_option_after_the_command_says_where_it_goes(oa: Oa) -> None:
    result = oa.fails(2, "daily", "--now", "2026-11-23")
    assert result.err.splitlines() == [
        "oa: No such option: --now",
        "oa: --now is an option of oa itself: put it before the command, as in 'oa --now … daily'",
    ]
    assert "是 oa 本身的选项" in oa.fails(2, "--lang", "zh", "list", "--no-color").err


def test_completion_of_the_office_words_an_option_takes(oa: Oa) -> None:
    assert _bash(oa, "oa list --status ") == ["registered", "assigned", "closed", "cancelled"]
    assert _bash(oa, "oa list --status 在") == ["在办"]
    assert _bash(oa, "oa list --status 已") == ["已交办", "已办结", "已办", "已撤销"]
    assert _bash(oa, "oa add 事项 --priority u") == ["urgent"]
    assert _bash(oa, "oa escalate 1 --level ") == ["yellow", "red"]
    assert _bash(oa, "oa add 事项 --source 会") == ["会议议定事项", "会议议定", "会议纪要", "会议"]
    assert _bash(oa, "oa import examples/it") == []  # import's FILE is not a source word


def test_completion_of_units_and_open_items(oa: Oa) -> None:
    oa.write_config(
        "units:\n  - {code: zjj, name: 市住建局}\n  - {code: fgw, name: 市发展改革委}\n"
    )
    first, second = oa.add("供暖"), oa.add("项目")
    oa.ok("cancel", str(second), "--reason", "重复")
    assert _bash(oa, "oa close ") == [str(first)]
    assert sorted(_bash(oa, "oa assign 1 ")) == ["市住建局", "市发展改革委"]
    assert _bash(oa, "oa add 事项 --unit 市发") == ["市发展改革委"]
    zsh = oa.ok(env={"_OA_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "oa show "}).out
    assert f'"{first}":"供暖"' in zsh
    # reopen takes a closed item; the fixed choices of an option are offered
    third = oa.add("已办事项", "--unit", "市住建局")
    oa.ok("feedback", str(third), "已完成")
    oa.ok("close", str(third), "--basis", "报告")
    assert _bash(oa, "oa reopen ") == [str(third)]
    assert _bash(oa, "oa list --sort ") == ["due", "id", "received"]
    assert _bash(oa, "oa stats --by l") == ["leader"]
    assert _bash(oa, f"oa ack {first} --by ") == []  # a person, not a grouping


def test_completion_never_creates_a_ledger_nor_fails(no_ledger: Oa) -> None:
    oa = no_ledger
    assert _bash(oa, "oa close ") == []
    assert not oa.db.exists()
    oa.db.parent.mkdir(parents=True)
    oa.db.write_text("not a ledger" * 100)
    assert _bash(oa, "oa close ") == []
    assert _bash(oa, "oa --db /proc/nowhere/x.db close ") == []


def test_an_option_without_its_value_points_to_its_commands_help(oa: Oa) -> None:
    item = oa.add("事项")
    err = oa.fails(2, "ack", str(item), "--by").err.splitlines()
    assert err == ["oa: Option '--by' requires an argument.", "see 'oa ack --help'"]
