"""Pure rules: no I/O, no typer, rich or sqlite."""
