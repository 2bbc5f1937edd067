"""What nearly every use case needs first, from the command's `Context`: the library, the
store and the profile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from heelcoach.context import Context
from heelcoach.errors import Refused

if TYPE_CHECKING:
    from heelcoach.content.model import Library
    from heelcoach.domain.profile import Profile
    from heelcoach.storage.store import Store as Store  # the type front ends annotate with


def library(ctx: Context) -> Library:
    """The validated exercise library, rules, questions and programme."""
    from heelcoach.content.loader import load_library

    return load_library(ctx.user_exercises_dir, ctx.cache_dir)


def open_store(ctx: Context, *, create: bool) -> Store:
    """The history; `create=False` gives an empty read-only view when there is none yet."""
    from heelcoach.storage.store import Store as Store  # the type front ends annotate with

    return Store.open(ctx.history_path, create=create)


def load_profile(ctx: Context, library: Library) -> Profile | None:
    from heelcoach.storage.profile_file import load_profile as load

    return load(ctx.profile_path, library, ctx.today)


def require_profile(ctx: Context, library: Library) -> Profile:
    profile = load_profile(ctx, library)
    if profile is None:
        raise Refused(
            "no profile yet: run `heelcoach screen` first (or `heelcoach screen --answers FILE`)"
        )
    return profile
