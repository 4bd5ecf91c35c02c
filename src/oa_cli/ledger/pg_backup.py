"""`oa backup` from PostgreSQL: a SQLite ledger file of one consistent view."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from oa_cli.errors import OaError
from oa_cli.i18n import os_error, t
from oa_cli.ledger.connection import open_ledger
from oa_cli.ledger.store import Ledger
from oa_cli.outfile import check_dest_writable, interrupt_on_terminate, refuse_special

if TYPE_CHECKING:
    from oa_cli.ledger.pg import PgLedger


def backup_to_sqlite(source: PgLedger, dest: Path, *, force: bool = False) -> None:
    """Through a hidden temporary file renamed only when complete: `dest` is the whole
    copy or is left as it was."""
    refuse_special(dest)
    target_path = check_dest_writable(dest)
    if dest.exists() and not force:
        raise OaError(t("{path} exists; use --force to overwrite it", path=dest))
    with interrupt_on_terminate():
        fd, name = tempfile.mkstemp(
            dir=target_path.parent, prefix=f".{target_path.name}.", suffix=".oa-tmp"
        )
        os.close(fd)
        tmp = Path(name)
        try:
            _fill(source, tmp)
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, target_path)
        except (OSError, sqlite3.Error) as exc:
            error = os_error(exc) if isinstance(exc, OSError) else str(exc)
            raise OaError(t("cannot write {path}: {error}", path=dest, error=error)) from None
        finally:
            tmp.unlink(missing_ok=True)
            for side in ("-wal", "-shm"):
                Path(f"{tmp}{side}").unlink(missing_ok=True)


def _fill(source: PgLedger, path: Path) -> None:
    target = Ledger(open_ledger(path), path)
    try:
        with source.raw_transaction(snapshot=True), target.transaction():
            for table in Ledger.TABLES:
                for batch in source.dump(table):
                    target.load(table, batch)
        target.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        target.conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        target.close()
