"""Statistics over the answers as plain data, and the words every plain-text output uses for them."""
