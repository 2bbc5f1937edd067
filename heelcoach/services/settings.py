"""A person's preferences (`heelcoach settings`): read with safe defaults, and saved."""

from __future__ import annotations

from heelcoach.context import Context
from heelcoach.storage.settings_file import Settings as Settings
from heelcoach.storage.settings_file import load_settings, save_settings


def preferences(ctx: Context) -> tuple[Settings, str | None]:
    """The saved settings, and what was wrong when a damaged file left the defaults."""
    return load_settings(ctx.settings_path)


def save_preferences(ctx: Context, settings: Settings) -> None:
    save_settings(ctx.settings_path, settings)
