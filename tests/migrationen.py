"""Helper for the migration tests (the fixture `zum_schluss_aktuell` is in conftest.py)."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrieren(ziel):
    """Migrates the test database to `ziel` and returns the apps of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(ziel)
    return executor.loader.project_state(ziel).apps


def neueste():
    """The newest migration of every app: after it the current models fit the database."""
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
