"""The `oa` application: global options, the lazy command table, the one error handler."""

import contextlib
import errno
import io
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from oa_cli import __version__
from oa_cli.cli.lazy import LazyGroup
from oa_cli.cli.state import STATE
from oa_cli.errors import OaError
from oa_cli.i18n import N_, os_error, t

APP_HELP = N_("oa: the supervision ledger (督办台账): register, assign, chase and close items.")
app = typer.Typer(
    name="oa",
    cls=LazyGroup,
    help=APP_HELP,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"oa {__version__}")
        raise typer.Exit()


def _parse_now(value: str | None) -> None:
    if value is None:
        return
    from oa_cli.domain.dates import parse_now
    from oa_cli.errors import InvalidInput

    try:
        STATE.now = parse_now(value)
    except InvalidInput as exc:
        raise typer.BadParameter(exc.message, param_hint="--now") from None


@app.callback()
def main_options(
    context: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="OA_DB",
            help="Ledger file, or postgresql:// URL of a shared ledger.",
            show_default=False,
        ),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", envvar="OA_CONFIG", help="Configuration file (YAML).")
    ] = None,
    now: Annotated[
        str | None,
        typer.Option(
            "--now", envvar="OA_NOW", help="The clock for this invocation (date or ISO 8601)."
        ),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option("--as", envvar="OA_USER", help="Who is acting; recorded in the journal."),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", envvar="OA_LANG", help="Language of human output: en or zh."),
    ] = None,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colour or styles (as NO_COLOR=1).")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Global options come before the command."""
    from oa_cli.i18n import detect_lang, set_lang

    if lang is not None and lang not in ("en", "zh"):
        raise typer.BadParameter(
            t("'{value}' is not one of {choices}", value=lang, choices="en, zh"),
            param_hint="--lang",
        )
    if no_color:
        os.environ["NO_COLOR"] = "1"
    if (db if db is not None else os.environ.get("OA_DB", "x")).strip() == "":
        # a script's unset variable (`--db "$LEDGER"`) must not fall back on the default
        raise typer.BadParameter(
            t("the ledger is given empty; give a file or a postgresql:// URL, or unset OA_DB"),
            param_hint="--db",
        )
    STATE.db, STATE.config_path = db, config
    if lang is None:  # below --lang and OA_LANG: `lang:` in the config, then the locale
        set_lang(detect_lang(None))  # the config's own errors are said in the locale's
        lang = STATE.config.lang
    set_lang(detect_lang(lang))
    STATE.actor = actor.strip() if actor and actor.strip() else None
    source = context.get_parameter_source("actor")
    STATE.actor_given = STATE.actor is not None and getattr(source, "name", "") == "COMMANDLINE"
    _parse_now(now)


# Command → the module under oa_cli.cli that defines it, in the order `oa --help` lists them.
COMMAND_MODULES: dict[str, str] = {
    **dict.fromkeys(
        (
            "add",
            "create",
            "ack",
            "assign",
            "feedback",
            "return",
            "remind",
            "escalate",
            "extend",
            "close",
            "reopen",
            "cancel",
            "edit",
        ),
        "write",
    ),
    **dict.fromkeys(("import", "export", "backup", "copy", "evidence"), "data"),
    **dict.fromkeys(("list", "show", "overdue", "log", "verify", "workday"), "read"),
    **dict.fromkeys(("daily", "weekly", "stats", "notice"), "reports"),
    "unit": "units",
    "grant": "admin",
    "completion": "completion",
}
LazyGroup.modules = COMMAND_MODULES


_VALUED = ("--db", "--config", "--now", "--as", "--lang")  # the global options with a value


def _global(argv: list[str], name: str) -> str | None:
    """The value an option is given (the last one, before any `--`), if any."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == name and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith(name + "="):
            found = arg.split("=", 1)[1]
    return found


def _command_at(argv: list[str]) -> int:
    """Where the command's name is in the arguments (after the global options)."""
    i = 0
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "--":
        i += 2 if argv[i] in _VALUED else 1
    return i


def _help_command(argv: list[str]) -> list[str]:
    """`oa help [COMMAND…]` as `oa [COMMAND…] --help`, as git and gh have it."""
    at = _command_at(argv)
    if at < len(argv) and argv[at] == "help":
        rest = argv[at + 1 :]
        return [*argv[:at], *([] if rest == ["help"] else rest), "--help"]
    return argv


def _early_lang(argv: list[str]) -> None:
    """The language of help pages and usage errors, which click produces before the
    callback: --lang, OA_LANG, for a help page the configuration's `lang:`, the locale."""
    from oa_cli.i18n import detect_lang, set_lang

    lang = _global(argv, "--lang") or os.environ.get("OA_LANG")
    if lang is None and (not argv or "--help" in argv or "-h" in argv):
        lang = _config_lang(argv)
    set_lang(detect_lang(lang if lang in ("en", "zh") else None))


def _usage_lang(argv: list[str]) -> None:
    """A usage error click found before the callback read the configuration (`oa dialy`):
    said in the configuration's `lang:` too, unless --lang or OA_LANG chose."""
    from oa_cli.i18n import detect_lang, set_lang

    if _global(argv, "--lang") is None and os.environ.get("OA_LANG") is None:
        lang = _config_lang(argv)
        if lang in ("en", "zh"):
            set_lang(detect_lang(lang))


def _config_lang(argv: list[str]) -> str | None:
    """The `lang:` of the configuration, or None (a configuration with a mistake is said
    when a command reads it, not on a help page)."""
    from oa_cli.cli.state import default_config
    from oa_cli.config import load

    path = _global(argv, "--config") or os.environ.get("OA_CONFIG")
    try:
        return load(Path(path) if path else default_config()).lang
    except Exception:  # noqa: BLE001 - any mistake: the help page comes in the locale's words
        return None


def _fail(lines: list[str], code: int) -> None:
    from oa_cli.cli.state import say
    from oa_cli.cli.usage import prefix

    for line in lines:  # user text in a message never reaches the terminal raw
        say(f"{prefix()}{line}")
    sys.exit(code)


def _complete() -> None:
    """The shell asked for completions (`_OA_COMPLETE`): answer, or say nothing; never fail."""
    try:
        from typer._completion_classes import completion_init

        completion_init()
        app(prog_name="oa")
    except SystemExit:
        raise
    except BaseException:  # noqa: BLE001 - a completion must never show a traceback
        if os.environ.get("OA_DEBUG"):
            raise
    sys.exit(0)


class _Closed(io.TextIOBase):
    """Standard output the caller closed: every write is EBADF (what `echo >&-` says)."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))


def main() -> None:
    sys.argv[1:] = _help_command(sys.argv[1:])
    _early_lang(sys.argv[1:])
    if sys.stdout is None:  # closed by the caller (`>&-`): writing to it fails, as for any tool
        sys.stdout = _Closed()
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (for the life of the process)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    for index, arg in enumerate(sys.argv[1:], 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            _fail([t("argument {n} is not valid UTF-8 text", n=index)], 2)
    if os.environ.get("_OA_COMPLETE"):
        _complete()
    from typer import exceptions as typer_errors

    from oa_cli.cli.clicklib import errors as click_errors

    try:
        code = app(prog_name="oa", standalone_mode=False)
        sys.stdout.flush()  # what is still buffered for a pipe: its reader may have left
    except click_errors.UsageError as exc:
        from oa_cli.cli.usage import report

        _usage_lang(sys.argv[1:])
        sys.exit(report(exc))
    except click_errors.ClickException as exc:
        _fail([exc.format_message()], exc.exit_code)
    except typer_errors.Abort:
        _fail([t("interrupted; nothing was written by the unfinished command")], 130)
    except OaError as exc:
        _fail(exc.lines(), exc.exit_code)
    except BrokenPipeError as exc:
        # `oa list | head`: the reader left; say nothing, like other Unix tools
        _output_failed(exc, quiet=True)
    except OSError as exc:
        if exc.filename is None:  # standard output
            _output_failed(exc)
        _fail([f"{exc.filename}: {os_error(exc)}"], 1)
    except KeyboardInterrupt:
        _fail([t("interrupted; nothing was written by the unfinished command")], 130)
    except Exception as exc:  # a bug: still one line, unless OA_DEBUG asks for the trace
        _unexpected(exc)
    if code == 130:  # Typer turns Ctrl-C into Exit(130) and says nothing
        _fail([t("interrupted; nothing was written by the unfinished command")], 130)
    sys.exit(code if isinstance(code, int) else 0)


def _output_failed(exc: OSError, *, quiet: bool = False) -> None:
    """Standard output failed: what it still holds is dropped (written again at exit, it
    would fail again), and exit 1. After a commit, whoever reads the exit status is told
    the change holds (the id or the line after it is what failed); else the failure is
    said unless `quiet`."""
    from oa_cli.cli.state import changed

    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if changed():
        _fail([t("the change is recorded, but the output failed: {error}", error=os_error(exc))], 1)
    if not quiet:
        _fail([t("cannot write the output: {error}", error=os_error(exc))], 1)
    sys.exit(1)


def _unexpected(exc: Exception) -> None:
    import sqlite3

    if isinstance(exc, sqlite3.OperationalError):
        _fail([t("ledger: {error}", error=exc)], 1)
    if isinstance(exc, sqlite3.DatabaseError):
        _fail([t("ledger is damaged or not a ledger: {error}", error=exc)], 1)
    if os.environ.get("OA_DEBUG"):
        raise exc
    _fail(
        [
            t(
                "internal error: {kind}: {error} (set OA_DEBUG=1 for details)",
                kind=type(exc).__name__,
                error=exc,
            )
        ],
        1,
    )
