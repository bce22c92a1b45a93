"""One run over many drafts: batches, worker processes, the results cache, writing fixed
files, and evaluation against a labelled corpus.
"""
