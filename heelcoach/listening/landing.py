"""A landing as the detector hears it: plain data, so the rules over landings (and the
live session) need no signal library."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Landing:
    """One landing: `t` seconds from the start of the sound to the heel contact, and the
    energy of its thump in dB against a full-scale signal."""

    t: float
    level_dbfs: float
