"""Chinese catalog part: the command line: help, usage errors, completion."""

CATALOG: dict[str, str] = {}
