"""Allow `python -m heelcoach`."""

from heelcoach.cli import main

main()
