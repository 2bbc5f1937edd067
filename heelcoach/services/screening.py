"""Screening: answers in (a file or a person), a saved profile and the first week out."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from heelcoach.content.model import Library
from heelcoach.context import Context
from heelcoach.domain.planner import WeekPlan, build_week
from heelcoach.domain.profile import Profile
from heelcoach.storage import profile_file


def from_answers_file(ctx: Context, library: Library, path: Path, start: date) -> Profile:
    """Read, check and save the answers in `path`; nothing is saved when they are bad."""
    profile = profile_file.load_answers_file(path, library, start)
    profile_file.save_profile(ctx.profile_path, profile)
    return profile


def save(ctx: Context, profile: Profile) -> None:
    profile_file.save_profile(ctx.profile_path, profile)


def first_week(profile: Profile, library: Library) -> WeekPlan:
    """Week 1 as prescribed: what the screening result shows."""
    return build_week(profile, library, 1)
