"""The rules of heelcoach, as pure functions over plain data: nothing here reads a file,
a clock or a terminal, or imports Rich or Typer, so every rule is tested with plain values.
"""
