"""The framework format: YAML → typed objects, the `where` language, the JSON Schema."""
