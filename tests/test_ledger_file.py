"""The ledger file and every output file cannot be destroyed (SPEC Safety; issue 19)."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import stat
import tempfile
from pathlib import Path

import pytest

from oa_cli.errors import OaError
from oa_cli.ledger import connection, schema
from oa_cli.ledger.connection import backup_to, open_ledger, write
from oa_cli.outfile import atomic_output, refuse_ledger

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "ledger.db"
    conn = open_ledger(path)
    with write(conn):
        conn.execute("INSERT INTO units (code, name) VALUES ('zj', '市住建局')")
    conn.close()
    return path


def _snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".oa-tmp"))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- output onto the ledger ------------------------------------------------------------


def test_export_onto_the_ledger_is_refused_and_the_ledger_is_unchanged(ledger: Path) -> None:
    before = ledger.read_bytes()
    for dest in (ledger, Path(f"{ledger}-wal"), Path(f"{ledger}-shm")):
        with pytest.raises(OaError, match="is the ledger"), atomic_output(dest, ledger) as out:
            out.write("[]")
    assert ledger.read_bytes() == before
    assert _leftovers(ledger.parent) == []


def test_export_through_a_link_named_like_a_json_file_is_refused(ledger: Path) -> None:
    link = ledger.parent.parent / "x.json"
    link.symlink_to(ledger)
    before = ledger.read_bytes()
    with pytest.raises(OaError, match="is the ledger"):
        refuse_ledger(link, ledger)
    with pytest.raises(OaError), atomic_output(link, ledger, binary=True) as out:
        out.write(b"PK")
    assert ledger.read_bytes() == before
    assert link.is_symlink()


def test_export_through_a_relative_path_or_hard_link_is_refused(
    ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ledger.parent.parent)
    with pytest.raises(OaError, match="is the ledger"):
        refuse_ledger(Path("data/../data/ledger.db"), ledger)
    hard = ledger.parent.parent / "copy.db"
    os.link(ledger, hard)
    with pytest.raises(OaError, match="is the ledger"):
        refuse_ledger(hard, Path("data/ledger.db"))


def test_backup_onto_the_ledger_is_refused_even_with_force(ledger: Path) -> None:
    conn = open_ledger(ledger)
    before = ledger.read_bytes()
    with pytest.raises(OaError, match="is the ledger"):
        backup_to(conn, ledger, force=True)
    conn.close()
    assert ledger.read_bytes() == before


# --- files that are not a ledger -------------------------------------------------------


def test_a_foreign_sqlite_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    foreign = sqlite3.connect(path)
    foreign.execute("CREATE TABLE x (a)")
    foreign.execute("INSERT INTO x VALUES (1)")
    foreign.commit()
    foreign.close()
    before = _snapshot(path)
    for create in (True, False):
        with pytest.raises(OaError, match=r"another program \(tables: x\)"):
            open_ledger(path, create=create)
    assert _snapshot(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_a_text_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("督办事项清单\n", encoding="utf-8")
    before = _snapshot(path)
    with pytest.raises(OaError, match="not an SQLite database"):
        open_ledger(path)
    assert _snapshot(path) == before


def test_a_folder_as_the_ledger_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(OaError, match="is a folder"):
        open_ledger(tmp_path)


def test_a_pipe_or_a_device_is_never_a_ledger_nor_a_backup(tmp_path: Path, ledger: Path) -> None:
    # a write would have made /dev/null (0 bytes to read) a ledger: chmod 0600 as root
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo, 0o644)
    for create in (False, True):
        with pytest.raises(OaError, match="not a regular file"):
            open_ledger(fifo, create=create)  # at once: nothing waits on the pipe
    with pytest.raises(OaError, match="not a regular file"):
        open_ledger(Path(os.devnull))
    conn = open_ledger(ledger)
    try:
        with pytest.raises(OaError, match="not a regular file; give a file name for the copy"):
            backup_to(conn, fifo, force=True)
    finally:
        conn.close()
    assert stat.S_ISFIFO(fifo.stat().st_mode) and _mode(fifo) == 0o644
    assert _mode(Path(os.devnull)) == 0o666


def test_a_dangling_link_as_the_ledger_is_refused_and_nothing_is_created(tmp_path: Path) -> None:
    link = tmp_path / "ledger.db"
    link.symlink_to(tmp_path / "gone" / "real.db")
    with pytest.raises(OaError, match="does not exist"):
        open_ledger(link)
    assert not (tmp_path / "gone").exists()


# --- creating and reading ----------------------------------------------------------------


def test_a_zero_byte_file_becomes_a_ledger_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    path.touch(mode=0o644)
    os.chmod(path, 0o644)
    conn = open_ledger(path)
    assert schema.current_version(conn) == schema.SCHEMA_VERSION
    conn.close()
    assert _mode(path) == 0o600


def test_every_missing_parent_folder_is_created_0700(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "c" / "ledger.db"
    open_ledger(path).close()
    assert [_mode(p) for p in (tmp_path / "a", path.parent.parent, path.parent)] == [0o700] * 3
    assert _mode(path) == 0o600


def test_a_read_never_creates_a_ledger(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "ledger.db"
    with pytest.raises(OaError, match="no ledger at"):
        open_ledger(path, create=False)
    assert not (tmp_path / "sub").exists()
    empty = tmp_path / "empty.db"
    empty.touch()
    with pytest.raises(OaError, match="no ledger at"):
        open_ledger(empty, create=False)
    assert empty.stat().st_size == 0


def test_a_read_only_ledger_can_be_read_but_not_written(
    ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection, "_can_write", lambda path: False)  # root ignores chmod
    conn = open_ledger(ledger, create=False)
    assert conn.execute("SELECT name FROM units").fetchone()[0] == "市住建局"
    with pytest.raises(OaError, match="read-only"), write(conn):
        conn.execute("DELETE FROM units")
    conn.close()


def test_a_ledger_with_an_unfinished_write_is_not_read_without_write_access(
    ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a killed first load leaves a hot -journal: only a writer can roll it back, and a
    # read-only (immutable) opening would read the half-written file
    Path(f"{ledger}-journal").write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + bytes(504))
    monkeypatch.setattr(connection, "_can_write", lambda path: False)
    with pytest.raises(OaError, match="unfinished write"):
        open_ledger(ledger, create=False)


def _read_only_check(path: Path) -> int:
    """Read and try to write the ledger; 0 when reading works and writing is refused."""
    conn = open_ledger(path, create=False)
    assert conn.execute("SELECT count(*) FROM units").fetchone()[0] == 1
    with pytest.raises(OaError, match="read-only"), write(conn):
        pass
    conn.close()
    return 0


def test_a_ledger_on_read_only_media_can_be_read_and_verified() -> None:
    """chmod 0444 in a 0555 folder: not even the -shm file can be made (immutable=1)."""
    top = Path(tempfile.mkdtemp(prefix="oa-ro-"))  # not under pytest's 0700 root folder
    try:
        os.chmod(top, 0o755)
        path = top / "media" / "ledger.db"
        conn = open_ledger(path)
        with write(conn):
            conn.execute("INSERT INTO units (code, name) VALUES ('zj', '市住建局')")
        conn.close()  # the last close checkpoints: no -wal, no -shm left
        os.chmod(path, 0o444)
        os.chmod(path.parent, 0o555)
        if os.geteuid() != 0:
            _read_only_check(path)
            return
        pid = os.fork()  # root writes through chmod: check as nobody in a child
        if pid == 0:
            code = 1
            try:
                os.setgid(65534)
                os.setuid(65534)
                code = _read_only_check(path)
            finally:
                os._exit(code)
        assert os.waitpid(pid, 0)[1] == 0
        assert sorted(p.name for p in path.parent.iterdir()) == ["ledger.db"]
    finally:
        for folder in (top, top / "media"):
            if folder.exists():
                os.chmod(folder, 0o700)
        shutil.rmtree(top)


# --- kill safety ---------------------------------------------------------------------------


def _schema1_ledger(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / "ledger-schema1.sql").read_text(encoding="utf-8"))
    conn.close()


def test_an_interrupted_upgrade_backup_leaves_no_bak(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ledger.db"
    _schema1_ledger(path)

    def interrupted(_: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(connection, "_fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        open_ledger(path)
    assert sorted(p.name for p in tmp_path.iterdir() if "bak" in p.name) == []
    monkeypatch.undo()
    conn = open_ledger(path)  # the next run upgrades, after a whole backup
    assert schema.current_version(conn) == schema.SCHEMA_VERSION
    conn.close()
    backup = tmp_path / "ledger.db.schema1.bak"
    assert sqlite3.connect(backup).execute("PRAGMA user_version").fetchone()[0] == 1
    assert _mode(backup) == 0o600


def test_an_interrupted_backup_leaves_no_hidden_file(
    ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = open_ledger(ledger)

    def interrupted(_: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(connection, "_fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        backup_to(conn, ledger.parent / "copy.db")
    assert sorted(p.name for p in ledger.parent.iterdir()) == ["ledger.db"] + sorted(
        p.name for p in ledger.parent.iterdir() if p.name.startswith("ledger.db-")
    )
    monkeypatch.undo()
    backup_to(conn, ledger.parent / "copy.db")
    copy = open_ledger(ledger.parent / "copy.db", create=False)
    assert copy.execute("SELECT name FROM units").fetchone()[0] == "市住建局"


def test_a_backup_killed_with_sigterm_leaves_no_hidden_file(
    ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = open_ledger(ledger)
    monkeypatch.setattr(connection, "_fsync", lambda _: os.kill(os.getpid(), signal.SIGTERM))
    with pytest.raises(KeyboardInterrupt):
        backup_to(conn, ledger.parent / "copy.db")
    conn.close()
    assert sorted(p.name for p in ledger.parent.iterdir()) == ["ledger.db"]
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_backup_refuses_to_overwrite_without_force(ledger: Path) -> None:
    conn = open_ledger(ledger)
    dest = ledger.parent / "copy.db"
    dest.write_text("keep", encoding="utf-8")
    with pytest.raises(OaError, match="--force"):
        backup_to(conn, dest)
    assert dest.read_text(encoding="utf-8") == "keep"


# --- atomic output -----------------------------------------------------------------------


def test_atomic_output_leaves_the_old_file_and_no_temp_after_an_error(tmp_path: Path) -> None:
    dest = tmp_path / "export.json"
    dest.write_text("old", encoding="utf-8")
    for error in (RuntimeError, KeyboardInterrupt):
        with pytest.raises(error), atomic_output(dest, None) as out:
            out.write("half")
            raise error
    assert dest.read_text(encoding="utf-8") == "old"
    assert _leftovers(tmp_path) == []


def test_atomic_output_replaces_the_file_and_keeps_its_mode(tmp_path: Path) -> None:
    dest = tmp_path / "export.csv"
    dest.write_text("old", encoding="utf-8")
    os.chmod(dest, 0o640)
    with atomic_output(dest, None) as out:
        out.write("id,title\r\n")
    assert dest.read_bytes() == b"id,title\r\n"
    assert _mode(dest) == 0o640
    assert _leftovers(tmp_path) == []


def test_atomic_output_writes_through_a_link_to_its_target(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "2026.json"
    target.parent.mkdir()
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    with atomic_output(link, None) as out:
        out.write("[]")
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "[]"


def test_atomic_output_to_a_device_writes_directly(tmp_path: Path) -> None:
    with atomic_output(Path(os.devnull), tmp_path / "ledger.db") as out:
        out.write("[]")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_unwritable_destinations_are_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(OaError, match="does not exist"), atomic_output(tmp_path / "no" / "x", None):
        pass
    with pytest.raises(OaError, match="is a folder"), atomic_output(tmp_path, None):
        pass
    assert not (tmp_path / "no").exists()
