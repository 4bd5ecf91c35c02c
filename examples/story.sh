#!/bin/sh
# A morning of the office's work on top of examples/items.yaml (make demo runs it):
# a unit signs for an item, files an empty first report that the office returns
# (退回重报), a phone reminder (催办), and cron's escalate --auto (提醒, cards).
set -e
oa=${OA:-oa}
$oa ack 4 --by 赵主任 2>/dev/null
$oa feedback 4 "收到，正在研究" --by 赵主任 2>/dev/null
$oa return 4 --reason "只报收到，未报措施，请重报" 2>/dev/null
$oa remind 2 --note "电话催办，应急局称周五前报送" 2>/dev/null
$oa escalate --auto --format tsv >/dev/null 2>&1
