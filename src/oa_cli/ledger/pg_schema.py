"""The PostgreSQL schema: the same migration list as `ledger.schema` (same names, same
versions), in PostgreSQL's dialect. Frozen history: each step carries its own DDL.

Differences from SQLite, side by side here:
- text columns are `COLLATE "C"`: byte order, as SQLite's BINARY compares ISO dates;
- the stored item object `doc` is a plain column written by `oa` from Python
  (`ledger.items.stored_doc`, the very function `verify` checks SQLite's with), so the
  bytes are the same on both backends;
- a one-row `head` table (seq, hash of the last event, last item id) that every write
  transaction locks first: writers queue as SQLite's BEGIN IMMEDIATE makes them;
- logins and row-level security (m004): see `ledger.pg_roles`.
The version is the row count of `oa_schema`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from oa_cli.ledger import schema as sqlite_schema

T = 'TEXT COLLATE "C"'
GENESIS = "0" * 64

PgStep = Callable[[Any], None]  # takes the `_Conn` adapter of ledger.pg
MIGRATIONS: list[tuple[str, PgStep]] = []


def migration(fn: PgStep) -> PgStep:
    MIGRATIONS.append((fn.__name__, fn))
    return fn


def _fill_docs(conn: Any, keys: list[str], lists: tuple[str, ...]) -> None:
    """Write each row's `doc` for the item keys of that schema (frozen per step)."""
    names = [k for k in keys if k not in ("overdue", "overdue_days", "report_overdue_days")]
    found = conn.execute(f"SELECT {', '.join(names)} FROM items").fetchall()
    for row in found:
        obj = dict(zip(names, row, strict=True))
        for key in lists:
            obj[key] = json.loads(obj[key] or "[]")
        full = {k: obj.get(k) for k in keys}
        full.update({k: v for k, v in (("overdue", False), ("overdue_days", 0)) if k in full})
        if "report_overdue_days" in full:
            full["report_overdue_days"] = 0
        text = json.dumps(full, ensure_ascii=False, separators=(",", ":"))
        conn.execute("UPDATE items SET doc = ? WHERE id = ?", (text, obj["id"]))


@migration
def m001_initial(conn: Any) -> None:
    conn.execute(
        f"""
        CREATE TABLE items (
            id BIGINT PRIMARY KEY, title {T} NOT NULL, body {T}, source {T} NOT NULL,
            leader {T}, doc_no {T}, priority {T} NOT NULL, status {T} NOT NULL, unit {T},
            co_units {T} NOT NULL DEFAULT '[]', owner {T}, tags {T} NOT NULL DEFAULT '[]',
            received_at {T} NOT NULL, assigned_at {T}, due {T} NOT NULL,
            original_due {T} NOT NULL, closed_at {T}, close_basis {T}, close_ref {T},
            card {T}, feedback_count INTEGER NOT NULL DEFAULT 0, last_feedback_at {T},
            remind_count INTEGER NOT NULL DEFAULT 0, created_by {T} NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX items_status_due ON items(status, due, id)")
    conn.execute("CREATE INDEX items_unit ON items(unit, status)")
    conn.execute(
        f"""
        CREATE TABLE events (
            seq BIGINT PRIMARY KEY, item_id BIGINT, at {T} NOT NULL,
            recorded_at {T} NOT NULL, actor {T} NOT NULL, action {T} NOT NULL,
            data {T} NOT NULL, prev_hash {T} NOT NULL, hash {T} NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX events_item ON events(item_id, seq)")
    conn.execute(
        f"CREATE TABLE units (code {T} PRIMARY KEY, name {T} NOT NULL UNIQUE, contact {T})"
    )
    conn.execute(
        f"CREATE TABLE auto_actions (item_id BIGINT NOT NULL, rule {T} NOT NULL,"
        f" day {T} NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (item_id, rule, day))"
    )
    # What SQLite's AUTOINCREMENT and `ORDER BY seq DESC LIMIT 1` give, in one row that
    # every write locks first.
    conn.execute(
        f"CREATE TABLE head (one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),"
        f" seq BIGINT NOT NULL, hash {T} NOT NULL, last_item_id BIGINT NOT NULL)"
    )
    conn.execute(
        "INSERT INTO head (one, seq, hash, last_item_id) VALUES (true, 0, ?, 0)", (GENESIS,)
    )


@migration
def m002_report_indexes(conn: Any) -> None:
    conn.execute("CREATE INDEX items_closed_at ON items(closed_at)")
    conn.execute("CREATE INDEX events_action ON events(action, item_id)")


@migration
def m003_item_documents(conn: Any) -> None:
    """The item object as text, written by oa (the keys of schema 3)."""
    conn.execute(f"ALTER TABLE items ADD COLUMN doc {T} NOT NULL DEFAULT ''")
    conn.execute("CREATE INDEX items_received ON items(received_at)")
    keys = [name for name, _, _ in sqlite_schema._M003_COLUMNS]
    _fill_docs(conn, keys, ("co_units", "tags"))


@migration
def m004_workflow(conn: Any) -> None:
    """The workflow columns, evidence files, title keys; logins and row-level security."""
    for name in ("remark", "acked_at", "report_due", "repeat"):
        conn.execute(f"ALTER TABLE items ADD COLUMN {name} {T}")
    conn.execute("ALTER TABLE items ADD COLUMN previous_id BIGINT")
    conn.execute(f"ALTER TABLE items ADD COLUMN title_key {T} NOT NULL DEFAULT ''")
    for item_id, title in conn.execute("SELECT id, title FROM items").fetchall():
        key = sqlite_schema._m004_title_key(title)
        conn.execute("UPDATE items SET title_key = ? WHERE id = ?", (key, item_id))
    conn.execute(
        "UPDATE items SET remind_count = coalesce((SELECT (data::jsonb ->> 'remind_count')::int"
        " FROM events WHERE item_id = items.id AND action IN ('add', 'import')"
        " ORDER BY seq LIMIT 1), 0) + (SELECT count(*) FROM events WHERE item_id = items.id"
        " AND action = 'remind' AND data::jsonb -> 'rule' IS NULL)"
    )
    keys = [name for name, _, _ in sqlite_schema._M004_COLUMNS]
    _fill_docs(conn, keys, ("co_units", "tags"))
    conn.execute(
        "CREATE INDEX items_open ON items(due, id) WHERE status IN ('registered', 'assigned')"
    )
    conn.execute("CREATE INDEX items_report_due ON items(report_due, id) WHERE status = 'assigned'")
    conn.execute("CREATE INDEX items_title_key ON items(title_key)")
    conn.execute("CREATE INDEX items_previous ON items(previous_id) WHERE previous_id IS NOT NULL")
    conn.execute("CREATE INDEX events_at ON events(at)")
    conn.execute(
        f"CREATE TABLE evidence (sha256 {T} PRIMARY KEY, size BIGINT NOT NULL, data BYTEA NOT NULL)"
    )
    _m004_logins(conn)


def _m004_logins(conn: Any) -> None:
    """Who may do what: `oa_logins` (read only by the owner, through oa_login_unit()),
    and row-level policies confining a unit login to its items and their events."""
    schema_name = conn.execute("SELECT current_schema()").fetchone()[0]
    conn.execute(
        f"CREATE TABLE oa_logins (login {T} PRIMARY KEY, role {T} NOT NULL, unit {T},"
        " CHECK (role IN ('office', 'unit', 'read-only')),"
        " CHECK ((role = 'unit') = (unit IS NOT NULL)))"
    )
    conn.execute(
        "CREATE FUNCTION oa_login_unit() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER"
        f' AS $$ SELECT unit FROM "{schema_name}".oa_logins WHERE login = session_user $$'
    )
    # `(SELECT oa_login_unit())` is computed once per query: NULL (not a unit) sees all.
    unit = "(SELECT oa_login_unit())"
    own = f"(unit = {unit} OR co_units::jsonb @> jsonb_build_array({unit}))"
    conn.execute("ALTER TABLE items ENABLE ROW LEVEL SECURITY")
    conn.execute(f"CREATE POLICY items_unit ON items USING ({unit} IS NULL OR {own})")
    mine = "item_id IN (SELECT id FROM items)"  # items as the login sees them
    conn.execute("ALTER TABLE events ENABLE ROW LEVEL SECURITY")
    conn.execute(f"CREATE POLICY events_read ON events FOR SELECT USING ({unit} IS NULL OR {mine})")
    conn.execute(
        "CREATE POLICY events_write ON events FOR INSERT WITH CHECK"
        f" ({unit} IS NULL OR ({mine} AND action IN ('ack', 'feedback')"
        " AND actor = session_user))"
    )
    _m004_guards(conn, schema_name)


# The hash of an event as ledger.journal computes it: the previous hash, then
# [seq,item_id,at,recorded_at,actor,action,data] as canonical JSON (to_json writes a
# string as Python's json.dumps(ensure_ascii=False) does).
_EVENT_HASH = (
    "encode(sha256(convert_to(NEW.prev_hash || '[' || NEW.seq || ','"
    " || coalesce(NEW.item_id::text, 'null') || ',' || to_json(NEW.at)::text || ','"
    " || to_json(NEW.recorded_at)::text || ',' || to_json(NEW.actor)::text || ','"
    " || to_json(NEW.action)::text || ',' || NEW.data || ']', 'UTF8')), 'hex')"
)


def _m004_guards(conn: Any, schema_name: str) -> None:
    """What PostgreSQL itself checks of a unit login's writes, whatever client it uses:
    an event follows the chain's last one with its true hash; the head row only ever
    names the last event; an evidence file is stored under its own hash and read only
    where an event the login sees names it."""
    q = f'"{schema_name}"'
    conn.execute(
        "CREATE FUNCTION oa_guard_event() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
        " AS $$ DECLARE last_seq bigint; last_hash text; BEGIN"
        f" IF {q}.oa_login_unit() IS NULL THEN RETURN NEW; END IF;"
        f" SELECT seq, hash INTO last_seq, last_hash FROM {q}.events ORDER BY seq DESC LIMIT 1;"
        " IF NEW.seq IS DISTINCT FROM coalesce(last_seq, 0) + 1"
        f" OR NEW.prev_hash IS DISTINCT FROM coalesce(last_hash, repeat('0', 64))"
        f" OR NEW.hash IS DISTINCT FROM {_EVENT_HASH} THEN"
        " RAISE EXCEPTION 'an event must follow the last one, with its own hash'"
        " USING ERRCODE = '42501'; END IF; RETURN NEW; END $$"
    )
    conn.execute(
        "CREATE TRIGGER events_guard BEFORE INSERT ON events"
        " FOR EACH ROW EXECUTE FUNCTION oa_guard_event()"
    )
    # the head follows a unit's event at once, whether its client moves it or not
    conn.execute(
        "CREATE FUNCTION oa_follow_event() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
        f" AS $$ BEGIN IF {q}.oa_login_unit() IS NOT NULL THEN"
        f" UPDATE {q}.head SET seq = NEW.seq, hash = NEW.hash; END IF; RETURN NULL; END $$"
    )
    conn.execute(
        "CREATE TRIGGER events_follow AFTER INSERT ON events"
        " FOR EACH ROW EXECUTE FUNCTION oa_follow_event()"
    )
    conn.execute(
        "CREATE FUNCTION oa_guard_head() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
        " AS $$ DECLARE last_seq bigint; last_hash text; BEGIN"
        f" IF {q}.oa_login_unit() IS NULL THEN RETURN NEW; END IF;"
        f" SELECT seq, hash INTO last_seq, last_hash FROM {q}.events ORDER BY seq DESC LIMIT 1;"
        " IF NEW.last_item_id IS DISTINCT FROM OLD.last_item_id"
        " OR NEW.seq IS DISTINCT FROM last_seq OR NEW.hash IS DISTINCT FROM last_hash"
        " THEN RAISE EXCEPTION 'the head names the last event only'"
        " USING ERRCODE = '42501'; END IF; RETURN NEW; END $$"
    )
    conn.execute(
        "CREATE TRIGGER head_guard BEFORE UPDATE ON head"
        " FOR EACH ROW EXECUTE FUNCTION oa_guard_head()"
    )
    unit = "(SELECT oa_login_unit())"
    conn.execute("ALTER TABLE evidence ENABLE ROW LEVEL SECURITY")
    conn.execute(
        "CREATE POLICY evidence_read ON evidence FOR SELECT USING"
        f" ({unit} IS NULL OR EXISTS (SELECT 1 FROM events e"
        " WHERE position(evidence.sha256 in e.data) > 0))"
    )
    conn.execute(
        "CREATE POLICY evidence_write ON evidence FOR INSERT WITH CHECK"
        f" ({unit} IS NULL OR (sha256 = encode(sha256(data), 'hex') AND size = length(data)))"
    )


SCHEMA_VERSION = len(MIGRATIONS)
assert [n for n, _ in MIGRATIONS] == [n for n, _ in sqlite_schema.MIGRATIONS], (
    "PostgreSQL migrations must follow ledger.schema's list"
)


def current_version(conn: Any) -> int:
    found = conn.execute("SELECT to_regclass('oa_schema') IS NOT NULL").fetchone()[0]
    if not found:
        return 0
    return int(conn.execute("SELECT count(*) FROM oa_schema").fetchone()[0])


def migrate(conn: Any) -> None:
    """Apply pending steps inside the caller's transaction (all or nothing), holding an
    advisory lock so a second `oa` waits instead of racing."""
    conn.execute("SELECT pg_advisory_xact_lock(7301)")  # any constant: oa's migration lock
    conn.execute(f"CREATE TABLE IF NOT EXISTS oa_schema (name {T} PRIMARY KEY, applied {T})")
    done = {row[0] for row in conn.execute("SELECT name FROM oa_schema").fetchall()}
    for name, step in MIGRATIONS:
        if name not in done:
            step(conn)
            conn.execute("INSERT INTO oa_schema (name, applied) VALUES (?, now()::text)", (name,))
