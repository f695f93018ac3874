"""The workspace store: one SQLite file, its connection settings, schema migrations and queries."""
