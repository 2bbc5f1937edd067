"""Where a person's data is kept: the SQLite history, the profile file, export files.

`store` is the one repository over SQLite (schema and named migrations, inspection before
writing, private modes, crash-safe writes); nothing else issues SQL. `profile_file` reads
and writes `profile.json` and screening answers files; `transfer` reads and writes the
export formats.
"""
