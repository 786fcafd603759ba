"""The corpus store: articles and their records in SQLite (default) or PostgreSQL, through SQLAlchemy 2."""
