"""Writing the journal: asking a day's questions, editing a day, importing from other journals."""
