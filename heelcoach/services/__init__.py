"""Use cases over an explicit context, store and library: they return plain results and
never print.
"""
