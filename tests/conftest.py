"""Every test runs the installed `oa` as a user would: a temporary ledger, a fixed clock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

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

    def write_config(self, text: str) -> None:
        self.config.write_text(text, encoding="utf-8")


@pytest.fixture
def oa(tmp_path: Path) -> Oa:
    return Oa(tmp_path)


@pytest.fixture
def assigned(oa: Oa) -> Callable[..., int]:
    """Factory: an item assigned to a unit, received on the fixed clock's day."""

    def make(*args: str, unit: str = "市住建局") -> int:
        return oa.add("关于做好冬季供暖保障工作的批示", "--unit", unit, *args)

    return make
