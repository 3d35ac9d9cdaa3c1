"""Every side effect of the workflows: database records, mail, files, payments, calendar."""
