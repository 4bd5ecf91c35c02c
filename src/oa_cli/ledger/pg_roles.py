"""`oa grant`: logins of a PostgreSQL ledger and what each may do.

The table privileges say which statements a login may run; the row-level policies
of schema 4 (`pg_schema._m004_logins`) confine a unit login to reading its items,
their events and evidence. A unit login writes no table itself: its `ack` and
`feedback` are the functions of schema 5 (`pg_schema._m005_unit_functions`), which
build the event and the item's changes on the server, the next report's deadline from
the office's working days and `feedback.every` that `publish_rules` keeps there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from oa_cli.errors import OaError, UsageError
from oa_cli.i18n import t

if TYPE_CHECKING:
    from oa_cli.ledger.pg import PgLedger

ROLES = ("office", "unit", "read-only")
TABLES = (
    "items",
    "events",
    "units",
    "auto_actions",
    "evidence",
    "head",
    "oa_workdays",
    "oa_rules",
    "oa_schema",
)

_PRIVILEGES: dict[str, list[str]] = {
    "office": [f"SELECT, INSERT, UPDATE, DELETE ON {table}" for table in TABLES[:-1]]
    + ["SELECT ON oa_schema"],
    "read-only": [f"SELECT ON {table}" for table in TABLES],
    "unit": ["SELECT ON items, events, units, evidence, head, oa_schema"],
}


def grant(ledger: PgLedger, login: str, role: str, unit: str | None = None) -> None:
    """Give `login` (created, without a password, when missing) one role on the ledger;
    a unit role names its unit. Run by the ledger's owner."""
    if role not in ROLES:
        raise UsageError(
            t("unknown role {role}: use --office, --unit UNIT or --read-only", role=role)
        )
    if (role == "unit") != (unit is not None and unit.strip() != ""):
        raise UsageError(t("--unit needs the unit's name, and only a unit role takes one"))
    with ledger.raw_transaction():
        _ensure_login(ledger, login)
        _refuse_unconfined(ledger, login, role)
        name = _ident(ledger, login)
        ledger.conn.execute(f"REVOKE ALL ON {', '.join(TABLES)} FROM {name}")
        for privilege in _PRIVILEGES[role]:
            ledger.conn.execute(f"GRANT {privilege} TO {name}")
        ledger.conn.execute(
            "INSERT INTO oa_logins (login, role, unit) VALUES (?, ?, ?) ON CONFLICT (login)"
            " DO UPDATE SET role = excluded.role, unit = excluded.unit",
            (login, role, unit.strip() if unit else None),
        )


def _refuse_unconfined(ledger: PgLedger, login: str, role: str) -> None:
    """A superuser, a login that bypasses row-level security or the ledger's owner sees
    and may change everything, whatever role it is given: only --office fits it."""
    if role == "office":
        return
    row = ledger.conn.execute(
        "SELECT rolsuper OR rolbypassrls OR rolname = (SELECT tableowner FROM pg_tables"
        " WHERE tablename = 'items' AND schemaname = current_schema()) FROM pg_roles"
        " WHERE rolname = ?",
        (login,),
    ).fetchone()
    if row is not None and row[0]:
        raise OaError(
            t(
                "{login} is a superuser or owns the ledger: PostgreSQL would not confine it;"
                " give the role to a login of its own",
                login=login,
            )
        )


def grants(ledger: PgLedger, login: str | None = None) -> list[dict[str, Any]]:
    """Every login given a role (or only `login`), by name: {"login", "role", "unit"}."""
    found = ledger.conn.execute(
        "SELECT login, role, unit FROM oa_logins WHERE ?::text IS NULL OR login = ? ORDER BY login",
        (login, login),
    )
    return [{"login": r[0], "role": r[1], "unit": r[2]} for r in found]


def publish_rules(
    ledger: PgLedger,
    every: int,
    first: dt.date,
    last: dt.date,
    workdays: Iterable[dt.date],
    mark: str = "",
) -> None:
    """Keep on the ledger what a unit login's feedback needs for its next deadline:
    `feedback.every` and the office's working days from `first` to `last` (computed by
    `domain.calendar`; the ledger only stores them), under `mark` (what `published`
    gives back, to tell whether they changed). Inside the caller's transaction."""
    conn = ledger.conn
    conn.execute("DELETE FROM oa_workdays")
    conn.execute(
        "INSERT INTO oa_workdays (day) SELECT unnest(?::text[])",
        ([d.isoformat() for d in workdays],),
    )
    conn.execute("DELETE FROM oa_rules")
    conn.executemany(
        "INSERT INTO oa_rules (name, value) VALUES (?, ?)",
        [
            ("feedback_every", str(every)),
            ("workdays_from", first.isoformat()),
            ("workdays_until", last.isoformat()),
            ("published", mark),
        ],
    )


def published(ledger: PgLedger) -> dict[str, str]:
    """The rules as last published, by name (empty: never)."""
    return {str(k): str(v) for k, v in ledger.conn.execute("SELECT name, value FROM oa_rules")}


def published_days(ledger: PgLedger, first: dt.date, last: dt.date) -> list[str]:
    """The working days published from `first` to `last`, in order."""
    found = ledger.conn.execute(
        "SELECT day FROM oa_workdays WHERE day BETWEEN ? AND ? ORDER BY day",
        (first.isoformat(), last.isoformat()),
    )
    return [str(row[0]) for row in found]


def _ident(ledger: PgLedger, login: str) -> str:
    return str(ledger.conn.execute("SELECT quote_ident(?)", (login,)).fetchone()[0])


def _ensure_login(ledger: PgLedger, login: str) -> None:
    if not login or len(login.encode()) > 63:
        raise UsageError(t("a login name has 1 to 63 bytes: {login}", login=login))
    exists = ledger.conn.execute("SELECT 1 FROM pg_roles WHERE rolname = ?", (login,)).fetchone()
    if exists is None:
        if not ledger.owned():
            raise OaError(
                t("cannot create the login {login}: only the ledger's owner can", login=login)
            )
        try:
            ledger.conn.execute(f"CREATE ROLE {_ident(ledger, login)} LOGIN")
        except OaError:
            raise OaError(
                t(
                    "cannot create the login {login}: the ledger's owner needs CREATEROLE"
                    " (or make it first: createuser {login})",
                    login=login,
                )
            ) from None
