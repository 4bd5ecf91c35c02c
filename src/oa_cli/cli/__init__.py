"""The Typer command line: parse, call an action, render. Nothing else."""
