"""Tests run `oa` as a user would: a temporary ledger, a fixed clock.

`oa(...)` runs `oa_cli.cli.app.main()` in this process (argv, environment, stdin, captured
stdout/stderr bytes, exit code): the same bytes and exit code as the installed `oa`, without
a Python start-up per call. `oa.process(...)` runs the real `oa` in a subprocess, for tests
that need a real process (pty, signals, concurrency, start-up, broken pipe): mark those
`@pytest.mark.process`.

Backends: a module with `pytestmark = pytest.mark.backends` runs each test that uses `oa`
(or a fixture built on it) twice, `[sqlite]` on a ledger file and `[pg]` on a fresh
database of the session's throwaway PostgreSQL server (skipped, with the reason, where
PostgreSQL cannot run). A test that cannot run on PostgreSQL says why with
`@pytest.mark.sqlite_only("reads the SQLite file")`; one where the product is wrong on
PostgreSQL with `@pytest.mark.pg_xfail("what differs")` (a strict xfail on `[pg]`)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pgserver import Ledgers, shared_server

# Every test runs on the office's clock, in-process calls included.
os.environ["TZ"] = "Asia/Shanghai"
time.tzset()

OA = str(Path(sys.executable).with_name("oa"))


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


class Oa:
    """Runs `oa` against one temporary ledger; `now` is the fixed clock (OA_NOW)."""

    def __init__(self, tmp: Path, url: str | None = None) -> None:
        self.tmp = tmp
        self.db = tmp / "data" / "ledger.db"
        self.url = url  # a PostgreSQL ledger's URL: then OA_DB, and `db` is not used
        self.backend = "pg" if url else "sqlite"
        self.config = tmp / "config.yaml"
        self.now = "2026-11-23T09:00:00"
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(tmp / "home"),
            "TZ": "Asia/Shanghai",
            "LANG": "C.UTF-8",
            "OA_DB": url or str(self.db),
            "OA_CONFIG": str(self.config),
            "OA_USER": "clerk",
            "PYTHONIOENCODING": "utf-8",
        }

    def __call__(
        self,
        *args: str,
        now: str | None = None,
        input: str | None = None,
        env: dict[str, str] | None = None,
    ) -> Result:
        """`oa ARGS` in this process, as faithful to the real one as the tests need."""
        full_env = {**self.env, "OA_NOW": now or self.now, **(env or {})}
        return run_in_process(list(args), full_env, input)

    def process(
        self,
        *args: str,
        now: str | None = None,
        input: str | None = None,
        env: dict[str, str] | None = None,
    ) -> Result:
        """`oa ARGS` as a real process (the installed entry point)."""
        full_env = {**self.env, "OA_NOW": now or self.now, **(env or {})}
        proc = subprocess.run(
            [OA, *args],
            capture_output=True,
            text=True,
            env=full_env,
            input=input,
            encoding="utf-8",
            errors="replace",
            timeout=120,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def ok(self, *args: str, **kw: Any) -> Result:
        result = self(*args, **kw)
        assert result.code == 0, f"oa {' '.join(args)} → {result.code}\n{result.err}"
        assert "Traceback" not in result.err
        return result

    def fails(self, code: int, *args: str, **kw: Any) -> Result:
        result = self(*args, **kw)
        assert result.code == code, (
            f"oa {' '.join(args)} → {result.code}, wanted {code}\n{result.out}\n{result.err}"
        )
        assert "Traceback" not in result.err
        return result

    def add(self, title: str = "关于做好冬季供暖保障工作的批示", *args: str, **kw: Any) -> int:
        return int(self.ok("add", title, *args, **kw).out)

    def item(self, item_id: int, **kw: Any) -> dict[str, Any]:
        return self.ok("show", str(item_id), "--format", "json", **kw).json()

    def init(self) -> None:
        """Make an empty ledger at the runner's path (a PostgreSQL one is made already)."""
        from oa_cli.ledger.connection import open_ledger

        if self.url is None:
            open_ledger(self.db).close()

    def sql(self, statement: str, *params: object) -> list[tuple[Any, ...]]:
        """Run one statement (`?` placeholders) on the ledger behind `oa`'s back, as
        someone holding the file, or the database's owner, could; committed."""
        if self.url is None:
            import sqlite3

            conn = sqlite3.connect(self.db)
            try:
                rows = conn.execute(statement, params).fetchall()
                conn.commit()
            finally:
                conn.close()
            return rows
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as pg:
            cursor = pg.execute(statement.replace("?", "%s"), params)  # type: ignore[arg-type]
            return [tuple(row) for row in cursor.fetchall()] if cursor.description else []

    def write_config(self, text: str) -> None:
        self.config.write_text(text, encoding="utf-8")


def numbered_records(path: Path, n: int) -> Path:
    """A JSONL file of `n` records 事项0 … 事项{n-1}, each due in five working days: a
    load long enough to be killed midway."""
    records = (json.dumps({"title": f"事项{i}", "due": "+5wd"}) for i in range(n))
    path.write_text("\n".join(records), encoding="utf-8")
    return path


def side_by_side(tmp: Path, pg_url: str) -> tuple[Oa, Oa]:
    """An empty SQLite ledger and the PostgreSQL ledger at `pg_url`, for the same
    commands on both: the SQLite clerk is named as PostgreSQL's login, the actor there."""
    lite = Oa(tmp / "lite")
    lite.env["OA_USER"] = "postgres"
    lite.init()
    shared = Oa(tmp / "shared", url=pg_url)
    shared.config.parent.mkdir(parents=True)
    return lite, shared


def _decode(data: bytes) -> str:
    """As `subprocess.run(text=True, errors="replace")` decodes: universal newlines."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="replace").read()


def run_in_process(argv: list[str], env: dict[str, str], stdin: str | None) -> Result:
    from oa_cli.cli.app import main
    from oa_cli.cli.state import reset_state

    out, err = io.BytesIO(), io.BytesIO()
    streams = (sys.argv, sys.stdin, sys.stdout, sys.stderr)
    saved_env = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    time.tzset()
    sys.argv = ["oa", *argv]
    sys.stdin = io.TextIOWrapper(io.BytesIO((stdin or "").encode("utf-8")), encoding="utf-8")
    sys.stdout = out_text = io.TextIOWrapper(out, encoding="utf-8", errors="strict")
    sys.stderr = err_text = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace")
    code = 0
    try:
        reset_state()
        main()
    except SystemExit as exc:
        code = _exit_code(exc.code)
    except Exception:  # as the interpreter would: the trace on stderr, exit 1
        traceback.print_exc()
        code = 1
    finally:
        for stream in (out_text, err_text):
            with contextlib.suppress(ValueError):  # closed by the command
                stream.flush()
        data = out.getvalue(), err.getvalue()
        sys.argv, sys.stdin, sys.stdout, sys.stderr = streams
        reset_state()
        os.environ.clear()
        os.environ.update(saved_env)
        time.tzset()
    return Result(code, _decode(data[0]), _decode(data[1]))


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # sys.exit("text"): printed, exit 1
    return 1


def pytest_configure(config: pytest.Config) -> None:
    for line in (
        "process: runs the real `oa` in a subprocess (pty, signals, start-up...)",
        "pg: needs the throwaway PostgreSQL server",
        "backends: tests using `oa` run on SQLite and on PostgreSQL ([sqlite], [pg])",
        "sqlite_only(reason): in a `backends` module, the [pg] case is skipped: why",
        "pg_xfail(reason): in a `backends` module, the [pg] case is a strict xfail: "
        "the product differs on PostgreSQL",
    ):
        config.addinivalue_line("markers", line)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`backends` modules: the `backend` of each test using `oa` is sqlite, then pg."""
    if "backend" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("backends") is None:
        return
    pg_marks: list[pytest.MarkDecorator] = [pytest.mark.pg]
    if (only := metafunc.definition.get_closest_marker("sqlite_only")) is not None:
        pg_marks.append(pytest.mark.skip(reason=f"SQLite only: {_reason(only)}"))
    if (wrong := metafunc.definition.get_closest_marker("pg_xfail")) is not None:
        pg_marks.append(pytest.mark.xfail(reason=_reason(wrong), strict=True))
    metafunc.parametrize(
        "backend",
        [pytest.param("sqlite", id="sqlite"), pytest.param("pg", id="pg", marks=pg_marks)],
    )


def _reason(mark: pytest.Mark) -> str:
    return str(mark.kwargs.get("reason") or (mark.args[0] if mark.args else ""))


def pytest_sessionfinish(session: pytest.Session) -> None:
    from pgserver import stop_shared_server

    stop_shared_server()


@pytest.fixture
def backend() -> str:
    """Where `oa` keeps its ledger: "sqlite" unless the module asks for both."""
    return "sqlite"


@pytest.fixture(scope="session")
def pg_ledgers() -> Iterator[Ledgers]:
    """Fresh PostgreSQL ledgers, each a copy of one migrated template (actor `clerk`)."""
    ledgers = Ledgers(shared_server(), user="clerk")
    yield ledgers
    ledgers.close()


@pytest.fixture
def oa(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> Iterator[Oa]:
    """A clerk's ledger, made (empty) before the test, as `oa` makes it on a first write;
    on the `[pg]` run, a fresh database of the throwaway server."""
    if backend == "sqlite":
        runner = Oa(tmp_path)
        runner.init()
        yield runner
        return
    ledgers: Ledgers = request.getfixturevalue("pg_ledgers")
    url = ledgers.new()
    try:
        yield Oa(tmp_path, url)
    finally:
        ledgers.drop(url)


@pytest.fixture
def no_ledger(tmp_path: Path) -> Oa:
    """Runs `oa` where no ledger exists yet."""
    return Oa(tmp_path)


@pytest.fixture
def assigned(oa: Oa) -> Callable[..., int]:
    """Factory: an item assigned to a unit, received on the fixed clock's day."""

    def make(*args: str, unit: str = "市住建局") -> int:
        return oa.add("关于做好冬季供暖保障工作的批示", "--unit", unit, *args)

    return make
