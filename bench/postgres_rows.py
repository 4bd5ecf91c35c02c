"""`make bench`, PostgreSQL part: the same ledger copied (`oa copy`) into a throwaway
PostgreSQL server that this run starts (tests/pgserver.py), the read commands timed
on both backends, interleaved. Skipped with a line when PostgreSQL is not installed."""

from __future__ import annotations

import os
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OPS = [
    ("add", ["add", "关于做好冬季供暖保障工作的批示"]),
    ("overdue --format jsonl", ["overdue", "--format", "jsonl"]),
    ("daily --format json", ["daily", "--format", "json"]),
    ("export --format jsonl", ["export", "--format", "jsonl"]),
]


def server() -> Any:
    """A started throwaway server, or None (said on stderr) when there is none."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    from pgserver import PgServer, _have_postgres

    reason = _have_postgres()
    if reason is not None:
        print(f"PostgreSQL rows skipped: {reason}", file=sys.stderr)
        return None
    import tempfile

    found = PgServer(Path(tempfile.mkdtemp(prefix="oa-bench-pg-")))
    found.start()
    return found


def bench(
    pg: Any, n: int, lite_env: dict[str, str], runs: int, run: Callable[..., Any], oa: str
) -> list[dict[str, Any]]:
    """Rows {size, op, pg_ms, sqlite_ms} for a ledger of n items."""
    url = pg.new_database()[1]
    run([oa, "copy", url], lite_env)
    pg_env = {**lite_env, "OA_DB": url}
    rows = []
    for name, args in OPS:
        times: dict[str, list[float]] = {"pg": [], "lite": []}
        for i in range(runs + 1):  # the first run is a warm-up
            for key, env in (("pg", pg_env), ("lite", lite_env)):
                seconds, _ = run([oa, *args], env)
                if i:
                    times[key].append(seconds)
        row = {"size": n, "op": name}
        row |= {f"{k}_ms": statistics.median(v) * 1000 for k, v in times.items()}
        rows.append(row)
        print(f"  PostgreSQL {name}: {row['pg_ms']:.0f} ms", file=sys.stderr)
    return rows


def table(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return []
    lines = [
        "## PostgreSQL",
        "",
        "The same ledger copied with `oa copy` into a PostgreSQL 15 server on this machine"
        " (unix socket), each command timed on both backends, interleaved"
        f" (`{os.path.basename(__file__)}`).",
        "",
        "| items | operation | PostgreSQL ms | SQLite ms | PostgreSQL/SQLite |",
        "|---:|---|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['size']:,} | {r['op']} | {r['pg_ms']:.0f} | {r['lite_ms']:.0f} "
            f"| {r['pg_ms'] / r['lite_ms']:.2f} |"
        )
    return [*lines, ""]
