"""Configuration files (`.dataplan-lint.yaml`, `[tool.dataplan-lint]`)."""
