"""Where the database under test comes from: a DSN, an embedded server, or Docker."""
