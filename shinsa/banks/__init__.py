"""Hash banks: known media hashes, four-eyes entries, matching (pure engine in ``index/``), see docs/banks.md."""
