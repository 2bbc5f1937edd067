"""The rules of heelcoach, as pure functions over plain data.

Screening answers become a `Profile`; `safety` decides what is allowed, modified or left
out, and why; `planner` builds the week; `monitoring` holds the pain-monitoring model;
`progression` judges finished weeks; `session` is the live engine; `stats` and `logbook`
shape the history. Nothing here reads a file, a clock or a terminal, or imports Rich or
Typer, so every rule is tested with plain values.
"""
