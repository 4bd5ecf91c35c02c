"""`make bench`: oa against Taskwarrior on ledgers of 10k, 100k and 1M items.

Every command is timed as a whole process (median of --runs after one warm-up),
oa and Taskwarrior interleaved and the operations taken round-robin, with each
process's peak RSS from GNU time. The
ledgers are built with `oa import` (that time is reported too) under bench/data/,
which git ignores. Taskwarrior is optional (Debian package `taskwarrior`); when it
is missing, only oa's figures are written. Results go to bench/RESULTS.md."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import postgres_rows as bench_pg  # bench/postgres_rows.py, beside this file

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
OA = str(Path(sys.executable).with_name("oa"))
UNITS = [
    "市发展改革委",
    "市财政局",
    "市教育局",
    "市住建局",
    "市民政局",
    "市卫健委",
    "市公安局",
    "市应急管理局",
    "市生态环境局",
    "市交通运输局",
    "市农牧局",
    "市商务局",
    "市自然资源局",
    "市人社局",
    "市市场监管局",
    "市水务局",
    "市信访局",
    "各旗县市区",
]
LEADERS = ["张书记", "王市长", "刘副书记", "孙副市长", "赵秘书长"]
TODAY = dt.date(2026, 11, 23)
NOW = "2026-11-23T08:30:00"


def records(n: int, seed: int = 7) -> Iterator[dict]:
    """A realistic mix: mostly assigned, some unassigned, closed and cancelled; due dates
    spread around today so that some are overdue and some due soon."""
    rnd = random.Random(seed)
    for i in range(n):
        received = TODAY - dt.timedelta(days=rnd.randint(0, 120))
        due = received + dt.timedelta(days=rnd.randint(3, 60))
        kind = rnd.random()
        rec = {
            "title": f"关于第{i}号督办事项的批示",
            "leader": rnd.choice(LEADERS),
            "received": received.isoformat(),
            "due": due.isoformat(),
            "priority": rnd.choice(["urgent", "high", "normal", "normal", "normal"]),
        }
        if kind > 0.08:
            rec["unit"] = rnd.choice(UNITS)
        if kind > 0.80 and due < TODAY:
            rec.update(status="closed", close_basis="书面报告", closed_at=due.isoformat())
        elif kind < 0.02:
            rec["status"] = "cancelled"
        yield rec


def run(
    args: list[str], env: dict[str, str], stdin: bytes | None = None, tty: bool = False
) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one process. The process is started by GNU
    time (`/usr/bin/time -f %M`) when it is there: Linux counts a child's peak from the
    fork, so a child forked from this (larger) process would show this process's size.
    With `tty`, its output goes to a pseudo-terminal (80 columns, as an unsized one is
    taken) that a thread here reads, as a terminal would."""
    meter = shutil.which("time", path="/usr/bin:/bin")
    main_fd = reader = None
    out: int = subprocess.DEVNULL
    if tty:
        main_fd, out = os.openpty()
        reader = threading.Thread(target=_drain, args=(main_fd,), daemon=True)
        reader.start()
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file:
        argv = [meter, "-q", "-f", "%M", "-o", rss_file.name, *args] if meter else args
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            env=env,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=out,
            stderr=out if tty else subprocess.DEVNULL,
        )
        if stdin:
            assert proc.stdin is not None
            proc.stdin.write(stdin)
            proc.stdin.close()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        if tty:
            os.close(out)  # the reader sees the end and stops
            assert reader is not None and main_fd is not None
            reader.join()
            os.close(main_fd)
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1, 3):
            raise SystemExit(f"{' '.join(args)} failed with {code}")
        measured = rss_file.read().strip().splitlines()
    peak = int(measured[-1]) if meter and measured and measured[-1].isdigit() else usage.ru_maxrss
    return elapsed, peak


def _drain(fd: int) -> None:
    """Read a pseudo-terminal's output until it is closed (or it fills and stalls oa)."""
    with contextlib.suppress(OSError):
        while os.read(fd, 1 << 16):
            pass


def oa_env(n: int) -> dict[str, str]:
    return {
        **os.environ,
        "OA_DB": str(DATA / f"oa-{n}.db"),
        "OA_NOW": NOW,
        "OA_CONFIG": str(DATA / "none.yaml"),
        "TZ": os.environ.get("TZ", "Asia/Shanghai"),
        "OA_USER": "bench",
    }


def build_oa(n: int) -> tuple[float, int]:
    """A fresh ledger of n items by `oa import`: its seconds and peak RSS."""
    env = oa_env(n)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{env['OA_DB']}{suffix}").unlink(missing_ok=True)
    src = DATA / f"items-{n}.jsonl"
    if not src.exists():
        with open(src, "w", encoding="utf-8") as f:
            for rec in records(n):
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return run([OA, "import", str(src)], env)


def task_record(i: int, rec: dict) -> dict:
    entry = rec["received"].replace("-", "") + "T000000Z"
    task_rec = {
        "uuid": f"00000000-0000-4000-8000-{i:012d}",
        "description": rec["title"],
        "entry": entry,
        "due": rec["due"].replace("-", "") + "T000000Z",
        "status": "pending",
        "project": rec.get("unit", "未交办"),
    }
    if rec.get("status") == "closed":
        task_rec.update(status="completed", end=task_rec["due"])
    elif rec.get("status") == "cancelled":
        task_rec.update(status="deleted", end=entry)
    return task_rec


def build_task(n: int) -> tuple[dict[str, str], float] | None:
    """A fresh Taskwarrior database of the same n records by `task import`: its
    environment and the seconds the import took."""
    task = shutil.which("task")
    if task is None:
        return None
    home = DATA / f"task-{n}"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    rc = home / "taskrc"
    rc.write_text(
        f"data.location={home}\nconfirmation=no\nverbose=nothing\njson.array=on\n"
        "recurrence=off\nhooks=off\n",
        encoding="utf-8",
    )
    env = {**os.environ, "TASKRC": str(rc), "TASKDATA": str(home)}
    # Streamed to a file: the benchmark process stays small, so a child's peak RSS
    # (which Linux counts from the fork) is the child's own.
    src = DATA / f"task-{n}.json"
    if not src.exists():
        with open(src, "w", encoding="utf-8") as f:
            f.write("[")
            for i, rec in enumerate(records(n)):
                f.write(("," if i else "") + json.dumps(task_record(i, rec), ensure_ascii=False))
            f.write("]")
    seconds, _ = run([task, "import", str(src)], env)
    return env, seconds


OPERATIONS = [  # name, oa arguments, Taskwarrior arguments (None: no equivalent)
    ("add", ["add", "关于做好冬季供暖保障工作的批示"], ["add", "关于做好冬季供暖保障工作的批示"]),
    ("assign", ["assign", "2", "市财政局"], ["2", "modify", "project:市财政局"]),
    ("list --format tsv", ["list", "--format", "tsv"], ["status:pending", "export"]),
    ("overdue --format jsonl", ["overdue", "--format", "jsonl"], ["+OVERDUE", "export"]),
    ("daily --format json", ["daily", "--format", "json"], ["status:pending", "export"]),
    ("export --format jsonl", ["export", "--format", "jsonl"], ["export"]),
    # after its warm-up run, nothing is left for the rules to act on that day
    ("escalate --auto", ["escalate", "--auto", "--format", "json"], None),
    ("daily --format html", ["daily", "--format", "html"], None),
    ("weekly --format json", ["weekly", "--format", "json"], None),
    ("stats --format json", ["stats", "--format", "json"], None),
    # a terminal, as the section head reads it (capped per section): through a pty
    ("daily on a terminal", ["@terminal", "daily"], None),
    ("overdue on a terminal", ["@terminal", "overdue"], None),
    ("weekly on a terminal", ["@terminal", "weekly"], None),
]

# Issue #18's targets: (row, limit, the row it is measured against; None: Taskwarrior's
# time on the same row). RSS limits are checked for every report row.
TARGETS = [
    ("import", 1.0, None),
    ("daily on a terminal", 1.5, "daily --format json"),
    ("overdue on a terminal", 1.5, "overdue --format jsonl"),
    ("weekly on a terminal", 1.5, "weekly --format json"),
    ("weekly --format json", 3.0, "overdue --format jsonl"),
    ("daily --format html", 3.0, "overdue --format jsonl"),
    ("escalate --auto", 2.0, "overdue --format jsonl"),
]
REPORT_RSS_MB = 150
IMPORT_RSS_MB = 200

QUICK_OPS = ("add", "assign")


def command(oa_args: list[str]) -> tuple[list[str], bool]:
    """The process to time, `oa ARGS`, and whether it writes to a pseudo-terminal (the
    terminal rows)."""
    if oa_args and oa_args[0] == "@terminal":
        return [OA, *oa_args[1:]], True
    return [OA, *oa_args], False


def import_row(n: int, runs: int, with_task: bool) -> tuple[dict, dict[str, str] | None]:
    """`oa import` of n records into a fresh ledger, and `task import` of the same
    records into a fresh database, interleaved; the last ledgers stay for the other rows."""
    oa_times, task_times, rss = [], [], 0
    task_env = None
    for _ in range(runs):
        seconds, peak = build_oa(n)
        oa_times.append(seconds)
        rss = max(rss, peak)
        built = build_task(n) if with_task else None
        if built is not None:
            task_env, task_seconds = built
            task_times.append(task_seconds)
    row = {
        "size": n,
        "op": "import",
        "oa_ms": statistics.median(oa_times) * 1000,
        "oa_rss": rss,
        "task_ms": statistics.median(task_times) * 1000 if task_times else None,
    }
    print(f"  import: {row['oa_ms']:.0f} ms, {rss / 1024:.0f} MB", file=sys.stderr)
    return row, task_env


def bench_size(n: int, runs: int, with_task: bool, pg: Any = None) -> tuple[list[dict], list[dict]]:
    print(f"building {n} items…", file=sys.stderr)
    first, task_env = import_row(n, 3 if n <= 100_000 else 1, with_task)
    rows = [first]
    env = oa_env(n)
    pg_rows = bench_pg.bench(pg, n, env, runs, run, OA) if pg is not None else []
    # Round-robin: every operation once a round, so the VM's drift (its speed moves by
    # tens of percent over minutes) falls alike on the rows a target compares. Writes of
    # one item take ~0.1 s, where the noise is ±20%: three times the rounds for them.
    counts = {name: runs * 3 if name in QUICK_OPS else runs for name, _, _ in OPERATIONS}
    oa_times: dict[str, list[float]] = {name: [] for name in counts}
    task_times: dict[str, list[float]] = {name: [] for name in counts}
    rss = dict.fromkeys(counts, 0)
    for i in range(max(counts.values()) + 1):  # round 0 is a warm-up
        for name, oa_args, task_args in OPERATIONS:
            if i > counts[name]:
                continue
            argv, tty = command(oa_args)
            seconds, peak = run(argv, env, tty=tty)
            if i:
                oa_times[name].append(seconds)
                rss[name] = max(rss[name], peak)
            if task_env is not None and task_args is not None:
                seconds, _ = run(["task", *task_args], task_env)
                if i:
                    task_times[name].append(seconds)
    for name in counts:
        rows.append(
            {
                "size": n,
                "op": name,
                "oa_ms": statistics.median(oa_times[name]) * 1000,
                "oa_rss": rss[name],
                "task_ms": statistics.median(task_times[name]) * 1000 if task_times[name] else None,
            }
        )
        print(f"  {name}: {rows[-1]['oa_ms']:.0f} ms", file=sys.stderr)
    return rows, pg_rows


def target_lines(rows: list[dict]) -> list[str]:
    """Each of issue #18's targets against this run's figures."""
    lines = [
        "## Targets (issue #18)",
        "",
        "| items | row | measured | against | ratio | target | met |",
        "|---:|---|---:|---|---:|---:|---|",
    ]
    by = {(r["size"], r["op"]): r for r in rows}
    for size in sorted({r["size"] for r in rows}):
        for op, limit, base in TARGETS:
            row = by.get((size, op))
            if row is None:
                continue
            if base is None:
                if row["task_ms"] is None:
                    continue
                against, other = "`task import`", row["task_ms"]
            elif (size, base) in by:
                against, other = f"`{base}`", by[(size, base)]["oa_ms"]
            else:
                continue
            ratio = row["oa_ms"] / other
            lines.append(
                f"| {size:,} | {op} | {row['oa_ms']:.0f} ms | {against} {other:.0f} ms "
                f"| {ratio:.2f} | ≤ {limit} | {'yes' if ratio <= limit else 'NO'} |"
            )
        for row in (r for r in rows if r["size"] == size):
            limit = IMPORT_RSS_MB if row["op"] == "import" else REPORT_RSS_MB
            if row["op"] in QUICK_OPS or row["op"].startswith(("list", "export", "escalate")):
                continue
            mb = row["oa_rss"] / 1024
            lines.append(
                f"| {size:,} | {row['op']}: peak RSS | {mb:.0f} MB | | | ≤ {limit} MB "
                f"| {'yes' if mb <= limit else 'NO'} |"
            )
    return [*lines, ""]


def startup_ms(runs: int) -> tuple[float, float]:
    """`oa --version` and a bare Typer app of the same version, interleaved."""
    code = "import typer\napp = typer.Typer()\n@app.command()\ndef hi() -> None: pass\napp()\n"
    env = dict(os.environ)
    version, bare = [], []
    for _ in range(runs * 3 + 1):
        version.append(run([OA, "--version"], env)[0])
        bare.append(run([sys.executable, "-c", code], env)[0])
    return statistics.median(version[1:]) * 1000, statistics.median(bare[1:]) * 1000


def write_results(
    rows: list[dict], pg_rows: list[dict], version_ms: float, bare_ms: float, runs: int
) -> str:
    task = shutil.which("task")
    task_version = (
        subprocess.run([task, "--version"], capture_output=True, text=True).stdout if task else ""
    )
    lines = [
        "# Benchmark results",
        "",
        f"Run {dt.date.today().isoformat()} by `make bench` on the development machine: "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {__import__('sqlite3').sqlite_version}"
        + (f", Taskwarrior {task_version.strip()}" if task else ", Taskwarrior not installed")
        + ".",
        "",
        f"Median of {runs} whole-process runs after one warm-up ({runs * 3} for add, assign and"
        f" start-up; {max(1, runs // 2)} at 1M items; 3 imports at 10k and 100k, 1 at 1M);"
        " oa and Taskwarrior interleaved, and the operations round-robin (each once a round),"
        " so drift falls alike on the rows a target compares."
        " Peak RSS is oa's own (measured by GNU time)."
        " Ratio = oa / task (below 1.0: oa is faster).",
        "",
        f"Start-up: `oa --version` {version_ms:.0f} ms; a bare Typer app of the same version "
        f"{bare_ms:.0f} ms.",
        "",
        "| items | operation | oa ms | oa peak RSS MB | task ms | oa/task |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        task_ms = "" if r["task_ms"] is None else f"{r['task_ms']:.0f}"
        ratio = "" if r["task_ms"] is None else f"{r['oa_ms'] / r['task_ms']:.2f}"
        lines.append(
            f"| {r['size']:,} | {r['op']} | {r['oa_ms']:.0f} | {r['oa_rss'] / 1024:.0f} "
            f"| {task_ms} | {ratio} |"
        )
    lines += [
        "",
        "Taskwarrior's matching commands: `task import` of the same records into an empty "
        "database, `task add`, `task N modify project:…`, "
        "`task status:pending export` (for list and daily), `task +OVERDUE export`, "
        "`task export`; it has no equivalent of `escalate --auto`.",
        "",
        *target_lines(rows),
        *bench_pg.table(pg_rows),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--task-max", type=int, default=100000, help="largest ledger also loaded into Taskwarrior"
    )
    parser.add_argument("--out", default=str(HERE / "RESULTS.md"))
    parser.add_argument(
        "--pg-max", type=int, default=100000, help="largest ledger also timed on PostgreSQL"
    )
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    # Byte-compile oa as an install would: with an editable install and
    # PYTHONDONTWRITEBYTECODE set (as on this sandbox), every run would compile it anew.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "src")], check=True)
    rows: list[dict] = []
    pg_rows: list[dict] = []
    pg = bench_pg.server()
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            runs = args.runs if size <= 100_000 else max(1, args.runs // 2)
            found, on_pg = bench_size(
                size, runs, size <= args.task_max, pg if size <= args.pg_max else None
            )
            rows, pg_rows = rows + found, pg_rows + on_pg
    finally:
        if pg is not None:
            pg.stop()
    version_ms, bare_ms = startup_ms(args.runs)
    text = write_results(rows, pg_rows, version_ms, bare_ms, args.runs)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
