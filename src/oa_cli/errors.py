"""Errors that reach the user: each carries its exit code; one handler in cli.app maps them."""

from __future__ import annotations


class OaError(Exception):
    """An error the user caused or must act on: one line on stderr, exit 1."""

    exit_code = 1

    def __init__(self, message: str, *details: str) -> None:
        super().__init__(message)
        self.message = message
        self.details = list(details)

    def lines(self) -> list[str]:
        return [self.message, *self.details]


class NotFound(OaError):
    pass


class InvalidInput(OaError):
    pass


class RefusedTransition(OaError):
    pass


class ConfigError(OaError):
    pass


class IntegrityError(OaError):
    pass


class UsageError(OaError):
    exit_code = 2


class CheckFailed(OaError):
    """`--check` found items that need attention (exit 3)."""

    exit_code = 3
