"""Counterfactual effects: configuration, preparation, design modules, rendering."""
