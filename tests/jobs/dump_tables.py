"""Run as a process: print every table's rows (as ``repr``) of the configured database, as JSON."""

from __future__ import annotations

import json

import django

if __name__ == "__main__":
    django.setup()
    from tests.hostile.tables import dump_tables

    print(json.dumps({name: [repr(row) for row in rows] for name, rows in dump_tables().items()}))
