"""Qualitative indicators: rubric judgements, agreement and coded themes."""
