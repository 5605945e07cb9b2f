"""Quantitative indicators: per-group sufficient statistics, intervals, privacy."""
