"""heelcoach: a command-line coach for heel exercises."""

__version__ = "0.1.0"
