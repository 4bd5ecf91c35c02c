"""Chinese catalog: English message id → Chinese text."""

CATALOG: dict[str, str] = {}
