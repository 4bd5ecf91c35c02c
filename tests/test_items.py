"""Each write verb, each allowed and refused transition, as a user runs them."""

from __future__ import annotations

import pytest
from conftest import Oa

pytestmark = pytest.mark.backends


def test_add_prints_the_id_alone_and_a_human_line_on_stderr(oa: Oa) -> None:
    first = oa.ok("add", "关于做好冬季供暖保障工作的批示", "--priority", "high")
    assert first.out == "1\n"
    assert first.err == "added item 1, due 2026-11-30\n"  # 5 working days for high
    assert oa.ok("create", "第二件").out == "2\n"


def test_added_item_has_every_spec_key_with_defaults(oa: Oa) -> None:
    item_id = oa.add(
        "  关于做好冬季供暖保障工作的批示  ",
        "--leader",
        "张书记",
        "--doc-no",
        "市委办〔2026〕41号",
        "--tag",
        "供暖",
        "--tag",
        "民生",
    )
    item = oa.item(item_id)
    item.pop("timeline")
    assert item == {
        "id": 1,
        "title": "关于做好冬季供暖保障工作的批示",
        "body": None,
        "source": "instruction",
        "leader": "张书记",
        "doc_no": "市委办〔2026〕41号",
        "priority": "normal",
        "status": "registered",
        "unit": None,
        "co_units": [],
        "owner": None,
        "tags": ["供暖", "民生"],
        "received_at": "2026-11-23T09:00:00+08:00",
        "assigned_at": None,
        # 10 working days after Mon 2026-11-23
        "due": "2026-12-07",
        "original_due": "2026-12-07",
        "closed_at": None,
        "close_basis": None,
        "close_ref": None,
        "card": None,
        "overdue": False,
        "overdue_days": 0,
        "feedback_count": 0,
        "last_feedback_at": None,
        "remind_count": 0,
        "created_by": "clerk",
        "remark": None,
        "acked_at": None,
        "report_due": None,
        "report_overdue_days": 0,
        "repeat": None,
        "previous_id": None,
    }


def test_add_with_unit_assigns_the_same_day(oa: Oa) -> None:
    item_id = oa.add(
        "事项",
        "--unit",
        "市住建局",
        "--co",
        "市发展改革委",
        "--co",
        "市财政局",
        "--owner",
        "李科长",
        "--priority",
        "urgent",
    )
    item = oa.item(item_id)
    assert item["status"] == "assigned"
    assert item["unit"] == "市住建局"
    assert item["co_units"] == ["市发展改革委", "市财政局"]
    assert item["owner"] == "李科长"
    assert item["assigned_at"] == "2026-11-23T09:00:00+08:00"
    assert item["due"] == "2026-11-26"
    assert [e["action"] for e in item["timeline"]] == ["add", "assign"]


@pytest.mark.parametrize("title", ["", "   ", "\t\n"])
def test_add_refuses_an_empty_title(oa: Oa, title: str) -> None:
    result = oa.fails(1, "add", title)
    assert "title" in result.err
    assert oa.ok("list", "--all", "--format", "json").json() == []


def test_add_body_from_stdin(oa: Oa) -> None:
    item_id = oa.add("事项", "--body", "-", input="请市住建局牵头落实。\n第二行")
    assert oa.item(item_id)["body"] == "请市住建局牵头落实。\n第二行"


def test_add_refuses_an_unknown_source_or_priority(oa: Oa) -> None:
    assert "source" in oa.fails(2, "add", "事项", "--source", "rumour").err
    assert "priority" in oa.fails(2, "add", "事项", "--priority", "asap").err


def test_owner_without_unit_is_a_usage_error(oa: Oa) -> None:
    oa.fails(1, "add", "事项", "--owner", "李科长")


def test_assign_then_transfer_keeps_both_units_in_the_journal(oa: Oa) -> None:
    item_id = oa.add()
    oa.ok("assign", str(item_id), "市住建局", "--note", "请三个工作日内首报")
    oa.ok("assign", str(item_id), "市发展改革委", now="2026-11-24T10:00:00")
    item = oa.item(item_id)
    assert item["unit"] == "市发展改革委"
    assert item["assigned_at"] == "2026-11-23T09:00:00+08:00"  # the first assignment
    assign, transfer = item["timeline"][1:]
    assert assign["action"] == "assign" and assign["data"]["unit"] == "市住建局"
    assert assign["data"]["note"] == "请三个工作日内首报"
    assert transfer["action"] == "assign"  # a transfer is an assign with the previous unit
    assert transfer["data"]["previous_unit"] == "市住建局"


def test_feedback_counts_first_and_follow_up_reports(oa: Oa, assigned) -> None:
    item_id = assigned()
    oa.ok("feedback", str(item_id), "已召开专题会议部署", "--progress", "30")
    oa.ok("feedback", str(item_id), "方案已印发", now="2026-11-25T16:00:00")
    item = oa.item(item_id)
    assert item["feedback_count"] == 2
    assert item["last_feedback_at"] == "2026-11-25T16:00:00+08:00"
    kinds = [e["data"].get("kind") for e in item["timeline"] if e["action"] == "feedback"]
    assert kinds == ["first", "follow_up"]
    assert item["timeline"][2]["data"]["progress"] == 30


def test_feedback_on_a_registered_item_is_refused_naming_the_status(oa: Oa) -> None:
    item_id = oa.add()
    result = oa.fails(1, "feedback", str(item_id), "报告")
    assert "registered" in result.err
    assert oa.item(item_id)["feedback_count"] == 0


def test_feedback_progress_out_of_range_is_refused(oa: Oa, assigned) -> None:
    oa.fails(1, "feedback", str(assigned()), "报告", "--progress", "120")


def test_remind_counts_every_urging(oa: Oa) -> None:
    item_id = oa.add()
    oa.ok("remind", str(item_id), "--note", "电话催办")
    oa.ok("remind", str(item_id))
    assert oa.item(item_id)["remind_count"] == 2


def test_escalate_goes_one_level_up_and_stops_at_red(oa: Oa, assigned) -> None:
    item_id = str(assigned())
    oa.ok("escalate", item_id, "--reason", "逾期未报")
    assert oa.item(int(item_id))["card"] == "yellow"
    oa.ok("escalate", item_id)
    assert oa.item(int(item_id))["card"] == "red"
    result = oa.fails(1, "escalate", item_id)
    assert "red" in result.err


def test_escalate_to_a_named_level_but_never_down(oa: Oa) -> None:
    item_id = str(oa.add())
    oa.ok("escalate", item_id, "--level", "red")
    assert oa.item(int(item_id))["card"] == "red"
    oa.fails(1, "escalate", item_id, "--level", "yellow")
    oa.fails(2, "escalate", item_id, "--level", "purple")


def test_extend_moves_due_keeps_original_and_clears_the_card(oa: Oa, assigned) -> None:
    item_id = str(assigned("--due", "2026-11-24"))
    oa.ok("escalate", item_id, now="2026-11-26")
    oa.ok("extend", item_id, "--due", "2026-12-04", "--reason", "需省厅批复", now="2026-11-26")
    item = oa.item(int(item_id), now="2026-11-26")
    assert (item["due"], item["original_due"], item["card"]) == ("2026-12-04", "2026-11-24", None)
    assert item["timeline"][-1]["data"]["reason"] == "需省厅批复"


def test_extend_to_a_past_date_is_refused_and_keeps_the_card(oa: Oa, assigned) -> None:
    item_id = str(assigned("--due", "2026-11-24"))
    oa.ok("escalate", item_id, now="2026-11-30")
    err = oa.fails(
        1, "extend", item_id, "--due", "2026-11-25", "--reason", "补录", now="2026-11-30"
    )
    assert "before today" in err.err
    assert oa.item(int(item_id))["card"] == "yellow"


def test_extend_needs_a_reason(oa: Oa) -> None:
    item_id = str(oa.add())
    oa.fails(1, "extend", item_id, "--due", "+5wd", "--reason", " ")
    oa.fails(2, "extend", item_id, "--due", "+5wd")


def test_close_needs_a_basis_and_changes_nothing_without_one(oa: Oa, assigned) -> None:
    item_id = str(assigned())
    before = oa.ok("log", "--format", "json").json()
    assert "basis" in oa.fails(1, "close", item_id).err
    oa.fails(1, "close", item_id, "--basis", "   ")
    assert oa.ok("log", "--format", "json").json() == before
    assert oa.item(int(item_id))["status"] == "assigned"


def test_close_with_basis_and_reference(oa: Oa, assigned) -> None:
    item_id = str(assigned())
    oa.ok(
        "close",
        item_id,
        "--basis",
        "已完成供暖保障，市住建局书面报告",
        "--ref",
        "市住建报〔2026〕9号",
        now="2026-11-27T17:00:00",
    )
    item = oa.item(int(item_id))
    assert item["status"] == "closed"
    assert item["closed_at"] == "2026-11-27T17:00:00+08:00"
    assert item["close_basis"] == "已完成供暖保障，市住建局书面报告"
    assert item["close_ref"] == "市住建报〔2026〕9号"


def test_only_an_assigned_item_can_be_closed(oa: Oa) -> None:
    item_id = str(oa.add())
    assert "registered" in oa.fails(1, "close", item_id, "--basis", "x").err


def test_reopen_clears_closing_fields_but_the_journal_keeps_them(oa: Oa, assigned) -> None:
    item_id = str(assigned())
    oa.ok("close", item_id, "--basis", "已办结")
    oa.ok("reopen", item_id, "--reason", "领导要求继续跟踪", "--due", "+5wd")
    item = oa.item(int(item_id))
    assert item["status"] == "assigned"
    assert (item["closed_at"], item["close_basis"], item["close_ref"]) == (None, None, None)
    assert item["timeline"][-2]["data"]["close_basis"] == "已办结"


def test_cancel_from_either_open_status_but_not_twice(oa: Oa, assigned) -> None:
    first, second = str(oa.add()), str(assigned())
    oa.ok("cancel", first, "--reason", "重复登记")
    oa.ok("cancel", second, "--reason", "领导撤回")
    assert oa.item(int(first))["status"] == "cancelled"
    assert "cancelled" in oa.fails(1, "cancel", first, "--reason", "again").err
    oa.fails(1, "cancel", str(oa.add()), "--reason", "")


@pytest.mark.parametrize(
    "verb",
    [
        ["assign", "市财政局"],
        ["feedback", "报告"],
        ["remind"],
        ["escalate"],
        ["extend", "--due", "+3d", "--reason", "r"],
        ["edit", "--title", "新"],
        ["close", "--basis", "b"],
        ["cancel", "--reason", "r"],
    ],
)
def test_closed_items_refuse_every_action_but_reopen(oa: Oa, assigned, verb: list[str]) -> None:
    item_id = str(assigned())
    oa.ok("close", item_id, "--basis", "已办结")
    result = oa.fails(1, verb[0], item_id, *verb[1:])
    assert "closed" in result.err


@pytest.mark.parametrize(
    "verb",
    [
        ["assign", "市财政局"],
        ["feedback", "报告"],
        ["remind"],
        ["escalate"],
        ["extend", "--due", "+3d", "--reason", "r"],
        ["edit", "--title", "新"],
        ["close", "--basis", "b"],
        ["reopen", "--reason", "r", "--due", "+5wd"],
    ],
)
def test_cancelled_items_refuse_every_action(oa: Oa, verb: list[str]) -> None:
    item_id = str(oa.add())
    oa.ok("cancel", item_id, "--reason", "撤回")
    assert "cancelled" in oa.fails(1, verb[0], item_id, *verb[1:]).err


def test_reopen_of_an_open_item_is_refused(oa: Oa, assigned) -> None:
    assert "assigned" in oa.fails(1, "reopen", str(assigned()), "--reason", "r", "--due", "+3d").err


def test_edit_changes_fields_and_tags(oa: Oa) -> None:
    item_id = str(oa.add("旧标题", "--tag", "a", "--tag", "b"))
    oa.ok(
        "edit",
        item_id,
        "--title",
        "新标题",
        "--priority",
        "urgent",
        "--leader",
        "王市长",
        "--tag",
        "c",
        "--untag",
        "a",
    )
    item = oa.item(int(item_id))
    assert (item["title"], item["priority"], item["leader"]) == ("新标题", "urgent", "王市长")
    assert item["tags"] == ["b", "c"]
    assert item["due"] == "2026-12-07"  # editing priority does not move the deadline
    oa.fails(1, "edit", item_id)
    oa.fails(1, "edit", item_id, "--title", " ")


def test_unknown_item_is_exit_1(oa: Oa) -> None:
    oa.add()
    assert "42" in oa.fails(1, "show", "42").err
    oa.fails(1, "assign", "42", "市住建局")


def test_ids_are_never_reused(oa: Oa) -> None:
    oa.add()
    second = oa.add()
    oa.ok("cancel", str(second), "--reason", "r")
    assert oa.add() == 3
