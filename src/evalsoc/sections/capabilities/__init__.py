"""Capability sets (Alkire–Foster): config, engine, adapter, rendering."""
