"""Reporters: pure functions from findings to text or bytes."""
