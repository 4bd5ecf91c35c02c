"""Chinese catalog: English message id → Chinese text.

`tests/test_i18n.py` fails when a message used in the code is missing here."""

CATALOG: dict[str, str] = {
    # vocabulary: statuses, priorities, sources, cards
    "registered": "未交办", "assigned": "已交办", "closed": "已办结", "cancelled": "已撤销",
    "urgent": "特急", "high": "加急", "normal": "平件",
    "instruction": "领导批示", "meeting": "会议议定", "document": "上级文件", "other": "其他",
    "yellow": "黄牌", "red": "红牌", "yellow card": "黄牌", "red card": "红牌",
    # journal actions and escalation rules
    "add": "登记", "import": "导入", "assign": "交办", "transfer": "转办", "feedback": "反馈",
    "remind": "催办", "escalate": "亮牌", "extend": "延期", "close": "办结", "reopen": "重新办理",
    "cancel": "撤销", "edit": "修改", "unit_add": "新增单位",
    "overdue_red": "逾期红牌", "overdue_yellow": "逾期黄牌", "awaiting_feedback": "待反馈",
    "due_soon": "临期", "late_assignment": "未及时交办",
    "first": "首报", "follow_up": "续报", " or ": "或",
    # weekdays and calendar
    "Monday": "星期一", "Tuesday": "星期二", "Wednesday": "星期三", "Thursday": "星期四",
    "Friday": "星期五", "Saturday": "星期六", "Sunday": "星期日",
    "working day": "工作日", "day off": "休息日",
    "{date} is a working day": "{date} 是工作日", "{date} is not a working day": "{date} 不是工作日",
    # table headers and field labels
    "ID": "编号", "Title": "事项", "Unit": "承办单位", "Leader": "批示领导", "Due": "时限",
    "Status": "状态", "Overdue": "逾期", "Card": "牌", "Last feedback": "最近反馈",
    "Seq": "序号", "Time": "时间", "Actor": "操作人", "Action": "操作", "Details": "内容",
    "Rule": "规则", "Timeline": "办理过程", "Code": "代码", "Name": "名称", "Contact": "联系方式",
    "Source": "来源", "Document no.": "文号", "Lead unit": "承办单位", "Co-units": "协办单位",
    "Owner": "责任人", "Received": "收文时间", "Assigned": "交办时间", "Original due": "原定时限",
    "Priority": "缓急", "Tags": "标签", "Feedback": "反馈次数", "Reminders": "催办次数",
    "Closed": "办结时间", "Closing basis": "办结依据", "Closing reference": "办结文号",
    "Registered by": "登记人", "Instruction": "批示内容",
    "{n} wd": "{n}个工作日",
    # daily dispatch table
    "To assign": "待交办", "Due soon": "临期", "Awaiting feedback": "待反馈",
    "Closed today": "今日办结",
    "open {n}": "在办 {n}", "received today {n}": "今日新收 {n}", "to assign {n}": "待交办 {n}",
    "due soon {n}": "临期 {n}", "overdue {n} (red {red} · yellow {yellow})":
    "逾期 {n}（红牌 {red} · 黄牌 {yellow}）", "awaiting feedback {n}": "待反馈 {n}",
    "closed today {n}": "今日办结 {n}",
    "items need attention: overdue or not yet assigned": "有需关注的事项：逾期或尚未交办",
    # confirmations
    "added item {id}, due {due}": "已登记事项 {id}，时限 {due}",
    "item {id} assigned to {unit}": "事项 {id} 已交办 {unit}",
    "feedback {n} recorded on item {id}": "事项 {id} 已记录第 {n} 次反馈",
    "reminder {n} recorded on item {id}": "事项 {id} 已记录第 {n} 次催办",
    "item {id} now has a {card} card": "事项 {id} 已亮{card}",
    "item {id} now due {due}": "事项 {id} 时限延至 {due}",
    "item {id} closed": "事项 {id} 已办结销账", "item {id} reopened": "事项 {id} 已重新办理",
    "item {id} cancelled": "事项 {id} 已撤销", "item {id} updated": "事项 {id} 已修改",
    "unit {code} {name} added": "已新增单位 {code} {name}",
    "ledger verified: {items} items, {events} events, chain intact":
    "台账校验通过：{items} 件事项，{events} 条日志，哈希链完整",
    "escalate --auto: {n} actions": "自动督办：{n} 项操作", "escalating": "自动督办中",
    "imported {n} items": "已导入 {n} 件事项", "importing": "导入中",
    "dry run: {n} records valid; nothing written": "试运行：{n} 条记录有效，未写入",
    "{n} more not shown; use --limit or a piped format": "另有 {n} 条未显示；可用 --limit 或管道格式",
    "overdue {n} working days": "逾期 {n} 个工作日",
    # errors
    "item {id} not found": "未找到事项 {id}",
    "item {id} is {status}: {action} needs an item that is {allowed}":
    "事项 {id} 状态为 {status}：{action} 仅适用于 {allowed} 的事项",
    "item {id} already has a red card, the highest level": "事项 {id} 已是红牌，不能再升级",
    "item {id} already has a {card} card": "事项 {id} 已有{card}",
    "item {id} already exists": "事项 {id} 已存在",
    "{what} must not be empty": "{what}不能为空",
    "title": "标题", "source": "来源", "priority": "缓急", "reason": "原因", "unit": "单位",
    "unit code": "单位代码", "unit name": "单位名称", "feedback text": "反馈内容",
    "closing basis (--basis)": "办结依据（--basis）",
    "invalid {what} '{value}': choose {choices}": "{what}“{value}”无效：可选 {choices}",
    "invalid deadline '{value}': use YYYY-MM-DD, +Nd, +Nwd, today or tomorrow":
    "时限“{value}”无效：请用 YYYY-MM-DD、+Nd、+Nwd、today 或 tomorrow",
    "invalid date/time '{value}': use ISO 8601, e.g. 2026-11-27T09:30":
    "时间“{value}”无效：请用 ISO 8601 格式，如 2026-11-27T09:30",
    "progress must be between 0 and 100, not {value}": "进度须在 0 到 100 之间，而不是 {value}",
    "nothing to edit: give at least one field to change": "没有要修改的内容：请至少指定一个字段",
    "--co and --owner need --unit": "--co 和 --owner 须与 --unit 一起使用",
    "--auto takes no item id and no --level": "--auto 不能与事项编号或 --level 同用",
    "give an item id, or --auto": "请给出事项编号，或使用 --auto",
    "--limit must be 0 or more": "--limit 不能为负数",
    "--sort takes due, id or received": "--sort 可选 due、id 或 received",
    "unknown unit '{unit}'": "未知单位“{unit}”", "; did you mean: {names}?": "；是否指：{names}？",
    "unit {code} {name} already exists": "单位 {code} {name} 已存在",
    "unknown format '{fmt}': choose {choices}": "未知格式“{fmt}”：可选 {choices}",
    "{n} overdue items": "{n} 件逾期事项",
    "cannot create ledger {path}: {error}": "无法创建台账 {path}：{error}",
    "{path}: not a usable ledger: {error}": "{path}：不是可用的台账：{error}",
    "{path}: made by a newer oa (schema {version}); upgrade oa":
    "{path}：由更新版本的 oa 创建（结构版本 {version}），请升级 oa",
    "oa: warning: the holiday calendar does not know {year}; using Monday to Friday plus "
    "configured holidays/workdays":
    "oa：警告：节假日日历尚无 {year} 年数据，按周一至周五及配置的节假日/调休计算",
    "{file}: cannot read: {error}": "{file}：无法读取：{error}",
    "{file}: line {line}: malformed YAML: {problem}": "{file}：第 {line} 行：YAML 格式错误：{problem}",
    "{file}: the top level must be a mapping of keys": "{file}：顶层必须是键值映射",
    "{file}: unknown key '{key}'": "{file}：未知配置项“{key}”",
    "{file}: key '{key}': expected {expected}": "{file}：配置项“{key}”应为 {expected}",
    # import
    "record {n}": "第 {n} 条记录", " (line {line})": "（第 {line} 行）",
    "{n} invalid records; nothing imported": "{n} 条记录有误，未导入任何内容",
    "unknown field": "未知字段", "'{value}' is not one of {choices}": "“{value}”不在 {choices} 之中",
    "'{value}' is not a whole number, 0 or more": "“{value}”不是非负整数",
    "a {status} item needs a unit": "状态为 {status} 的事项须有承办单位",
    "an item with a unit cannot be registered": "已有承办单位的事项不能为未交办状态",
    "a closed item needs its closing basis": "已办结事项须有办结依据",
    "only a closed item has closing fields": "只有已办结事项才有办结信息",
    "feedback_count needs last_feedback_at": "有反馈次数时须有最近反馈时间",
    "a record must be a mapping of fields": "每条记录须是字段映射",
    "unknown import format '{fmt}': choose {choices}": "未知导入格式“{fmt}”：可选 {choices}",
    "cannot tell the format of '{name}': use --format": "无法判断“{name}”的格式：请用 --format",
    "{name}: expected a list of records": "{name}：应为记录列表",
    "{name}: line {line}: malformed YAML: {error}": "{name}：第 {line} 行：YAML 格式错误：{error}",
    "{name}: line {line}: not valid JSON: {error}": "{name}：第 {line} 行：JSON 格式错误：{error}",
    "CSV has no title column (title or 事项名称)": "CSV 缺少标题列（title 或 事项名称）",
    "cannot read {name}: {error}": "无法读取 {name}：{error}",
    "{name}: not UTF-8 text (byte {pos}); save it as UTF-8":
    "{name}：不是 UTF-8 文本（第 {pos} 字节）；请另存为 UTF-8",
}  # fmt: skip
