"""Configuration: defaults when absent; unknown keys, wrong types, bad YAML are exit 1."""

from __future__ import annotations

import pytest
from conftest import Oa


def test_no_config_file_means_defaults(oa: Oa) -> None:
    assert not oa.config.exists()
    oa.add()


def test_a_full_config_is_accepted(oa: Oa) -> None:
    oa.write_config(
        "calendar: cn\nholidays: [2026-11-24]\nworkdays: ['2026-11-28']\n"
        "deadlines: {urgent: 1, high: 2, normal: 5}\nfeedback: {first_within: 3, every: 5}\n"
        "escalation: {remind_before_due: 2, yellow_after: 1, red_after: 5}\n"
        "units:\n  - {code: fgw, name: 市发展改革委, contact: 张三}\n"
    )
    # Mon 11-23 + 5 wd, skipping the 24th and counting Saturday the 28th
    assert oa.item(oa.add("事项"))["due"] == "2026-11-30"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("calender: cn\n", "calender"),
        ("calendar: lunar\n", "calendar"),
        ("deadlines: {normal: ten}\n", "deadlines.normal"),
        ("deadlines: {asap: 1}\n", "deadlines.asap"),
        ("escalation: {red_afer: 3}\n", "escalation.red_afer"),
        ("holidays: [tomorrow]\n", "holidays[0]"),
        ("units: [{code: fgw}]\n", "units[0].name"),
        ("units: [{code: a, name: 甲}, {code: a, name: 乙}]\n", "units[1]: 'a'"),
        ("units: [{code: a, name: 甲, aliases: [乙]}, {code: b, name: 乙}]\n", "units[1]: '乙'"),
        ("holidays: [2026-11-24]\nworkdays: [2026-11-24]\n", "2026-11-24 is both"),
        ("- just a list\n", "mapping"),
    ],
)
def test_bad_config_names_file_and_key(oa: Oa, text: str, needle: str) -> None:
    oa.write_config(text)
    result = oa.fails(1, "add", "事项")
    assert needle in result.err
    assert "config.yaml" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_malformed_yaml_names_the_line(oa: Oa) -> None:
    oa.write_config("calendar: cn\ndeadlines: {urgent: 1\nfeedback: x\n")
    result = oa.fails(1, "list")
    assert "config.yaml" in result.err and "line" in result.err
    # a key given twice: which one was meant cannot be known
    oa.write_config("calendar: cn\nlang: zh\ncalendar: weekdays\n")
    twice = oa.fails(1, "--lang", "zh", "list").err
    assert twice.endswith("config.yaml：第 3 行：YAML 格式错误：calendar 重复出现\n")


def test_config_path_from_the_option(oa: Oa) -> None:
    other = oa.tmp / "other.yaml"
    other.write_text("deadlines: {normal: 1}\n", encoding="utf-8")
    assert oa.item(oa.add("事项", env={}), env={})["due"] == "2026-12-07"
    item_id = int(oa.ok("--config", str(other), "add", "事项").out)
    assert oa.item(item_id)["due"] == "2026-11-24"


def test_a_yaml_merge_gives_keys_again_without_being_refused() -> None:
    from oa_cli.config import load_yaml

    text = "- &r {title: 甲, unit: 市住建局}\n- <<: *r\n  title: 乙\n"
    assert load_yaml(text) == [
        {"title": "甲", "unit": "市住建局"},
        {"title": "乙", "unit": "市住建局"},
    ]
    assert load_yaml("{1: a, '1': b}") == {1: "a", "1": "b"}  # a number and a text differ
