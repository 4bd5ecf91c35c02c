"""Chinese in, not only out: every enum option takes the office's words, in both
interface languages, and a wrong one is a usage error listing the Chinese choices."""

from __future__ import annotations

import pytest
from conftest import Oa


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_enum_option_takes_the_chinese_forms(oa: Oa, lang: str) -> None:
    first = int(
        oa.ok(
            "--lang", lang, "add", "关于供暖的批示", "--priority", "加急", "--source", "领导批示",
            "--unit", "市住建局",
        ).out
    )  # fmt: skip
    second = int(
        oa.ok("--lang", lang, "add", "会议事项", "--priority", "特提", "--source", "会议纪要").out
    )
    third = int(oa.ok("--lang", lang, "add", "来文", "--priority", "急件", "--source", "文件").out)
    items = {i["id"]: i for i in oa.ok("export", "--format", "json").json()}
    assert (items[first]["priority"], items[first]["source"]) == ("high", "instruction")
    assert (items[second]["priority"], items[second]["source"]) == ("urgent", "meeting")
    assert (items[third]["priority"], items[third]["source"]) == ("high", "document")
    oa.ok("--lang", lang, "escalate", str(first), "--level", "黄牌")
    assert oa.item(first)["card"] == "yellow"
    oa.ok("--lang", lang, "escalate", str(first), "--level", "红牌")
    assert oa.item(first)["card"] == "red"
    oa.ok("--lang", lang, "edit", str(second), "--priority", "平件")
    assert oa.item(second)["priority"] == "normal"

    def ids(*args: str) -> list[int]:
        return [i["id"] for i in oa.ok("--lang", lang, "list", *args, "--format", "json").json()]

    assert (
        ids("--status", "在办") == ids("--status", "已交办") == ids("--status", "办理中") == [first]
    )
    assert ids("--status", "待交办", "--sort", "id") == [second, third]
    assert ids("--status", "已办") == ids("--status", "已办结") == []  # 已办: what clerks say
    assert ids("--priority", "特急") == []
    assert ids("--priority", "加急", "--sort", "id") == [first, third]
    rows = oa.ok("--lang", lang, "stats", "--by", "单位", "--format", "json").json()["rows"]
    assert {r["group"] for r in rows} == {"市住建局", None}
    by_leader = oa.ok("--lang", lang, "stats", "--by", "批示领导", "--format", "json").json()
    assert by_leader["rows"][0]["group"] is None
    assert oa.ok("--lang", lang, "stats", "--by", "紧急程度", "--format", "json").json()["rows"]


def test_a_wrong_value_lists_the_chinese_choices_under_zh(oa: Oa) -> None:
    err = oa.fails(2, "--lang", "zh", "add", "事项", "--priority", "很急").err.splitlines()[0]
    assert err.startswith("oa：") and "缓急" in err
    assert "特急、加急、平件" in err
    err = oa.fails(2, "--lang", "zh", "list", "--status", "进行中").err
    assert "待交办" in err and "在办" in err
    err = oa.fails(2, "--lang", "en", "list", "--status", "doing").err
    assert "registered, assigned, closed, cancelled" in err


def test_unit_aliases_from_the_config(oa: Oa) -> None:
    oa.write_config(
        "units:\n  - {code: fgw, name: 市发展改革委, aliases: [发改委, 市发改委]}\n"
        "  - {code: zjj, name: 市住建局}\n"
    )
    item = oa.add("事项", "--unit", "发改委", "--co", "zjj")
    assert (oa.item(item)["unit"], oa.item(item)["co_units"]) == ("市发展改革委", ["市住建局"])
    assert "市发展改革委" in oa.fails(1, "assign", str(item), "发展委").err


def test_chinese_dates_in_options(oa: Oa) -> None:
    for text, due in (
        ("2026.12.20", "2026-12-20"),
        ("2026年12月21日", "2026-12-21"),
        ("12月22日", "2026-12-22"),
        ("2026/12/23", "2026-12-23"),
    ):
        assert oa.item(oa.add("事项", "--due", text))["due"] == due
    assert oa.item(oa.add("事项", "--due", "下周三"))["due"] == "2026-12-02"
    err = oa.fails(1, "--lang", "zh", "add", "事项", "--due", "下下周三").err
    assert err.startswith("oa：时限“下下周三”") and "MM月DD日" in err  # the forms it takes


def test_a_unit_by_its_name_without_its_place_when_that_names_no_other(oa: Oa) -> None:
    oa.write_config(
        "units:\n"
        "  - {code: rsj, name: 市人社局}\n"
        "  - {code: czj, name: 市财政局}\n"
        "  - {code: qczj, name: 区财政局}\n"
        "  - {code: bgs, name: 市政府办公室}\n"
    )
    item = oa.add("关于稳就业的批示", "--unit", "人社局", "--co", "政府办公室")
    assert (oa.item(item)["unit"], oa.item(item)["co_units"]) == ("市人社局", ["市政府办公室"])
    both = oa.fails(1, "add", "关于预算的批示", "--unit", "财政局").err
    assert "unknown unit '财政局'" in both and "市财政局" in both and "区财政局" in both
    # an ending alone names nothing (办公室 could be any office's), nor does a name cut
    # anywhere but after its place
    assert "unknown unit '办公室'" in oa.fails(1, "add", "事项", "--unit", "办公室").err
    assert "unknown unit '府办公室'" in oa.fails(1, "add", "事项", "--unit", "府办公室").err
    assert "did you mean: 市财政局、区财政局?" not in both  # English joins with commas
    zh = oa.fails(1, "--lang", "zh", "add", "事项", "--unit", "财政局").err
    assert "是否指：市财政局、区财政局？" in zh


def test_an_unknown_unit_is_offered_the_unit_whose_alias_holds_it(oa: Oa) -> None:
    oa.write_config("units:\n  - {code: rsj, name: 市人力资源和社会保障局, aliases: [人社局]}\n")
    err = oa.fails(1, "--lang", "zh", "add", "事项", "--unit", "人社").err
    assert err.strip() == "oa：未知单位“人社”；是否指：市人力资源和社会保障局？"
