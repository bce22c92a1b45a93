"""The plain data every layer shares: drafts, rules, context, findings and text positions.

Nothing here reads files or runs spaCy; every other layer may import it.
"""
