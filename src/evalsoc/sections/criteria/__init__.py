"""Verdicts per criterion and the profile synthesis."""
