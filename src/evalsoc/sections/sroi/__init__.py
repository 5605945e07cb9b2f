"""Social return on investment: config, engine, adapter, rendering."""
