"""Shared fixtures. The cast of people lives in tests/cast.py."""
