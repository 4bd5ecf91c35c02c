"""Chinese catalog part: dates, deadlines and the working-day calendar."""

CATALOG: dict[str, str] = {
    # domain.calendar
    "oa: warning: the holiday calendar does not know {year} yet: only 1 January, 1 May "
    "and 1–3 October are days off; add its other holidays under holidays: and its "
    "make-up working days under workdays: in the config file": "oa：警告：节假日日历尚无 {year} 年的安排，暂只按元旦（1月1日）、劳动节（5月1日）和国庆节（10月1日至3日）放假；其他节假日请在配置文件的 holidays: 中补充，调休上班日请在 workdays: 中补充",
    "{n} working days from {start} lie outside the supported dates {first} … {last}": "自 {start} 起 {n} 个工作日超出支持的日期范围（{first} 至 {last}）",
    # domain.dates
    "deadline": "时限",
    "date": "日期",
    "date/time": "时间",
    "invalid deadline '{value}': use YYYY-MM-DD (also YYYY/MM/DD, YYYY.MM.DD, "
    "YYYY年MM月DD日, MM月DD日), +Nd or -Nd (calendar days), +Nwd or -Nwd "
    "(working days), today or tomorrow, 明天 or 下周五": "时限“{value}”无效：请用 YYYY-MM-DD（也可写作 YYYY/MM/DD、YYYY.MM.DD、YYYY年MM月DD日、MM月DD日）、+Nd 或 -Nd（自然日）、+Nwd 或 -Nwd（工作日）、今天、明天、后天、周五、下周五等",
    "invalid date/time '{value}': use YYYY-MM-DD (also YYYY/MM/DD, YYYY.MM.DD, "
    "YYYY年MM月DD日, MM月DD日), optionally with a time as in 2026-11-27 09:30 or "
    "2026-11-27T09:30, or -Nd, +Nwd from now, or a day in words (yesterday, 昨天, 周一)": "时间“{value}”无效：请用 YYYY-MM-DD（也可写作 YYYY/MM/DD、YYYY.MM.DD、YYYY年MM月DD日、MM月DD日），可带时刻，如 2026-11-27 09:30 或 2026-11-27T09:30；也可用 -Nd、+Nwd 表示自现在起前后若干自然日、工作日，或昨天、周一等（可带时刻）",
    "invalid --now '{value}': use YYYY-MM-DD (also YYYY/MM/DD, YYYY.MM.DD, "
    "YYYY年MM月DD日, MM月DD日), optionally with a time as in 2026-11-27 09:30 or "
    "2026-11-27T09:30": "--now 的值“{value}”无效：请用 YYYY-MM-DD（也可写作 YYYY/MM/DD、YYYY.MM.DD、YYYY年MM月DD日、MM月DD日），可带时刻，如 2026-11-27 09:30 或 2026-11-27T09:30",
    "{what} '{value}' is outside the supported dates {first} … {last}": "{what}“{value}”超出支持的日期范围（{first} 至 {last}）",
    "{what} '{value}': there is no such day": "{what}“{value}”：日历上没有这一天",
    "{what}: '{value}' is not a date: use YYYY-MM-DD (also YYYY/MM/DD, YYYY.MM.DD, YYYY年MM月DD日, MM月DD日), +Nd or -Nd, today or tomorrow, 明天 or 上周五": "{what}：“{value}”不是日期：请用 YYYY-MM-DD（也可写作 YYYY/MM/DD、YYYY.MM.DD、YYYY年MM月DD日、MM月DD日）、+Nd 或 -Nd、今天、昨天、上周五等",
}
