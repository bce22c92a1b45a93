"""Files the tool keeps for itself (the cache folder), and the rules for creating them safely."""
