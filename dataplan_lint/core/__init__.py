"""Core types shared by every layer: findings, pointers, quantities, rule catalog, settings."""
