"""Global options, exit codes, file modes: what every command shares."""

from __future__ import annotations

import os
import stat

from conftest import OA, Oa


def test_version(oa: Oa) -> None:
    assert oa.ok("--version").out.startswith("oa ")


def test_ledger_file_is_0600_in_a_0700_folder(oa: Oa) -> None:
    oa.add()
    assert stat.S_IMODE(os.stat(oa.db).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(oa.db.parent).st_mode) == 0o700
    for suffix in ("-wal", "-shm"):
        side = oa.db.with_name(oa.db.name + suffix)
        if side.exists():
            assert stat.S_IMODE(os.stat(side).st_mode) & 0o077 == 0


def test_db_option_beats_the_environment(oa: Oa) -> None:
    other = oa.tmp / "elsewhere" / "x.db"
    oa.ok("--db", str(other), "add", "事项")
    assert other.exists()
    assert oa.ok("list", "--format", "json").json() == []


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


def test_now_with_an_offset_is_kept(oa: Oa) -> None:
    item_id = oa.add("事项", now="2026-11-25T01:30:00+00:00")
    assert oa.item(item_id)["received_at"] == "2026-11-25T01:30:00+00:00"


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
