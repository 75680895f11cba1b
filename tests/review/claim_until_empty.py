"""Run as a process by the concurrency test: claim items as one reviewer until none is left.

Prints one JSON list of the claimed item ids. Usage: python -m tests.review.claim_until_empty USERNAME [KIND]
"""

from __future__ import annotations

import json
import sys

import django


def main(username: str, kind: str | None = None) -> None:
    django.setup()
    from shinsa.accounts.models import User
    from shinsa.review.actions import do_claim_next_item

    reviewer = User.objects.get(username=username)
    claimed: list[int] = []
    while (item := do_claim_next_item(actor=reviewer, kind=kind)) is not None:
        claimed.append(item.pk)
    print(json.dumps(claimed))


if __name__ == "__main__":
    main(*sys.argv[1:3])
