from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from shinsa.api.models import WebhookDelivery, WebhookEndpoint
from shinsa.api.webhooks import (
    EVENT_TYPES,
    WebhookError,
    do_add_webhook,
    do_retire_webhook_secret,
    do_rotate_webhook_secret,
    do_set_webhook_active,
)
from shinsa.commands import ShinsaCommand


class Command(ShinsaCommand):
    help = (
        "Outgoing webhooks (docs/api.md): `add NAME URL [--event TYPE ...]` prints the signing key once; "
        "`list`; `rotate NAME` adds a new key (both sign until `retire-secret NAME`); `pause NAME`, "
        "`resume NAME`; `deliveries NAME` shows the delivery log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        add = verbs.add_parser("add", help="add an endpoint and print its signing key once")
        add.add_argument("name")
        add.add_argument("url")
        add.add_argument("--event", action="append", dest="events", help=f"one of {', '.join(EVENT_TYPES)}")
        verbs.add_parser("list", help="list endpoints (never their keys)")
        for verb, text in (
            ("rotate", "add a new signing key and print it; the old one keeps signing"),
            ("retire-secret", "stop signing with the previous key"),
            ("pause", "stop sending to the endpoint"),
            ("resume", "send to the endpoint again"),
            ("deliveries", "the last 50 deliveries and their tries"),
        ):
            verbs.add_parser(verb, help=text).add_argument("name")

    def handle(self, *args: Any, verb: str, **options: Any) -> None:
        try:
            if verb == "add":
                endpoint = do_add_webhook(
                    actor="system",
                    name=options["name"],
                    url=options["url"],
                    event_types=options["events"] or [],
                )
                self.stdout.write(endpoint.secret)
            elif verb == "list":
                for endpoint in WebhookEndpoint.objects.order_by("name"):
                    events = ",".join(endpoint.event_types) or "*"
                    state = "active" if endpoint.active else "paused"
                    keys = 2 if endpoint.previous_secret else 1
                    self.stdout.write(f"{endpoint.name}  {endpoint.url}  {events}  {state}  keys {keys}")
            elif verb == "rotate":
                self.stdout.write(
                    do_rotate_webhook_secret(actor="system", endpoint=_endpoint(options["name"])).secret
                )
            elif verb == "retire-secret":
                do_retire_webhook_secret(actor="system", endpoint=_endpoint(options["name"]))
            elif verb in ("pause", "resume"):
                do_set_webhook_active(
                    actor="system", endpoint=_endpoint(options["name"]), active=verb == "resume"
                )
            else:
                rows = WebhookDelivery.objects.filter(endpoint=_endpoint(options["name"])).order_by("-pk")[
                    :50
                ]
                for row in rows:
                    code = row.last_status_code or "-"
                    self.stdout.write(
                        f"{row.pk}  {row.created_at:%Y-%m-%d %H:%M:%S}  {row.event_type}  {row.status}  "
                        f"tries {row.attempts}  last {code} {row.last_error}".rstrip()
                    )
        except WebhookError as error:
            raise CommandError(str(error)) from None


def _endpoint(name: str) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(name=name).first()
    if endpoint is None:
        raise CommandError(_("no webhook named %(name)s") % {"name": name})
    return endpoint
