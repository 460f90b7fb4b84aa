"""Summaries of a range in md, html, json and csv, and the coach's report over several clients."""
