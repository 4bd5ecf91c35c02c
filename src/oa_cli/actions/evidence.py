"""Evidence files (佐证材料): kept in the ledger itself, content-addressed by SHA-256."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from oa_cli.actions import Context
from oa_cli.errors import InvalidInput, NotFound, UsageError
from oa_cli.i18n import os_error, t


@dataclass(frozen=True)
class File:
    name: str
    sha256: str
    data: bytes


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def read_files(ctx: Context, paths: Sequence[str]) -> list[File]:
    """Read every file before anything is written: a missing, unreadable or too large
    file (or a folder, a FIFO, a device) is an error naming it."""
    limit = ctx.config.evidence["max_mb"] * 2**20
    files = []
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        except OSError as exc:
            raise InvalidInput(
                t("cannot read {name}: {error}", name=path, error=os_error(exc))
            ) from None
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            raise InvalidInput(t("{name} is not a regular file", name=path))
        with os.fdopen(fd, "rb") as handle:
            if info.st_size > limit:
                raise InvalidInput(
                    t(
                        "{name} is larger than {mb} MB (evidence.max_mb)",
                        name=path,
                        mb=limit // 2**20,
                    )
                )
            try:
                data = handle.read()
            except OSError as exc:
                raise InvalidInput(
                    t("cannot read {name}: {error}", name=path, error=os_error(exc))
                ) from None
        files.append(File(Path(path).name, _sha256(data), data))
    return files


def store(ctx: Context, files: Sequence[File]) -> list[dict[str, object]]:
    """Keep the files (inside the caller's transaction); the event records of them."""
    for file in files:
        ctx.ledger.put_evidence(file.sha256, file.data)
    return [{"name": f.name, "sha256": f.sha256, "size": len(f.data)} for f in files]


def find(ctx: Context, prefix: str) -> str:
    """The full hash of the one stored file whose hash starts with `prefix` (8+ hex)."""
    wanted = prefix.strip().lower()
    if len(wanted) < 8 or any(c not in "0123456789abcdef" for c in wanted):
        raise UsageError(t("give at least 8 hex digits of the file's SHA-256"))
    found = ctx.ledger.evidence_matching(wanted)
    if not found:
        raise NotFound(t("no evidence file {sha}", sha=wanted))
    if len(found) > 1:
        raise InvalidInput(
            t("{sha} matches more than one file: {names}", sha=wanted, names=", ".join(found))
        )
    return found[0]


def content(ctx: Context, prefix: str) -> bytes:
    data = ctx.ledger.evidence_bytes(find(ctx, prefix))
    assert data is not None
    return data


def problems(ctx: Context) -> list[str]:
    """Stored files whose bytes no longer match their hash, or that events name and
    the ledger no longer holds."""
    found = []
    held = set()
    for sha, size, data in ctx.ledger.evidence_all():
        held.add(sha)
        if _sha256(data) != sha or len(data) != size:
            found.append(t("evidence {sha}: its bytes no longer match its hash", sha=sha[:12]))
    for event in ctx.ledger.events(actions=("feedback", "close")):
        for file in event["data"].get("files") or []:
            if file.get("sha256") not in held:
                found.append(
                    t(
                        "evidence {sha} ({name}) of event {seq} is missing",
                        sha=str(file.get("sha256"))[:12],
                        name=file.get("name"),
                        seq=event["seq"],
                    )
                )
    return found


def by_item(ctx: Context) -> dict[int, list[dict[str, object]]]:
    """Every item's evidence files ({name, sha256, size}), in the order they came."""
    found: dict[int, list[dict[str, object]]] = {}
    for event in ctx.ledger.events(actions=("feedback", "close")):
        for file in event["data"].get("files") or []:
            found.setdefault(event["item_id"], []).append(file)
    return found
