"""Coalescing a flood of hardware events: what a batch keeps in the BoardState's history.

A tight loop toggling a pin sends ~10^6 events a second. Each batch read from the wire keeps at most
``max_events`` of them as history; the earlier ones only update the final state: the last value of
every (kind, target) they touched goes first, so the board's state ends as the VM left it. The kernel
keeps up and its memory stays bounded whatever the loop does (the timeline keeps every event apart).
"""

from __future__ import annotations

from array import array
from typing import Any

from .wire import VALUE_MASK, Decoded, EventReader, Segment


def coalesce(segments: list[Segment], reader: EventReader, max_events: int) -> tuple[list[Decoded], int]:
    """All events if few; else the last ``max_events`` preceded by the final value of every (kind,
    target) whose earlier events were dropped. Returns the events and how many were folded away."""
    sizes = [len(s) // 2 if isinstance(s, array) else len(s) for s in segments]
    skip = sum(sizes) - max_events
    if skip <= 0:
        return [e for s in segments for e in (reader.fast_records(s) if isinstance(s, array) else s)], 0
    folded = 0
    latest: dict[Any, Any] = {}  # (kind, target) or code -> the last dropped record
    kept: list[Decoded] = []
    for segment, size in zip(segments, sizes, strict=True):
        drop = min(size, skip)
        skip -= drop
        if isinstance(segment, array):
            codes = segment[0 : 2 * drop : 2]
            ticks = segment[1 : 2 * drop : 2]
            latest.update(zip(map((20).__rrshift__, codes), zip(ticks, codes, strict=True), strict=True))
            kept += reader.fast_records(segment, 2 * drop)
        else:
            latest.update(((e[1], e[2]), e) for e in segment[:drop])
            kept += segment[drop:]
        folded += drop
    finals: list[Decoded] = []
    for key, record in latest.items():
        if isinstance(key, int):
            if key in reader.codes:
                kind, target = reader.codes[key]
                finals.append((record[0], kind, target, record[1] & VALUE_MASK))
        else:
            finals.append(record)
    return finals + kept, folded
