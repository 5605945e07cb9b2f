"""Costs: cost per person, per output, per outcome, and per additional outcome of an effect."""
