"""The content library: exercises, safety rules, questions and programme from YAML.

`model` is the frozen shape of the content; `loader` reads and checks `content/*.yaml`
and a person's own exercise files; `cache` keeps the checked content as JSON.
"""
