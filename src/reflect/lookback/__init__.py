"""Reading the journal back as plain data: show, log, search, history, on this day."""
