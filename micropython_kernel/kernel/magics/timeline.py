"""%timeline: the logic analyzer (every pin change with its board time; see board/timeline.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .registry import MagicArgumentParser, MagicError, line_magic

if TYPE_CHECKING:
    from ..session import Session

_parser = MagicArgumentParser("%timeline")
_parser.add_argument("pins", nargs="*", metavar="PIN", help="the pins to show (default: all that changed)")
_parser.add_argument("--window", type=float, metavar="SECONDS", help="show the newest SECONDS")


@line_magic(
    "timeline",
    "%timeline [PIN ...] [--window SECONDS] | on | off | clear",
    "the logic analyzer: every pin, PWM, ADC, display and bus change with the board's microsecond time, "
    "one lane per pin; on/off: recording (on by default), clear: forget it",
)
async def timeline(session: Session, args: str, body: str | None) -> None:
    record = session.state.timeline
    words = args.split()
    if words in (["on"], ["off"]):
        record.on = words[0] == "on"
        session.print(f"timeline recording {words[0]} ({len(record):,} events kept)\n")
        return
    if words == ["clear"]:
        record.clear()
        session.print("timeline cleared\n")
        return
    options = _parser.parse_line(args)
    if options.window is not None and not options.window > 0:
        raise MagicError("%timeline: --window must be a positive number of seconds")
    pins = []
    for pin in options.pins:
        try:
            pins.append(record.resolve(pin))
        except ValueError as err:
            raise MagicError(f"%timeline: {err}") from err
    session.print(_summary(session, pins))
    await session.target.ensure()
    session.views.show("timeline", session.views.new_timeline(pins or None, options.window))


def _summary(session: Session, pins: list[str]) -> str:
    record = session.state.timeline
    state = "on" if record.on else "off (%timeline on resumes it)"
    mb = record.memory_bytes / 1e6
    lines = [
        f"timeline: {len(record):,} events (newest {record.capacity:,} kept, {mb:.1f} MB); recording {state}"
    ]
    return "\n".join(lines) + "\n"
