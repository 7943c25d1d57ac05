"""Pure functions that turn fetched bytes and HTML into the fields of a Document."""
