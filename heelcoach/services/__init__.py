"""Use cases: one function each, over an explicit context, store and library.

A command line (or any other front end) builds a `Context`, opens the store once, and
calls these; they return plain results and never print. They combine the domain's rules
with what storage and content hold.
"""
