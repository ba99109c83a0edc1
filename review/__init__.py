"""The reviewers web interface (FastAPI + Jinja2)."""
