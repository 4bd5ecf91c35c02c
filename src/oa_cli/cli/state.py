"""What the global options decide for one invocation, and the lazily opened ledger."""

from __future__ import annotations

import datetime as dt
import getpass
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from oa_cli.actions import Context
    from oa_cli.config import Config
    from oa_cli.domain.calendar import WorkCalendar


def command_help(fn: object) -> str:
    """A command's docstring in the active language (the catalog has every one)."""
    from oa_cli.i18n import t

    return t((getattr(fn, "__doc__", None) or "").strip())


def real_clock() -> dt.datetime:
    """The only read of the wall clock: `recorded_at`, and `now` when --now is absent."""
    return dt.datetime.now().astimezone()


def default_db() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("oa", appauthor=False)) / "ledger.db"


def default_config() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("oa", appauthor=False)) / "config.yaml"


def say(message: str) -> None:
    """A line for the person on stderr; user text in it is never written raw (control
    characters and bidi overrides escaped, as in tables)."""
    from oa_cli.render.plain import printable

    print(printable(message).replace("\n", "\\n"), file=sys.stderr)  # one line, always


def say_warning(message: str) -> None:
    from oa_cli.i18n import t

    say(t("oa: warning: {message}", message=message))


def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers): still record something
        return "unknown"


@dataclass
class State:
    db: str | None = None  # a file path or a postgresql:// URL
    config_path: Path | None = None
    now: dt.datetime | None = None
    actor: str | None = None
    actor_given: bool = False  # by --as on the command line (not OA_USER)
    _config: Config | None = None
    _context: Context | None = None
    warned_years: set[int] = field(default_factory=set)
    upgraded_from: int | None = None  # the schema the ledger had before this invocation
    publishes: bool = False  # the command writes the units' working days itself

    @property
    def config(self) -> Config:
        if self._config is None:
            from oa_cli import config

            self._config = config.load(self.config_path or default_config())
        return self._config

    def clock(self) -> dt.datetime:
        return self.now or real_clock()

    def warn_year(self, year: int) -> None:
        from oa_cli.domain.calendar import unknown_year_message

        if year not in self.warned_years:
            self.warned_years.add(year)
            say(unknown_year_message(year))

    def say_upgrade(self, old: int, new: int, backup: Path) -> None:
        from oa_cli.i18n import t

        self.upgraded_from = old
        say(
            t(
                "oa: upgrading the ledger from schema {old} to {new}; a copy of it is in {backup}",
                old=old,
                new=new,
                backup=backup,
            )
        )

    def calendar(self, *, warn: bool = True) -> WorkCalendar:
        """The office's calendar; `warn`: say once when a year is not known yet."""
        from oa_cli.domain.calendar import WorkCalendar

        cfg = self.config
        said = self.warn_year if warn else None
        return WorkCalendar(cfg.calendar, cfg.holidays, cfg.workdays, said)

    def context(self, *, write: bool = True) -> Context:
        """The invocation's context with the ledger open; a read (`write=False`) never
        creates a ledger."""
        if self._context is None:
            from oa_cli.actions import Context, open_ledger
            from oa_cli.i18n import t

            calendar = self.calendar()
            ledger = open_ledger(self.db or default_db(), self.say_upgrade, write=write)
            # On a shared ledger the actor is the database login, not --as.
            login = getattr(ledger, "login", None)
            if login is not None and write and self.actor_given and self.actor != login:
                say_warning(
                    t(
                        "on a shared ledger the actor is the login {login}; --as {name} is"
                        " not recorded",
                        login=login,
                        name=self.actor,
                    )
                )
            self._context = Context(
                ledger,
                self.clock(),
                login or self.actor or default_actor(),
                self.config,
                calendar,
                real_clock,
                say_warning,
            )
            if self.upgraded_from is not None:
                from oa_cli.actions.upgrade import after_upgrade

                after_upgrade(self._context, self.upgraded_from)
            if write and not self.publishes:
                from oa_cli.actions.roles import check_published

                check_published(self._context)
        return self._context


STATE = State()


def changed() -> bool:
    """Whether this invocation has committed a change to the ledger."""
    found = STATE._context
    return found is not None and getattr(found.ledger, "commits", 0) > 0


def reset_state() -> None:
    """Back to a fresh invocation (in-process tests): close the ledger, forget the options,
    the language and the NO_COLOR that --no-color set."""
    import dataclasses
    import os

    from oa_cli.i18n import set_lang

    ctx = STATE._context
    if ctx is not None:
        ctx.close()
    fresh = State()
    for f in dataclasses.fields(State):
        setattr(STATE, f.name, getattr(fresh, f.name))
    set_lang("en")
    if os.environ.get("NO_COLOR") == "1":
        os.environ.pop("NO_COLOR", None)
