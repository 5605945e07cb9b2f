"""`evalsoc import`: the `data:` block of a framework written from a form or a labelled file."""
