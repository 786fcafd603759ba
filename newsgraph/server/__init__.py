"""The newsgraph web UI: server-rendered pages (FastAPI + Jinja2) that work with no outside network."""
