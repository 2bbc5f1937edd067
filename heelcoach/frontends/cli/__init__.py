"""The `heelcoach` command line: the Typer app, its command groups and renderers."""
