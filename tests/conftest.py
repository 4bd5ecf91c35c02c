"""Tests run `oa` as a user would: a temporary ledger, a fixed clock.

`oa(...)` runs `oa_cli.cli.app.main()` in this process (argv, environment, stdin, captured
stdout/stderr bytes, exit code): the same bytes and exit code as the installed `oa`, without
a Python start-up per call. `oa.process(...)` runs the real `oa` in a subprocess, for tests
that need a real process (pty, signals, concurrency, start-up, broken pipe): mark those
`@pytest.mark.process`."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

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

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.db = tmp / "data" / "ledger.db"
        self.config = tmp / "config.yaml"
        self.now = "2026-11-23T09:00:00"
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(tmp / "home"),
            "TZ": "Asia/Shanghai",
            "LANG": "C.UTF-8",
            "OA_DB": str(self.db),
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
        """Make an empty ledger at the runner's path."""
        from oa_cli.ledger.connection import open_ledger

        open_ledger(self.db).close()

    def write_config(self, text: str) -> None:
        self.config.write_text(text, encoding="utf-8")


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
    config.addinivalue_line(
        "markers", "process: runs the real `oa` in a subprocess (pty, signals, start-up...)"
    )
    config.addinivalue_line("markers", "pg: needs the throwaway PostgreSQL server")


@pytest.fixture
def oa(tmp_path: Path) -> Oa:
    """A clerk's ledger, made (empty) before the test, as `oa` makes it on a first write."""
    runner = Oa(tmp_path)
    runner.init()
    return runner


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
