"""Chinese catalog part: printed documents: workbook, notice, html/markdown reports."""

CATALOG: dict[str, str] = {}
