"""One journal on several machines: the home as a git repository, and merges by meaning."""
