"""Numeric kernels shared by sections, free of framework and report knowledge."""
