"""What a person sees and touches: the command line, the live session, the handouts.

`cli` is the Typer app (one module per command group) and the Rich renderers; `live` runs
a session in real time (runner, terminal keys, the full-screen view, sound); `words` and
`handouts` turn results into plain text. Rich and Typer are imported only here.
"""
