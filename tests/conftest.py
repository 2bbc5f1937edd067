"""Shared fixtures for the whole test suite.

Every test gets its own private data folder through `HEELCOACH_HOME`, so no test can read or
write a real person's history, profile or cache, and tests cannot see each other's data.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from heelcoach.context import CACHE_ENV, HOME_ENV
from heelcoach.files import PRIVATE_DIR_MODE

# A suite started in the background by a script (`cmd &`) inherits Ctrl-C as ignored, and
# an ignored signal stays ignored in every program it starts: the pseudo-terminal tests'
# Ctrl-C would then reach nobody. A handler, unlike "ignored", is reset on exec.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def heelcoach_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty, private data folder, set as HEELCOACH_HOME for this test only.

    Request it by name to get the folder's path. Subprocesses started by a test inherit it
    through the environment.
    """
    home = tmp_path / "heelcoach-home"
    home.mkdir(mode=PRIVATE_DIR_MODE)
    monkeypatch.setenv(HOME_ENV, str(home))
    # The parsed-content cache too: tests must never read or write the user's real cache.
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "heelcoach-cache"))
    return home
