"""Hash banks: known media hashes, four-eyes entries and matching (the pure engine is ``index/``).

See docs/banks.md.
"""
