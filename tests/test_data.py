"""Import and export with nothing lost, spreadsheets as offices keep them, units, backup."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from conftest import OA, Oa

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _load_examples(oa: Oa) -> None:
    oa.write_config((EXAMPLES / "config.yaml").read_text(encoding="utf-8"))
    oa.ok("import", str(EXAMPLES / "items.yaml"))
    # a little history on top of the imported state
    oa.ok("feedback", "4", "首报：已部署")
    oa.ok("escalate", "5", "--reason", "逾期")
    oa.ok("extend", "6", "--due", "+30wd", "--reason", "需协调")


def test_examples_load_every_status_source_and_priority(oa: Oa) -> None:
    _load_examples(oa)
    items = oa.ok("export", "--format", "json").json()
    assert len(items) == 41
    assert {i["status"] for i in items} == {"registered", "assigned", "closed", "cancelled"}
    assert {i["source"] for i in items} == {"instruction", "meeting", "document", "other"}
    assert {i["priority"] for i in items} == {"urgent", "high", "normal"}
    assert any(i["overdue"] for i in items) and any(i["card"] == "red" for i in items)
    assert [i["id"] for i in items] == list(range(1, 42))


@pytest.mark.parametrize("fmt", ["json", "jsonl", "yaml", "csv", "xlsx"])
def test_export_then_import_into_an_empty_ledger_gives_an_identical_export(
    oa: Oa, tmp_path: Path, fmt: str
) -> None:
    _load_examples(oa)
    first = oa.ok("export", "--format", "json").out
    path = tmp_path / f"ledger.{fmt}"
    oa.ok("export", "--format", fmt, "-o", str(path))
    oa.db = tmp_path / "second" / "ledger.db"
    oa.env["OA_DB"] = str(oa.db)
    oa.ok("import", str(path))
    assert oa.ok("export", "--format", "json").out == first
    oa.ok("verify")


def test_export_streams_in_id_order_to_stdout(oa: Oa) -> None:
    oa.add("甲", "--due", "2026-12-31")
    oa.add("乙", "--due", "2026-11-24")
    oa.ok("cancel", "1", "--reason", "r")
    lines = oa.ok("export", "--format", "jsonl").out.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [1, 2]


def test_xlsx_export_needs_a_file(oa: Oa) -> None:
    oa.fails(2, "export", "--format", "xlsx")


def test_xlsx_is_a_printable_workbook_and_a_full_sheet(oa: Oa, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    late = oa.add("逾期事项", "--unit", "市住建局", "--due", "2026-11-20")
    oa.add("未到期事项")
    oa.ok("feedback", str(late), "已部署，正在推进")
    oa.ok("escalate", str(late))
    path = tmp_path / "台账.xlsx"
    oa.ok("export", "-o", str(path))
    book = load_workbook(path)
    assert book.sheetnames == ["督办台账", "全部字段"]
    sheet = book["督办台账"]
    assert "督办台账" in sheet["A1"].value and "2026年11月23日" in sheet["A1"].value
    head = oa.ok("verify", "--format", "json").json()["head"]
    footer = sheet.oddFooter.left.text  # what the printed ledger says about itself
    assert f"{head['seq']}:{head['hash'][:12]}" in footer and "clerk" in footer
    headers = [c.value for c in sheet[2]]
    assert headers == ["序号", "编号", "事项", "批示领导", "承办单位", "协办单位", "时限",
                       "办理情况", "状态", "牌"]  # fmt: skip
    row = [c.value for c in sheet[3]]
    assert row[1] == late and row[7] == "已部署，正在推进" and row[8] == "在办"
    assert isinstance(row[6], dt.datetime) and row[6].date() == dt.date(2026, 11, 20)
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.print_title_rows == "$2:$2"
    full = book["全部字段"]
    assert [c.value for c in full[1]][:3] == ["编号", "事项", "批示内容"]


def test_csv_as_an_office_keeps_it(oa: Oa, tmp_path: Path) -> None:
    path = tmp_path / "台账.csv"
    path.write_text(
        "\ufeff序号,事项名称,批示领导,文号,来源,承办单位,协办单位,责任人,办理时限,状态,备注\n"
        "1,关于冬季供暖的批示,张书记,市委办〔2026〕41号,领导批示,市住建局,市发展改革委、市财政局,李科长,"
        "2026/12/01,已交办,\n"
        "2,关于营商环境的会议议定事项,王市长,,会议议定,,,,2026年12月15日,未交办,尽快交办\n",
        encoding="utf-8",
    )
    oa.ok("import", str(path))
    first, second = oa.ok("export", "--format", "json").json()
    assert (first["title"], first["leader"], first["unit"]) == (
        "关于冬季供暖的批示",
        "张书记",
        "市住建局",
    )
    assert first["co_units"] == ["市发展改革委", "市财政局"]
    assert (first["due"], first["status"], first["source"]) == (
        "2026-12-01",
        "assigned",
        "instruction",
    )
    assert (second["due"], second["status"], second["source"]) == (
        "2026-12-15",
        "registered",
        "meeting",
    )


def test_xlsx_as_an_office_keeps_it_with_date_cells(oa: Oa, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "事项", "批示领导", "责任单位", "完成时限", "紧急程度"])
    sheet.append(
        [1, "关于秸秆禁烧的批示", "张书记", "市生态环境局", dt.datetime(2026, 12, 3), "特急"]
    )
    sheet.append([2, "关于春运保障的批示", "王市长", None, "2026年12月20日", None])
    path = tmp_path / "督办台账.xlsx"
    book.save(path)
    oa.ok("import", str(path))
    first, second = oa.ok("export", "--format", "json").json()
    assert (first["due"], first["priority"], first["unit"]) == (
        "2026-12-03",
        "urgent",
        "市生态环境局",
    )
    assert (second["due"], second["status"]) == ("2026-12-20", "registered")


def test_date_cells_outside_the_supported_dates_are_refused_as_text_dates_are(
    oa: Oa, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["事项", "收文日期", "完成时限"])
    sheet.append(["早于1990的时限", dt.datetime(2026, 11, 2), dt.datetime(1900, 1, 1)])
    sheet.append(["早于1990的收文", dt.date(1950, 1, 1), dt.datetime(2026, 12, 3)])
    path = tmp_path / "旧台账.xlsx"
    book.save(path)
    lines = oa.fails(1, "import", str(path)).err.strip().splitlines()[1:]
    assert len(lines) == 2
    assert "row 2" in lines[0] and "due" in lines[0] and "1900-01-01" in lines[0]
    assert "row 3" in lines[1] and "received_at" in lines[1] and "1950-01-01" in lines[1]
    assert oa.ok("export", "--format", "json").json() == []


def test_an_assignment_a_record_cannot_have_is_named_not_half_kept(oa: Oa, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["事项", "收文日期", "交办日期", "承办单位", "办理情况"])
    sheet.append(["无单位有交办日期", "2026-11-02", "2026-11-03", None, None])
    sheet.append(["无单位有办理情况", "2026-11-02", None, None, "已部署"])
    sheet.append(["交办在将来", "2026-11-02", "2026-12-01", "市住建局", None])
    sheet.append(["交办早于收文", "2026-11-05", "2026-11-03", "市住建局", None])
    sheet.append(["同日交办", "2026-11-05 10:00", "2026-11-05", "市住建局", "已部署"])
    path = tmp_path / "交办.xlsx"
    book.save(path)
    lines = oa.fails(1, "--lang", "zh", "import", str(path)).err.strip().splitlines()[1:]
    assert len(lines) == 4
    for n, line in enumerate(lines, 1):
        assert line.startswith(f"oa：第 {n} 条记录（第 {n + 1} 行）："), line
    assert "交办时间" in lines[0] and "办理情况" in lines[1]
    assert "晚于当前时间" in lines[2] and "交办日期不能早于收文日期" in lines[3]
    assert oa.ok("export", "--format", "json").json() == []


def test_every_bad_record_is_listed_and_nothing_is_written(oa: Oa, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "- {title: 好的记录}\n- {title: '  '}\n- {title: 时限有误, due: 下周}\n"
        "- {title: 优先级有误, priority: asap}\n- {title: 未知字段, colour: red}\n",
        encoding="utf-8",
    )
    result = oa.fails(1, "import", str(path))
    lines = result.err.strip().splitlines()
    assert "4" in lines[0]
    assert any("record 2" in line and "title" in line for line in lines)
    assert any("record 3" in line and "due" in line for line in lines)
    assert any("record 4" in line and "priority" in line for line in lines)
    assert any("record 5" in line and "colour" in line for line in lines)
    assert oa.ok("export", "--format", "json").json() == []
    assert oa.ok("log", "--format", "json").json() == []


def test_dry_run_writes_nothing(oa: Oa) -> None:
    result = oa.ok("import", "-", "--format", "jsonl", "--dry-run", input='{"title": "甲"}\n')
    assert result.err == "dry run: valid records: 1; nothing written\n"
    assert oa.ok("export", "--format", "json").json() == []


def test_relative_dates_in_records_count_from_today(oa: Oa) -> None:
    oa.ok(
        "import",
        "-",
        "--format",
        "json",
        input='[{"title": "甲", "received": "-3d", "due": "+5wd"}]',
    )
    item = oa.item(1)
    assert item["received_at"] == "2026-11-20T09:00:00+08:00"
    assert item["due"] == "2026-11-30"


@pytest.mark.parametrize(
    ("name", "text", "needle"),
    [
        ("a.yaml", "- title: a\n  due: [unclosed\n", "line"),
        ("a.json", '{"title": "not a list"}', "list"),
        ("a.json", '[{"title": "a"}', "JSON"),
        ("a.csv", "名称,时限\n甲,2026-12-01\n", "title"),
        ("a.txt", "title\n", "--format"),
        ("a.jsonl", '{"title": "a"}\nnot json\n', "line 2"),
    ],
)
def test_malformed_files_are_one_clear_error(
    oa: Oa, tmp_path: Path, name: str, text: str, needle: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = oa.fails(1, "import", str(path))
    assert needle in result.err


def test_excel_chinese_csv_is_read_as_gb18030_and_said_so(oa: Oa, tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("事项名称,承办单位\n供暖,市住建局\n".encode("gbk"))
    assert "GB18030" in oa.ok("import", str(path)).err
    assert oa.item(1)["title"] == "供暖"


def test_invalid_utf8_json_is_a_clear_error(oa: Oa, tmp_path: Path) -> None:
    path = tmp_path / "gbk.json"
    path.write_bytes('[{"title": "供暖"}]'.encode("gbk"))
    assert "UTF-8" in oa.fails(1, "import", str(path)).err


def test_an_id_already_taken_is_refused(oa: Oa) -> None:
    oa.add()
    assert (
        "id"
        in oa.fails(1, "import", "-", "--format", "json", input='[{"id": 1, "title": "x"}]').err
    )


def test_unit_directory_from_config_and_unit_add(oa: Oa) -> None:
    oa.write_config(
        "units:\n  - {code: fgw, name: 市发展改革委}\n  - {code: czj, name: 市财政局}\n"
    )
    oa.ok("unit", "add", "zjj", "市住建局", "--contact", "城建科")
    units = oa.ok("unit", "list", "--format", "json").json()
    assert [u["code"] for u in units] == ["fgw", "czj", "zjj"]
    item_id = str(oa.add())
    oa.ok("assign", item_id, "czj", "--co", "zjj")
    item = oa.item(int(item_id))
    assert (item["unit"], item["co_units"]) == ("市财政局", ["市住建局"])
    result = oa.fails(1, "assign", item_id, "市发改委")
    assert "市发展改革委" in result.err
    oa.fails(1, "add", "事项", "--unit", "市财政厅")
    oa.fails(1, "unit", "add", "fgw", "重复")
    assert (
        "市住建"
        in oa.fails(
            1, "import", "-", "--format", "json", input='[{"title": "a", "unit": "市住建"}]'
        ).err
    )


def test_an_unknown_co_unit_in_an_import_is_one_problem_named_once(oa: Oa) -> None:
    oa.write_config("units:\n  - {code: czj, name: 市财政局}\n")
    records = [
        {"title": "甲", "unit": "市财政局", "co_units": ["市审计局"]},
        {"title": "", "unit": "市财政局", "co_units": ["市审计局"]},
    ]
    result = oa.fails(
        1, "import", "-", "--format", "json", input=json.dumps(records, ensure_ascii=False)
    )
    unknown = "co_units: unknown unit '市审计局'; did you mean: 市财政局?"
    assert result.err.splitlines() == [
        "oa: nothing imported; problems found: 3",
        f"oa: record 1: {unknown}",
        "oa: record 2: title: must not be empty",
        f"oa: record 2: {unknown}",
    ]
    assert oa.ok("export", "--format", "json").json() == []


def test_a_record_with_only_its_assignment_time_was_received_then(oa: Oa) -> None:
    sheet = oa.tmp / "交办.csv"
    sheet.write_text(
        "事项名称,承办单位,办理时限,交办日期\n事项甲,市住建局,2026-11-30,2026-11-20\n",
        encoding="utf-8",
    )
    oa.ok("import", str(sheet))
    item = oa.ok("export", "--format", "json").json()[0]
    assert (item["received_at"], item["assigned_at"]) == (
        "2026-11-20T00:00:00+08:00",
        "2026-11-20T00:00:00+08:00",
    )


def test_a_file_is_checked_before_any_ledger_exists_and_none_is_made(no_ledger: Oa) -> None:
    oa = no_ledger
    sheet = oa.tmp / "登记表.csv"
    sheet.write_text("事项名称,承办单位\n事项甲,市住建局\n,市财政局\n", encoding="utf-8")
    result = oa.fails(1, "import", str(sheet), "--dry-run")
    assert result.err.splitlines()[-1] == "oa: record 2 (row 3): title: must not be empty"
    sheet.write_text("事项名称,承办单位\n事项甲,市住建局\n", encoding="utf-8")
    ok = oa.ok("import", str(sheet), "--dry-run")
    assert ok.err == "dry run: valid records: 1; nothing written\n"
    assert not oa.db.exists() and not oa.db.parent.exists()
    oa.db.parent.mkdir(parents=True)
    oa.db.touch()  # an empty file is no ledger yet: the real import would make one there
    assert oa.ok("import", str(sheet), "--dry-run").err == ok.err
    assert oa.db.stat().st_size == 0


def test_without_a_directory_any_unit_is_accepted(oa: Oa) -> None:
    oa.add("事项", "--unit", "某某单位")
    assert oa.ok("unit", "list", "--format", "json").json() == []


def test_backup_while_a_writer_runs_gives_a_sound_ledger(oa: Oa, tmp_path: Path) -> None:
    records = "\n".join(json.dumps({"title": f"事项{i}"}, ensure_ascii=False) for i in range(3000))
    env = {**oa.env, "OA_NOW": oa.now}
    writer = subprocess.Popen(
        [OA, "import", "-", "--format", "jsonl"],
        stdin=subprocess.PIPE,
        env=env,
        stderr=subprocess.PIPE,
    )
    copies = []
    writer.stdin.write(records.encode())  # type: ignore[union-attr]
    writer.stdin.close()  # type: ignore[union-attr]
    for n in range(3):
        copy = tmp_path / f"copy{n}.db"
        oa.ok("backup", str(copy))
        copies.append(copy)
    assert writer.wait(timeout=120) == 0
    for copy in copies:
        result = oa.ok("--db", str(copy), "verify")
        count = len(oa.ok("--db", str(copy), "export", "--format", "jsonl").out.splitlines())
        assert count in (0, 3000)  # all of the import or none of it
        assert "chain intact" in result.out
    last = tmp_path / "after.db"
    oa.ok("backup", str(last))
    assert len(oa.ok("--db", str(last), "export", "--format", "jsonl").out.splitlines()) == 3000


def test_backup_refuses_to_overwrite_without_force(oa: Oa, tmp_path: Path) -> None:
    oa.add()
    dest = tmp_path / "copy.db"
    oa.ok("backup", str(dest))
    oa.fails(1, "backup", str(dest))
    oa.ok("backup", str(dest), "--force")
    assert oa.ok("--db", str(dest), "export", "--format", "json").json()[0]["id"] == 1


def test_export_format_follows_the_file_name(oa: Oa, tmp_path: Path) -> None:
    oa.add("甲")
    for name, check in (
        ("a.jsonl", lambda t: json.loads(t.splitlines()[0])["id"] == 1),
        ("a.json", lambda t: json.loads(t)[0]["id"] == 1),
        ("a.csv", lambda t: t.startswith("id,title,")),
        ("a.yml", lambda t: t.startswith("- id: 1")),
        ("a.txt", lambda t: json.loads(t)[0]["id"] == 1),
    ):
        oa.ok("export", "-o", str(tmp_path / name))
        assert check((tmp_path / name).read_text(encoding="utf-8")), name


def test_jsonl_with_line_separators_inside_values_round_trips(oa: Oa, tmp_path: Path) -> None:
    # U+0085 and U+2028 are line breaks to str.splitlines, not to JSON Lines
    oa.add("甲\x85乙\u2028丙")
    path = tmp_path / "e.jsonl"
    oa.ok("export", "-o", str(path))
    first = oa.ok("export", "--format", "jsonl").out
    oa.db = tmp_path / "second" / "ledger.db"
    oa.env["OA_DB"] = str(oa.db)
    oa.ok("import", str(path))
    assert oa.ok("export", "--format", "jsonl").out == first


def test_an_office_sheet_with_its_total_row_and_its_own_words(oa: Oa) -> None:
    sheet = oa.tmp / "台账.csv"
    sheet.write_text(
        "序号,事项名称,来文单位/文号,承办单位,状态,办理进展,办结依据\n"
        "1,老旧小区改造,市委办〔2026〕3号,市住建局,在办,已开工,\n"
        "2,供暖保障,,市住建局,已办结,,市住建局报告\n"
        "合 计,共2项,,,,,\n",
        encoding="utf-8",
    )
    done = oa.ok("--lang", "zh", "import", str(sheet))
    assert done.err.splitlines() == [
        "oa：提示：1 条已办结记录未写办结时间，按导入时刻记为办结；"
        "已过时限的，考核时计为逾期办结（请补填办结时间）",
        "已导入 2 件事项",
        "oa：提示：第 4 行为合计行，未作为事项导入",
    ]
    first = oa.item(1)
    assert (first["doc_no"], first["feedback_count"]) == ("市委办〔2026〕3号", 1)
    assert oa.item(2)["closed_at"] == "2026-11-23T09:00:00+08:00"
