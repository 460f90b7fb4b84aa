"""The journal home on disk: config, the entry file format, atomic writes and the lock, saving, drafts, the cache."""
