"""JSON Schema validation of plans: bundled schema, generated validator, error walker."""
