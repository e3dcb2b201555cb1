"""The Alembic revision the code expects, readable without importing Alembic or SQLAlchemy."""

SCHEMA_REVISION = "0007"
