"""The Click that Typer runs on, in one place.

Typer 0.28 (pinned in pyproject.toml) carries its own copy of Click as `typer._click`;
the contexts, commands and errors Typer makes are that copy's classes, not the
installed `click` package's, so subclassing or catching them needs that copy. Typer
offers no public name for it: this module is the only import of it, and the place to
change if Typer moves it."""

from __future__ import annotations

from typer import _click as click
from typer._click import exceptions as errors
from typer._click.shell_completion import CompletionItem

__all__ = ["CompletionItem", "click", "errors"]
