"""Volunteering: volume by category and its valuation."""
