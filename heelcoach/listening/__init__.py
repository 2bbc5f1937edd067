"""The listening counter's signal work and rules: sound in, landings out.

`detect` needs numpy (the optional `listen` extra) and is imported only by the commands
that listen; `landing` and `judge` are plain Python, shared with the live session.
"""
