"""Concurrent writers against the public API of each programme service."""

import pytest

# The shared checks live in helpers.py; let their failures show the compared values.
pytest.register_assert_rewrite("tests.concurrency.helpers")
