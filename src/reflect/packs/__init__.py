"""Prompt packs: loading, checking, installing, and the schedule of each day's prompts. Never prints."""
