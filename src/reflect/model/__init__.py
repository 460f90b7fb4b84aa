"""Pure data and rules: prompts and packs, front matter, dates, untrusted text. No file I/O, no printing."""
