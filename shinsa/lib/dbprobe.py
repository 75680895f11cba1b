"""`python -m shinsa.lib.dbprobe URL`: exit 0 when a PostgreSQL server answers at URL, else 1."""

from __future__ import annotations

import sys
from urllib.parse import urlsplit


def postgres_reachable(url: str, timeout_seconds: int = 3) -> bool:
    import psycopg

    parts = urlsplit(url)
    try:
        # Connect to the maintenance database: the test database itself may not exist yet.
        with psycopg.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password,
            dbname="postgres",
            connect_timeout=timeout_seconds,
        ):
            return True
    except psycopg.Error:
        return False


if __name__ == "__main__":
    sys.exit(0 if postgres_reachable(sys.argv[1]) else 1)
