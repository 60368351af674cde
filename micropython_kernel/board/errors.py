"""Errors a board can raise, each with a message meant for the person at the notebook."""


class BoardError(Exception):
    """Something went wrong talking to the target; the message says what and what to do."""


class BoardDisconnected(BoardError):
    """The target went away: the serial port closed, the VM process ended, the pty hung up."""


class BoardTimeout(BoardError):
    """The target did not answer within the time allowed."""


class ProtocolError(BoardError):
    """The target answered, but not in the raw-REPL protocol (garbage bytes, an unexpected banner)."""
