"""The one table of item fields: every key of the SPEC item object, in its JSON order,
declared once as a line of the typed `Item` (its type, and its `Field`).

Everything that names an item key derives from it through `FIELDS`: the JSON key order
(`KEYS`), the stored columns (`COLUMNS`), tsv/csv and xlsx headers, the
Chinese labels used in messages, the column headers `import` accepts, and
the Chinese forms accepted for enum values. (Migrations carry their own frozen
DDL: a schema is history, not today's table.)
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Annotated, Any, Literal, TypedDict, cast

Kind = Literal["int", "text", "enum", "list", "stamp", "date", "bool", "count"]


@dataclass(frozen=True)
class Field:
    kind: Kind
    label: str  # the office's Chinese name: messages under --lang zh, headers, import
    stored: bool = True  # False: computed on reading (depends on the report date)
    nullable: bool = True
    headers: tuple[str, ...] = ()  # more column headers that import maps to this key
    choices: tuple[str, ...] = ()  # enum values
    input: bool = False  # given by the user on `add` / in a new record
    key: str = ""  # the name it has in Item (filled in by _fields)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str  # shown under --lang zh
    aliases: tuple[str, ...] = field(default=())  # more Chinese forms accepted on input


# Enum values with the Chinese label shown and the other forms accepted (SPEC:
# "Chinese in, not only out"). The label is accepted too.
VALUES: dict[str, tuple[Choice, ...]] = {
    "source": (
        Choice("instruction", "领导批示", ("批示",)),
        Choice("meeting", "会议议定事项", ("会议议定", "会议纪要", "会议")),
        Choice("document", "上级文件", ("文件",)),
        Choice("other", "其他", ()),
    ),
    "priority": (
        Choice("urgent", "特急", ("特提",)),
        Choice("high", "加急", ("急件", "急")),
        Choice("normal", "平件", ("一般", "平急")),
    ),
    "status": (
        Choice("registered", "待交办", ("未交办",)),
        Choice("assigned", "在办", ("办理中", "已交办")),
        Choice("closed", "已办结", ("办结", "已办")),
        Choice("cancelled", "已撤销", ("撤销",)),
    ),
    "card": (
        Choice("yellow", "黄牌", ()),
        Choice("red", "红牌", ()),
    ),
    # not item fields, but options that take the same kind of words
    "by": (
        Choice("unit", "承办单位", ("单位",)),
        Choice("leader", "批示领导", ("领导",)),
        Choice("source", "来源", ()),
        Choice("priority", "缓急", ("紧急程度",)),
    ),
}


def _choices(name: str) -> tuple[str, ...]:
    return tuple(c.value for c in VALUES[name])


class Item(TypedDict, total=False):
    """An item as the core passes it around: every key of the SPEC item object, in its
    JSON order, with its type and, as `Field`, everything else oa knows of it. This
    class is the one place an item key is defined; `FIELDS` is read from it."""

    id: Annotated[int, Field("int", "编号", nullable=False)]
    title: Annotated[
        str,
        Field(
            "text",
            "事项",
            nullable=False,
            headers=("事项名称", "督办事项", "事项标题", "标题", "title"),
            input=True,
        ),
    ]
    body: Annotated[
        str | None, Field("text", "批示内容", headers=("领导批示内容", "批示", "内容"), input=True)
    ]
    source: Annotated[
        str,
        Field(
            "enum",
            "来源",
            nullable=False,
            headers=("事项来源",),
            choices=_choices("source"),
            input=True,
        ),
    ]
    leader: Annotated[
        str | None, Field("text", "批示领导", headers=("领导", "交办领导"), input=True)
    ]
    doc_no: Annotated[
        str | None,
        Field(
            "text",
            "文号",
            headers=("来文文号", "文件编号", "来文单位/文号", "来文单位及文号"),
            input=True,
        ),
    ]
    priority: Annotated[
        str,
        Field(
            "enum",
            "缓急",
            nullable=False,
            headers=("紧急程度", "缓急程度"),
            choices=_choices("priority"),
            input=True,
        ),
    ]
    status: Annotated[
        str,
        Field("enum", "状态", nullable=False, headers=("办理状态",), choices=_choices("status")),
    ]
    unit: Annotated[
        str | None,
        Field("text", "承办单位", headers=("责任单位", "牵头单位", "主办单位"), input=True),
    ]
    co_units: Annotated[
        list[str], Field("list", "协办单位", nullable=False, headers=("配合单位",), input=True)
    ]
    owner: Annotated[str | None, Field("text", "责任人", headers=("联系人",), input=True)]
    tags: Annotated[list[str], Field("list", "标签", nullable=False, input=True)]
    received_at: Annotated[
        str,
        Field(
            "stamp",
            "收文时间",
            nullable=False,
            headers=("收文日期", "登记时间", "登记日期", "接收时间", "received"),
            input=True,
        ),
    ]
    assigned_at: Annotated[str | None, Field("stamp", "交办时间", headers=("交办日期",))]
    due: Annotated[
        str,
        Field(
            "date",
            "时限",
            nullable=False,
            headers=("办理时限", "完成时限", "截止日期", "办结时限"),
            input=True,
        ),
    ]
    original_due: Annotated[str, Field("date", "原定时限", nullable=False)]
    closed_at: Annotated[str | None, Field("stamp", "办结时间", headers=("办结日期",))]
    close_basis: Annotated[str | None, Field("text", "办结依据")]
    close_ref: Annotated[str | None, Field("text", "办结文号")]
    card: Annotated[str | None, Field("enum", "牌", headers=("亮牌",), choices=_choices("card"))]
    overdue: Annotated[bool, Field("bool", "是否逾期", stored=False, nullable=False)]
    overdue_days: Annotated[int, Field("count", "逾期工作日", stored=False, nullable=False)]
    feedback_count: Annotated[int, Field("count", "反馈次数", nullable=False)]
    last_feedback_at: Annotated[str | None, Field("stamp", "最近反馈时间")]
    remind_count: Annotated[int, Field("count", "催办次数", nullable=False)]
    created_by: Annotated[str, Field("text", "登记人", nullable=False)]
    remark: Annotated[str | None, Field("text", "备注", input=True)]
    acked_at: Annotated[str | None, Field("stamp", "签收时间")]
    report_due: Annotated[str | None, Field("date", "报送时限")]
    report_overdue_days: Annotated[
        int, Field("count", "报送逾期工作日", stored=False, nullable=False)
    ]
    repeat: Annotated[str | None, Field("text", "周期", input=True)]
    previous_id: Annotated[int | None, Field("int", "上期编号")]
    # kept with the stored row, not a SPEC key: the normalised title (疑似重复)
    title_key: str


def _fields() -> tuple[Field, ...]:
    hints = Item.__annotations__  # evaluated: this module does not defer annotations
    return tuple(
        replace(meta, key=key)
        for key, hint in hints.items()
        for meta in getattr(hint, "__metadata__", ())
        if isinstance(meta, Field)
    )


FIELDS: tuple[Field, ...] = _fields()


def as_item(values: Mapping[str, Any]) -> Item:
    """Values by item key (a row, a record, a replayed state) as an Item."""
    return cast(Item, values)


def value(item: Item, key: str) -> Any:
    """The value of a key named at run time (a column, the grouping of a report)."""
    return cast("dict[str, Any]", item)[key]


def change(item: Item, changes: Mapping[str, Any]) -> None:
    """Set the keys `changes` names (each one an item key) on `item`."""
    cast("dict[str, Any]", item).update(changes)


BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
KEYS: tuple[str, ...] = tuple(f.key for f in FIELDS)
COLUMNS: tuple[str, ...] = tuple(f.key for f in FIELDS if f.stored)
COMPUTED: tuple[str, ...] = tuple(f.key for f in FIELDS if not f.stored)
LIST_COLUMNS: tuple[str, ...] = tuple(f.key for f in FIELDS if f.kind == "list")
LABELS: dict[str, str] = {f.key: f.label for f in FIELDS}

# Columns of an office spreadsheet that carry something other than a field:
# the latest progress becomes the item's first counted report; a running number
# and contact details are not kept.
PROGRESS_HEADERS = (
    "办理情况",
    "最新进展",
    "进展情况",
    "落实情况",
    "办理进展",
    "工作进展",
    "progress",
)
IGNORED_HEADERS = ("序号",)


@cache
def header_map() -> dict[str, str | None]:
    """Every accepted column header → its key (None: recognised and not kept)."""
    found: dict[str, str | None] = {h: None for h in IGNORED_HEADERS}
    for f in FIELDS:
        for header in (f.key, f.label, *f.headers):
            found.setdefault(header, f.key)
    for header in PROGRESS_HEADERS:
        found.setdefault(header, "progress")
    return found


@cache
def value_map(name: str) -> dict[str, str]:
    """Every accepted form of an enum value (value, label, aliases) → the value."""
    found: dict[str, str] = {}
    for choice in VALUES[name]:
        for form in (choice.value, choice.label, *choice.aliases):
            found.setdefault(form, choice.value)
    return found


def value_label(name: str, value: str) -> str:
    """The Chinese label of an enum value (the value itself when unknown)."""
    for choice in VALUES[name]:
        if choice.value == value:
            return choice.label
    return value


# A journal event as every format prints it (SPEC "Journal").
EVENT_KEYS = ("seq", "item_id", "at", "recorded_at", "actor", "action", "data", "hash")


def field_name(key: str) -> str:
    """A field as a person reads it in messages: its Chinese label under zh, else its key."""
    from oa_cli.i18n import get_lang

    if get_lang() != "zh":
        return key
    return PROGRESS_HEADERS[0] if key == "progress" else LABELS.get(key, key)


def said(name: str, message: str) -> str:
    """`name: message`, with the Chinese colon under zh."""
    from oa_cli.i18n import get_lang

    return f"{name}{'：' if get_lang() == 'zh' else ': '}{message}"
