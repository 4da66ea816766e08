"""Errors a person can act on. The command tree shows their message, ephemerally, and nothing else."""


class UserFacingError(Exception):
    """Base for errors whose message is written for the person who ran the command."""


class NotFound(UserFacingError):
    """The thing asked for does not exist (an unknown fact id, resolution number, page)."""


class InvalidInput(UserFacingError):
    """The input cannot be used as given; the message says how to fix it."""


class NotAllowed(UserFacingError):
    """The member may not do this (not a moderator, not the person who opened the view)."""


class Conflict(UserFacingError):
    """The change was based on an outdated state (for example an older revision)."""
