"""reflect: a command-line reflection journal."""
