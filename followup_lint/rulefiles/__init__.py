"""YAML the user writes, made into validated Rules: rule files, packs, templates, the config
that selects and overrides rules, and running a rule's own examples.
"""
