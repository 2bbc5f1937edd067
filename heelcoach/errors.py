"""The two ways a command can refuse, each with its documented exit code.

Domain code raises these; only `cli.main` turns them into one line on stderr and an exit
code, so no module needs to know about the terminal to report a problem.
"""

from __future__ import annotations

EXIT_REFUSED = 1  # refused for safety or state: referral, no profile, damaged history
EXIT_BAD_INPUT = 2  # the user's input (an option, a file, an answer) is wrong
EXIT_INTERNAL = 3  # a bug in heelcoach itself; HEELCOACH_DEBUG=1 shows the traceback
EXIT_SAVED_OUTPUT_FAILED = 4  # stored what it was asked to, but stdout could not be written
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells expect


class HeelcoachError(Exception):
    """A problem the user can act on, shown as one line without a traceback."""

    exit_code = EXIT_BAD_INPUT


class BadInput(HeelcoachError):
    """The input is wrong: exit 2 (the default), nothing written."""


class Refused(HeelcoachError):
    """The request is understood but will not be carried out (safety or state): exit 1."""

    exit_code = EXIT_REFUSED


def unknown_id(kind: str, given: str, known: list[str]) -> BadInput:
    """BadInput for an unknown id, with close matches when there are any."""
    import difflib

    matches = difflib.get_close_matches(given, known, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(matches)}?" if matches else "; see `heelcoach exercises`"
    return BadInput(f"unknown {kind} '{given}'{hint}")
