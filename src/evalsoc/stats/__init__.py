"""Numeric kernels (variance estimators, degrees of freedom, sensitivity bounds).

Nothing here knows the framework, the report or the results layout: plain arrays in, numbers
out, so that each kernel can be checked against a peer package on its own.
"""
