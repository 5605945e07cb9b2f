"""Resources: the budget's lines by nature (market, redistribution, reciprocity)."""
