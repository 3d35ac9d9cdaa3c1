"""make dev: the whole system on embedded defaults, in the foreground."""
