"""The content library: exercises, safety rules, questions and programme from YAML.

`model` is the frozen shape of the content (pure data the domain depends on); `loader`
parses and validates `content/*.yaml` and the user's own exercise files; `cache` keeps the
validated content as JSON so everyday commands skip YAML.
"""
