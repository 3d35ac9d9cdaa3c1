"""Pure-stdlib dataclasses that cross a boundary, one module per wing; they import nothing of the project
but core enums."""
