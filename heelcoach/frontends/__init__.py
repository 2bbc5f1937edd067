"""What a person sees and touches: the command line, the live session, the handouts.
Rich, Typer and Jinja2 are imported only here."""
