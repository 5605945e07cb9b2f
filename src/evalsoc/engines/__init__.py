"""Engines: where the data live and how the sections' questions about them are answered.

`base.Engine` is the interface (columns, dtypes, row mask of a `where` expression, rows of
some columns, grouped sufficient statistics per indicator kind); `pandas.PandasEngine` is the
in-memory implementation every run uses today. See docs/architecture.md, "How to add an engine".
"""
