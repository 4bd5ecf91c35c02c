"""Chinese catalog part: the office workflow: ack, return, reports owed, alerts, stats."""

CATALOG: dict[str, str] = {}
