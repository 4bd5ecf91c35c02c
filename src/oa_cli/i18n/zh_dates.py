"""Chinese catalog part: dates, deadlines and the working-day calendar."""

CATALOG: dict[str, str] = {}
