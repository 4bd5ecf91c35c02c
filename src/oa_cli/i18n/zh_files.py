"""Chinese catalog part: the ledger file and its safety checks."""

CATALOG: dict[str, str] = {}
