"""The command line: a thin shell over evalsoc.pipeline (heavy modules imported lazily)."""
