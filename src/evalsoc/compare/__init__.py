"""`evalsoc compare`: the utility and the impact readings side by side, across sites, years and
programmes. Pure functions over results.json documents; the CLI lives in evalsoc.cli.compare."""
