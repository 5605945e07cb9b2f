"""Data intake: read files as spreadsheets export them, validate with pandera, quarantine."""
