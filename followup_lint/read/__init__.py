"""Bytes to a Draft: decoding, front matter, Markdown, .eml, regions with exact offsets, and
finding draft files in folders. No spaCy here.
"""
