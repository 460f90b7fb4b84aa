"""Checking a journal home and making the safe repairs."""
