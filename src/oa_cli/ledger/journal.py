"""The hash-chained journal: every change is an event carrying the hash of the one before."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from oa_cli.domain.item import COLUMNS, LIST_COLUMNS

try:  # CPython's built-in SHA-256: the same digests, without loading OpenSSL at start-up
    from _sha2 import sha256  # 3.12+
except ImportError:
    try:
        from _sha256 import sha256  # 3.11
    except ImportError:  # pragma: no cover - other Pythons
        from hashlib import sha256

GENESIS = "0" * 64
# Actions whose event data is the whole new item (replay creates the item from it).
CREATING = ("add", "import")


# json.dumps with options builds an encoder per call: one, made once, serves every event.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical(value: Any) -> str:
    """JSON as the hash reads it: sorted keys, no spaces, Chinese as itself."""
    return _CANONICAL.encode(value)


def _digest(prev_hash: str, head: str, data_text: str, hasher: Any = sha256) -> str:
    """The one canonical layout: the previous hash, then the event as the JSON array
    `[seq, item_id, at, recorded_at, actor, action, data]` (`head`: that array up to
    `action`, without the closing bracket)."""
    return hasher(f"{prev_hash}{head},{data_text}]".encode()).hexdigest()


_BULK = 64  # events appended at once from which OpenSSL's SHA-256 pays for its loading


def _hasher(events: int) -> Any:
    """SHA-256 for so many events: the built-in one for a few, OpenSSL's (several times
    faster, ~3 ms to load) for a bulk import. The same digests."""
    if events < _BULK:
        return sha256
    import hashlib

    return hashlib.sha256


def event_hash(prev_hash: str, event: dict[str, Any]) -> str:
    """SHA-256 of the previous hash and the event as canonical JSON."""
    head = [event[k] for k in ("seq", "item_id", "at", "recorded_at", "actor", "action")]
    return _digest(prev_hash, canonical(head)[:-1], canonical(event["data"]))


class Journal:
    """Appends events inside the caller's write transaction."""

    def __init__(self, conn: sqlite3.Connection, *, at: str, recorded_at: str, actor: str):
        self.conn = conn
        self.at = at
        self.recorded_at = recorded_at
        self.actor = actor
        self._head: tuple[int, str] | None = None

    def _last(self) -> tuple[int, str]:
        if self._head is None:
            row = self.conn.execute(
                "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            self._head = (row[0], row[1]) if row else (0, GENESIS)
        return self._head

    def append(self, item_id: int | None, action: str, data: dict[str, Any]) -> int:
        return self.append_many([(item_id, action, data)])

    def append_many(self, events: list[tuple[Any, ...]]) -> int:
        """Append (item_id, action, data[, at]) events in order, chained; return the last
        seq. An event's own `at` (an imported assignment's time) overrides the clock's."""
        seq, prev = self._last()
        rows = []
        # event_hash's head, with the parts events share encoded once each: a bulk
        # import hashes a million of them.
        heads: dict[Any, str] = {}
        at_shared = self.at
        hasher = _hasher(len(events))
        for item_id, action, data, *when in events:
            seq += 1
            at = when[0] if when and when[0] else at_shared
            head = heads.get((at, action))
            if head is None:
                head = heads[(at, action)] = (
                    "," + canonical([at, self.recorded_at, self.actor, action])[1:-1]
                )
            data_text = canonical(data)
            item = "null" if item_id is None else int(item_id)
            digest = _digest(prev, f"[{seq},{item}{head}", data_text, hasher)
            rows.append(
                (seq, item_id, at, self.recorded_at, self.actor, action, data_text, prev, digest)
            )
            prev = digest
        self.conn.executemany(
            "INSERT INTO events (seq, item_id, at, recorded_at, actor, action, data, prev_hash,"
            " hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        self._head = (seq, prev)
        return seq


def event_from_row(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "seq": row["seq"],
        "item_id": row["item_id"],
        "at": row["at"],
        "recorded_at": row["recorded_at"],
        "actor": row["actor"],
        "action": row["action"],
        "data": json.loads(row["data"]),
        "hash": row["hash"],
    }


def iter_events(
    conn: sqlite3.Connection,
    item_id: int | None = None,
    since: str | None = None,
    until: str | None = None,
    actions: tuple[str, ...] = (),
    item_ids: tuple[int, ...] | None = None,
) -> Iterator[dict[str, Any]]:
    """Events in seq order; `since`/`until` bound `at` (until: at < until); `item_ids`
    keeps those items' events only."""
    sql = "SELECT * FROM events"
    where: list[str] = []
    params: list[Any] = []
    if item_id is not None:
        where.append("item_id = ?")
        params.append(item_id)
    if since is not None:
        where.append("at >= ?")
        params.append(since)
    if until is not None:
        where.append("at < ?")
        params.append(until)
    if actions:
        where.append("action IN ({})".format(", ".join("?" * len(actions))))
        params.extend(actions)
    if item_ids is not None:
        where.append("item_id IN ({})".format(", ".join("?" * len(item_ids)) or "NULL"))
        params.extend(item_ids)
    if where:
        sql += " WHERE " + " AND ".join(where)
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    for row in cursor.execute(sql + " ORDER BY seq", params):
        yield event_from_row(row)


def check_chain(conn: sqlite3.Connection) -> list[str]:
    """Problems in the chain, first bad sequence number first (empty when sound)."""
    prev, expected_seq = GENESIS, 1
    for row in conn.execute("SELECT * FROM events ORDER BY seq"):
        seq = row["seq"]
        if seq != expected_seq:
            return [f"journal: event {expected_seq} is missing (next is {seq})"]
        if row["prev_hash"] != prev:
            return [f"journal: event {seq} does not follow event {seq - 1} (chain broken)"]
        try:
            event = event_from_row(row)
        except ValueError:
            return [f"journal: event {seq} has unreadable data"]
        if event_hash(prev, event) != row["hash"]:
            return [f"journal: event {seq} was altered (hash mismatch)"]
        prev, expected_seq = row["hash"], seq + 1
    return []


def replay(events: Iterable[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Rebuild every item's stored columns from journal events alone (in seq order).

    An event's data carries the columns it changed; a reminder counts one 催办 when it
    was made by hand (older versions' `escalate --auto` wrote reminders with a rule:
    they are kept in the journal and not counted)."""
    items: dict[int, dict[str, Any]] = {}
    for event in events:
        item_id, data = event["item_id"], event["data"]
        if item_id is None:
            continue
        if event["action"] in CREATING:
            items[item_id] = {key: data.get(key) for key in COLUMNS}
            items[item_id]["id"] = item_id
            items[item_id]["remind_count"] = data.get("remind_count") or 0
        elif item_id not in items:
            continue
        elif event["action"] == "remind":
            if data.get("rule") is None:
                items[item_id]["remind_count"] += 1
        else:
            for key, value in data.items():
                if key in COLUMNS and key != "id":
                    items[item_id][key] = value
    for item in items.values():
        for key in LIST_COLUMNS:
            if item[key] is None:
                item[key] = []
        for key in ("feedback_count", "remind_count"):
            item[key] = item[key] or 0
    return items
