"""The language layer: one cached spaCy pipeline, parsed regions, token/phrase patterns with
their conditions, readability and the spelling dictionary.
"""
