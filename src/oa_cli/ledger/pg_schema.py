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


@migration
def m005_unit_functions(conn: Any) -> None:
    """A unit login writes nothing itself: its `ack` and `feedback` are two functions
    that build the event, its hash and the item's changes on the server (see
    `_m005_unit_functions`); the office's working days and `feedback.every` are kept
    in the ledger for them (`oa_workdays`, `oa_rules`, written by `oa grant`)."""
    conn.execute(f"CREATE TABLE oa_workdays (day {T} PRIMARY KEY)")
    conn.execute(f"CREATE TABLE oa_rules (name {T} PRIMARY KEY, value {T} NOT NULL)")
    for trigger, table in (
        ("events_guard", "events"),
        ("events_follow", "events"),
        ("head_guard", "head"),
    ):
        conn.execute(f"DROP TRIGGER {trigger} ON {table}")
    for function in ("oa_guard_event", "oa_follow_event", "oa_guard_head"):
        conn.execute(f"DROP FUNCTION {function}()")
    _m005_unit_functions(conn)
    units = conn.execute("SELECT login FROM oa_logins WHERE role = 'unit'").fetchall()
    for (login,) in units:
        name = conn.execute("SELECT quote_ident(?)", (login,)).fetchone()[0]
        conn.execute(f"REVOKE INSERT, UPDATE, DELETE ON items, events, head, evidence FROM {name}")
    for login, role in conn.execute("SELECT login, role FROM oa_logins").fetchall():
        name = conn.execute("SELECT quote_ident(?)", (login,)).fetchone()[0]
        rights = "SELECT, INSERT, UPDATE, DELETE" if role == "office" else "SELECT"
        conn.execute(f"GRANT {rights} ON oa_workdays, oa_rules TO {name}")


# Each function runs as the ledger's owner with the schema's own names first, so a
# unit's temporary objects cannot stand in for them.
_DEFINER = "LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, {schema}, pg_temp"
_HELPER = "LANGUAGE plpgsql SET search_path = pg_catalog, {schema}, pg_temp"

# The item the unit login may write to now (its own, assigned), locked after the head
# row, as an office write locks them; `at` between the assignment and the server's now.
_UNIT_ITEM = r"""
CREATE FUNCTION oa_unit_item(p_item bigint, p_at text) RETURNS items {helper} AS $$
DECLARE u text := oa_login_unit(); it items;
BEGIN
  IF u IS NULL THEN
    RAISE EXCEPTION 'only a unit''s login writes through this function' USING ERRCODE = '42501';
  END IF;
  PERFORM 1 FROM head FOR UPDATE;
  SELECT * INTO it FROM items WHERE id = p_item
    AND (unit = u OR co_units::jsonb @> jsonb_build_array(u)) FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'item % is not one of %''s items', p_item, u USING ERRCODE = '42501';
  END IF;
  IF it.status <> 'assigned' THEN
    RAISE EXCEPTION 'item % is not assigned', p_item USING ERRCODE = '55000';
  END IF;
  IF p_at IS NULL OR p_at !~ '^\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$'
    OR p_at::timestamptz < coalesce(it.assigned_at, it.received_at)::timestamptz
    OR p_at::timestamptz > clock_timestamp() + interval '{slack}' THEN
    RAISE EXCEPTION 'the time % is before the assignment or after now', p_at
      USING ERRCODE = 'OA002', DETAIL = coalesce(p_at, '');
  END IF;
  RETURN it;
END $$"""

# The next event of the chain, by the session's login, with its true hash; the head
# row follows it. recorded_at is the server's clock, in `at`'s offset.
_UNIT_APPEND = r"""
CREATE FUNCTION oa_unit_append(p_item bigint, p_action text, p_at text, p_data text)
RETURNS bigint {helper} AS $$
DECLARE h head; off text := right(p_at, 6); recorded text; s bigint; digest text;
BEGIN
  SELECT * INTO h FROM head;
  recorded := to_char(clock_timestamp() AT TIME ZONE 'UTC' + off::interval,
    'YYYY-MM-DD"T"HH24:MI:SS') || off;
  s := h.seq + 1;
  digest := encode(sha256(convert_to(h.hash || '[' || s || ',' || p_item || ','
    || to_json(p_at)::text || ',' || to_json(recorded)::text || ','
    || to_json(session_user::text)::text || ',' || to_json(p_action)::text || ','
    || p_data || ']', 'UTF8')), 'hex');
  INSERT INTO events (seq, item_id, at, recorded_at, actor, action, data, prev_hash, hash)
    VALUES (s, p_item, p_at, recorded, session_user, p_action, p_data, h.hash, digest);
  UPDATE head SET seq = s, hash = digest;
  RETURN s;
END $$"""

# One value of the stored object replaced by its new JSON text: a key followed by `":`
# can only be the object's own key (a quote inside a string is escaped).
_DOC_SET = r"""
CREATE FUNCTION oa_doc_set(p_doc text, p_key text, p_json text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT regexp_replace(p_doc, '"' || p_key || '":(null|"([^"\\]|\\.)*"|-[0-9]+|[0-9]+)',
    '"' || p_key || '":' || replace(p_json, '\', '\\'))
$$"""

_UNIT_ACK = r"""
CREATE FUNCTION oa_unit_ack(p_item bigint, p_by text, p_at text) RETURNS bigint
{definer} AS $$
DECLARE it items; v_by text := nullif(btrim(p_by), '');
BEGIN
  it := oa_unit_item(p_item, p_at);
  IF it.acked_at IS NOT NULL THEN
    RAISE EXCEPTION 'item % was already acknowledged', p_item USING ERRCODE = '55000';
  END IF;
  UPDATE items SET acked_at = p_at, doc = oa_doc_set(doc, 'acked_at', to_json(p_at)::text)
    WHERE id = p_item;
  RETURN oa_unit_append(p_item, 'ack', p_at, '{{"acked_at":' || to_json(p_at)::text
    || coalesce(',"by":' || to_json(v_by)::text, '') || '}}');
END $$"""

# The next report's deadline: `feedback.every` working days after `at`'s day, on the
# office's calendar as `oa grant` last wrote it.
_REPORT_DUE = r"""
CREATE FUNCTION oa_report_due(p_day text) RETURNS text {helper} AS $$
DECLARE every int := (SELECT value::int FROM oa_rules WHERE name = 'feedback_every');
  since text := (SELECT value FROM oa_rules WHERE name = 'workdays_from'); due text;
BEGIN
  IF every = 0 THEN RETURN p_day; END IF;
  SELECT day INTO due FROM oa_workdays WHERE day > p_day ORDER BY day OFFSET every - 1 LIMIT 1;
  IF every IS NULL OR since IS NULL OR p_day < since OR due IS NULL THEN
    RAISE EXCEPTION 'the office''s working days around % are not on the ledger', p_day
      USING ERRCODE = 'OA001', DETAIL = p_day;
  END IF;
  RETURN due;
END $$"""

# Evidence files stored under their own hash; the event's record of them.
_UNIT_FILES = r"""
CREATE FUNCTION oa_unit_files(p_names text[], p_files bytea[]) RETURNS text {helper} AS $$
DECLARE n int := coalesce(array_length(p_files, 1), 0); sha text; parts text[] := '{{}}';
BEGIN
  IF coalesce(array_length(p_names, 1), 0) <> n THEN
    RAISE EXCEPTION 'one name for each file' USING ERRCODE = '22023';
  END IF;
  FOR i IN 1..n LOOP
    sha := encode(sha256(p_files[i]), 'hex');
    INSERT INTO evidence (sha256, size, data) VALUES (sha, length(p_files[i]), p_files[i])
      ON CONFLICT DO NOTHING;
    parts := parts || ('{{"name":' || to_json(p_names[i])::text || ',"sha256":"' || sha
      || '","size":' || length(p_files[i]) || '}}');
  END LOOP;
  RETURN CASE WHEN n > 0 THEN '[' || array_to_string(parts, ',') || ']' END;
END $$"""

_UNIT_FEEDBACK = r"""
CREATE FUNCTION oa_unit_feedback(p_item bigint, p_text text, p_progress int, p_ref text,
  p_by text, p_names text[], p_files bytea[], p_at text) RETURNS bigint {definer} AS $$
DECLARE it items; v_due text; v_files text; v_n int;
  v_by text := nullif(btrim(p_by), ''); v_ref text := nullif(btrim(p_ref), '');
BEGIN
  IF p_text IS NULL OR btrim(p_text) = '' OR p_progress NOT BETWEEN 0 AND 100 THEN
    RAISE EXCEPTION 'a report has its text, and a progress from 0 to 100'
      USING ERRCODE = '22023';
  END IF;
  it := oa_unit_item(p_item, p_at);
  v_due := oa_report_due(left(p_at, 10));
  v_files := oa_unit_files(p_names, p_files);
  v_n := it.feedback_count + 1;
  UPDATE items SET feedback_count = v_n, last_feedback_at = p_at, report_due = v_due,
    doc = oa_doc_set(oa_doc_set(oa_doc_set(doc, 'feedback_count', v_n::text),
      'last_feedback_at', to_json(p_at)::text), 'report_due', to_json(v_due)::text)
    WHERE id = p_item;
  RETURN oa_unit_append(p_item, 'feedback', p_at, '{{' || concat_ws(',',
    '"answered":' || to_json(it.report_due)::text,
    '"by":' || to_json(v_by)::text,
    '"feedback_count":' || v_n,
    '"files":' || v_files,
    '"kind":' || CASE WHEN it.feedback_count = 0 THEN '"first"' ELSE '"follow_up"' END,
    '"last_feedback_at":' || to_json(p_at)::text,
    '"progress":' || p_progress,
    '"ref":' || to_json(v_ref)::text,
    '"report_due":' || to_json(v_due)::text,
    '"text":' || to_json(p_text)::text) || '}}');
END $$"""


def _m005_unit_functions(conn: Any) -> None:
    schema_name = conn.execute("SELECT quote_ident(current_schema())").fetchone()[0]
    helper, definer = (f.format(schema=schema_name) for f in (_HELPER, _DEFINER))
    for sql in (_UNIT_ITEM, _UNIT_APPEND, _REPORT_DUE, _UNIT_FILES):
        conn.execute(sql.format(helper=helper, slack="5 minutes"))
    conn.execute(_DOC_SET)
    for sql in (_UNIT_ACK, _UNIT_FEEDBACK):
        conn.execute(sql.format(definer=definer))
    helpers = (
        "oa_unit_item(bigint, text)",
        "oa_unit_append(bigint, text, text, text)",
        "oa_report_due(text)",
        "oa_unit_files(text[], bytea[])",
    )
    conn.execute(f"REVOKE EXECUTE ON FUNCTION {', '.join(helpers)} FROM PUBLIC")


@migration
def m006_alerts_by_day(conn: Any) -> None:
    """What `escalate --auto` did on a day, found without reading every day's rows."""
    conn.execute("CREATE INDEX auto_actions_day ON auto_actions(day, rule, item_id)")


@migration
def m007_open_rows(conn: Any) -> None:
    """Nothing on PostgreSQL: SQLite's step of that name widens its covering index of
    open items; PostgreSQL's planner reads the table's own pages."""


# Schema 8's oa_unit_item: as m005's, and `at` not before the item's latest event either,
# so a unit's report cannot be slipped in before what the office already recorded (a
# return, a reminder, a missed-report alert) to look on time.
_M008_UNIT_ITEM = r"""
CREATE OR REPLACE FUNCTION oa_unit_item(p_item bigint, p_at text) RETURNS items {helper} AS $$
DECLARE u text := oa_login_unit(); it items;
BEGIN
  IF u IS NULL THEN
    RAISE EXCEPTION 'only a unit''s login writes through this function' USING ERRCODE = '42501';
  END IF;
  PERFORM 1 FROM head FOR UPDATE;
  SELECT * INTO it FROM items WHERE id = p_item
    AND (unit = u OR co_units::jsonb @> jsonb_build_array(u)) FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'item % is not one of %''s items', p_item, u USING ERRCODE = '42501';
  END IF;
  IF it.status <> 'assigned' THEN
    RAISE EXCEPTION 'item % is not assigned', p_item USING ERRCODE = '55000';
  END IF;
  IF p_at IS NULL OR p_at !~ '^\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$'
    OR p_at::timestamptz < coalesce(it.assigned_at, it.received_at)::timestamptz
    OR p_at::timestamptz < (SELECT max(at::timestamptz) FROM events WHERE item_id = p_item)
    OR p_at::timestamptz > clock_timestamp() + interval '{slack}' THEN
    RAISE EXCEPTION 'the time % is before the assignment or the item''s latest event, or after now',
      p_at USING ERRCODE = 'OA002', DETAIL = coalesce(p_at, '');
  END IF;
  RETURN it;
END $$"""


# Schema 8's oa_unit_ack: as m005's, and only the lead unit signs for its assignment (a
# co-unit's ack took the lead's: the lead could never sign; a co-unit reports instead).
_M008_UNIT_ACK = r"""
CREATE OR REPLACE FUNCTION oa_unit_ack(p_item bigint, p_by text, p_at text) RETURNS bigint
{definer} AS $$
DECLARE it items; v_by text := nullif(btrim(p_by), '');
BEGIN
  it := oa_unit_item(p_item, p_at);
  IF it.unit IS DISTINCT FROM oa_login_unit() THEN
    RAISE EXCEPTION 'item % is signed for by its lead unit', p_item
      USING ERRCODE = 'OA003', DETAIL = coalesce(it.unit, '');
  END IF;
  IF it.acked_at IS NOT NULL THEN
    RAISE EXCEPTION 'item % was already acknowledged', p_item USING ERRCODE = '55000';
  END IF;
  UPDATE items SET acked_at = p_at, doc = oa_doc_set(doc, 'acked_at', to_json(p_at)::text)
    WHERE id = p_item;
  RETURN oa_unit_append(p_item, 'ack', p_at, '{{"acked_at":' || to_json(p_at)::text
    || coalesce(',"by":' || to_json(v_by)::text, '') || '}}');
END $$"""


@migration
def m008_unit_times_in_order(conn: Any) -> None:
    """A unit's ack and report are dated no earlier than the item's latest event, and
    only the lead unit signs for an assignment."""
    schema_name = conn.execute("SELECT quote_ident(current_schema())").fetchone()[0]
    helper = _HELPER.format(schema=schema_name)
    conn.execute(_M008_UNIT_ITEM.format(helper=helper, slack="5 minutes"))
    conn.execute(_M008_UNIT_ACK.format(definer=_DEFINER.format(schema=schema_name)))


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
