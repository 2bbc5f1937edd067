"""Where a person's data is kept: the SQLite history, the profile file, export files.

`store` is the one repository over SQLite; nothing else issues SQL. It is built from
`schema` (the named migrations and what makes a file a heelcoach history), `rows` (records
to rows and back, checked by the rules of `domain.records`), `opening` (what is checked
before anything is written, private modes), `failures` (SQLite and OS errors as one line a
person can act on), `locks` (a live session's lock) and `importing` (how an import's
records join the history). `profile_file` reads and writes `profile.json` and screening
answers files; `transfer` reads and writes the export formats.
"""
