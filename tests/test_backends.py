"""Every command behaves the same on a shared PostgreSQL ledger as on a SQLite file:
the same scenario through `oa` on both gives the same bytes (the journal's real
recording time, and so its hashes, aside)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Oa, side_by_side
from pgserver import PgServer, pg_server_fixture, pg_url_fixture  # noqa: F401  (fixtures)

pytestmark = pytest.mark.pg
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _scenario(oa: Oa) -> None:
    mon = "2026-11-23T09:00"
    oa.write_config((EXAMPLES / "config.yaml").read_text(encoding="utf-8"))
    oa.ok("import", str(EXAMPLES / "items.yaml"), now=mon)
    a = oa.add("关于做好冬季供暖保障工作的批示", "--unit", "zjj", "--priority", "加急", now=mon)
    b = oa.add("关于优化营商环境的会议议定事项", "--source", "会议纪要", now=mon)
    oa.ok("assign", str(b), "市发展改革委", "--co", "市商务局", now="2026-11-24T09:00")
    oa.ok("ack", str(a), "--by", "李科长", now="2026-11-23T10:00")
    oa.ok("feedback", str(a), "收到，正在研究", now="2026-11-24T10:00")
    oa.ok("return", str(a), "--reason", "内容空泛", now="2026-11-25T10:00")
    oa.ok("extend", str(b), "--due", "+20wd", "--reason", "需省厅批复", now="2026-11-25T10:00")
    oa.ok("close", "3", "--basis", "已办结，见报告", now="2026-11-26T10:00")
    for day in ("2026-11-26", "2026-11-27", "2026-11-30"):
        oa.ok("escalate", "--auto", now=day + "T07:30")


def _outputs(oa: Oa) -> dict[str, str]:
    now = "2026-11-30T09:00"
    out = {  # the anchor differs: the journal's real recording time is in every hash
        args: "".join(
            line
            for line in oa.ok(*args.split(), now=now).out.splitlines(keepends=True)
            if not line.startswith("# 台账校验码")
        )
        for args in (
            "list --all --format json",
            "export --format jsonl",
            "export --format csv",
            "list --format tsv",
            "overdue --format jsonl",
            "--lang zh list --format table",
            "stats --format csv",
            "notice --format json",
        )
    }
    for args in (
        "daily --format json",
        "daily --date 2026-11-25 --format json",
        "weekly --format json",
    ):
        report = json.loads(oa.ok(*args.split(), now=now).out)
        report.pop("anchor")
        out[args] = json.dumps(report, ensure_ascii=False)
    timeline = oa.ok("show", "1", "--format", "json", now=now).json()["timeline"]
    out["timeline"] = json.dumps(
        [{k: v for k, v in e.items() if k not in ("recorded_at", "hash")} for e in timeline],
        ensure_ascii=False,
    )
    return out


def test_the_same_scenario_gives_the_same_output_on_both_backends(
    tmp_path: Path, pg_url: str
) -> None:
    lite, shared = side_by_side(tmp_path, pg_url)
    _scenario(lite)
    _scenario(shared)
    mine, theirs = _outputs(lite), _outputs(shared)
    for key in mine:
        assert theirs[key] == mine[key], key
    assert shared.ok("verify", "--format", "json").json()["ok"] is True


def test_copy_a_clerks_file_into_the_shared_ledger_and_back(tmp_path: Path, pg_url: str) -> None:
    lite = Oa(tmp_path / "lite")
    lite.init()
    _scenario(lite)
    head = lite.ok("verify", "--format", "json").json()["head"]
    lite.ok("copy", pg_url)
    shared = Oa(tmp_path / "shared")
    shared.env["OA_DB"] = pg_url
    assert shared.ok("verify", "--format", "json").json()["head"] == head
    back = tmp_path / "back.db"
    shared.ok("copy", str(back))
    again = Oa(tmp_path / "again")
    again.env["OA_DB"] = str(back)
    assert again.ok("verify", "--format", "json").json()["head"] == head
    assert again.ok("export", "--format", "jsonl").out == lite.ok("export", "--format", "jsonl").out
    assert "not empty" in lite.fails(1, "--lang", "en", "copy", pg_url).err
