"""Where a command writes a file (`export -o`, `backup DEST`): never onto the ledger,
always whole or not at all.

`atomic_output` writes to a hidden temporary file in the destination's folder and
renames it over the destination only when everything was written; on any error or
interrupt the temporary file is removed and the destination is as it was."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import IO, Any

from oa_cli.errors import OaError
from oa_cli.i18n import os_error, t

LEDGER_SUFFIXES = ("", "-wal", "-shm", "-journal")


def refuse_special(dest: Path) -> None:
    """A copy replaces its DEST whole (renamed into place): never a device, a pipe or a
    socket (`oa backup /dev/null --force` would put a file where the device was)."""
    if dest.exists() and not dest.is_file():
        raise OaError(t("{path} is not a regular file; give a file name for the copy", path=dest))


def refuse_ledger(dest: Path, ledger: Path) -> None:
    """Refuse `dest` when it is the ledger or one of its side files: the same path
    once links and `..` are resolved, or the same file (a hard link)."""
    real = os.path.realpath(dest)
    for suffix in LEDGER_SUFFIXES:
        part = Path(f"{ledger}{suffix}")
        if real == os.path.realpath(part) or _same_file(dest, part):
            raise OaError(
                t("{path} is the ledger (or its -wal/-shm file); write somewhere else", path=dest)
            )


def _same_file(a: Path, b: Path) -> bool:
    try:
        sa, sb = os.stat(a), os.stat(b)
    except OSError:  # either does not exist: not the same file
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def check_dest_writable(dest: Path) -> Path:
    """The file to write for `dest` (through a link to its target), or one clear
    error: a folder, a missing folder, a folder that cannot be written."""
    target = Path(os.path.realpath(dest)) if dest.is_symlink() else dest
    if target.is_dir():
        raise OaError(t("{path} is a folder; give a file name", path=dest))
    folder = target.parent
    if not folder.is_dir():
        raise OaError(
            t("cannot write {path}: folder {folder} does not exist", path=dest, folder=folder)
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OaError(t("cannot write {path}: {error}", path=dest, error=_denied()))
    if target.exists() and not os.access(target, os.W_OK):
        raise OaError(t("cannot write {path}: {error}", path=dest, error=_denied()))
    return target


@contextlib.contextmanager
def atomic_output(
    dest: Path,
    ledger: Path | None,
    *,
    binary: bool = False,
    encoding: str = "utf-8",
    newline: str = "",
) -> Iterator[IO[Any]]:
    """A file object whose content replaces `dest` when the block ends without error.

    A new file gets the usual mode (0666 less the umask, as a shell `>` would); an
    existing one keeps its mode. A device or pipe (`/dev/null`, a FIFO) is written
    directly. Errors while writing become one clear OaError line."""
    if ledger is not None:
        refuse_ledger(dest, ledger)
    target = check_dest_writable(dest)
    if target.exists() and not stat.S_ISREG(os.stat(target).st_mode):
        with _clear_errors(dest), _open_direct(target, binary, encoding, newline) as out:
            yield out
        return
    with interrupt_on_terminate():
        with _clear_errors(dest):
            fd, name = tempfile.mkstemp(
                dir=target.parent, prefix=f".{target.name}.", suffix=".oa-tmp"
            )
        tmp = Path(name)
        try:
            with _clear_errors(dest), _open_fd(fd, binary, encoding, newline) as out:
                os.fchmod(out.fileno(), _mode_for(target))
                yield out
                out.flush()
                os.fsync(out.fileno())
            with _clear_errors(dest):
                os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)  # gone already after the rename


def _open_fd(fd: int, binary: bool, encoding: str, newline: str) -> IO[Any]:
    try:
        if binary:
            return open(fd, "wb")
        return open(fd, "w", encoding=encoding, newline=newline)
    except BaseException:
        os.close(fd)
        raise


def _open_direct(target: Path, binary: bool, encoding: str, newline: str) -> IO[Any]:
    if binary:
        return open(target, "wb")
    return open(target, "w", encoding=encoding, newline=newline)


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def _denied() -> str:
    return os_error(PermissionError(errno.EACCES, os.strerror(errno.EACCES)))


@contextlib.contextmanager
def _clear_errors(dest: Path) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise OaError(t("cannot write {path}: {error}", path=dest, error=os_error(exc))) from None


@contextlib.contextmanager
def interrupt_on_terminate() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise KeyboardInterrupt, so `finally`
    clauses remove temporary files when the process is killed (SIGKILL cannot be
    caught). Only the main thread may set signal handlers; elsewhere it does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
