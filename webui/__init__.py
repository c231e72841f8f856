"""Clio's web front end: a Flask application factory, thin views over `indexer.search`."""

from .app import create_app

__all__ = ["create_app"]
