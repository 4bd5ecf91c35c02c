"""Chinese catalog part: printed documents: workbook, notice, html/markdown reports."""

CATALOG: dict[str, str] = {
    # columns the office uses
    "No.": "序号",
    "Progress": "办理情况",
    "Overdue / owed": "逾期/应报",
    "Kind": "类别",
    "What happened": "办理动态",
    "Rank": "排名",
    "Done %": "办结率",
    "Returned": "退回",
    "On time %": "按期办结率",
    "First on time": "首报及时",
    "Urged": "催办",
    "Score": "得分",
    # words in cells and headings
    " ({kind})": "（{kind}）",
    "{kind} report missing since {date}": "{kind}未报\n应报日 {date}",
    " (red {red} · yellow {yellow})": "（红牌 {red} · 黄牌 {yellow}）",
    " (on time {n})": "（按期 {n}）",
    "Not acknowledged": "未签收",
    "Extension": "延期",
    "Correction": "更正时限",
    "Reopened": "重新办理",
    ": {reason}": "：{reason}",
    "due {date}": "时限 {date}",
    "What moved this week {n}": "本周办理动态 {n}",
    "Ranking by score": "考核得分排名",
    "cancelled {n} (not counted)": "已撤销 {n} 件（不计入）",
    "assigned late by the office {n}": "督查室未及时交办 {n} 件",
    "made {time} by {actor} · ledger check code {anchor}": "制表时间 {time} · 制表人 {actor} · 台账校验码 {anchor}",
    "{n} more not shown; {command} lists them all": "另有 {n} 项未显示；全部请用 {command}",
    # the urging notice
    "Urging notice": "催办通知单",
    "Blue supervision notice": "蓝色督办单",
    "Yellow supervision notice": "黄色督办单",
    "Red supervision notice": "红色督办单",
    "Preview": "预览",
    "{unit}:": "{unit}：",
    "The items below, assigned to your unit, are overdue or their reports are missing. "
    "Please deal with them and report on them in writing to {office} by {date}.": "你单位承办的下列督办事项已逾期或未按时报送办理情况，请抓紧办理，并于{date}前将办理情况书面报送{office}。",
    "No unit needs urging.": "没有需要催办的单位。",
}
