"""Persistence: the SQLite schema, its migrations, the one write path (store) and the fast reader."""
