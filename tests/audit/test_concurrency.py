"""Many writers and sealers at once, each in its own connection and transaction."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from shinsa.audit import record
from shinsa.audit.models import AuditEvent, AuditSeal
from shinsa.audit.sealing import seal_pending
from shinsa.audit.verification import verify_chain
from tests.audit.writes import postgres_only, write_event

pytestmark = [pytest.mark.db_sensitive, pytest.mark.django_db(transaction=True)]

WRITERS = 5
EVENTS_PER_WRITER = 30


class Rollback(Exception):
    pass


def in_thread(target: Callable[[], None], errors: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            target()
        except BaseException as error:  # surfaced by the test after join()
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_it_seals_every_committed_event_exactly_once_while_writers_and_sealers_race():
    committed: list[int] = []
    rolled_back: list[str] = []
    sealed_while_writing: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS + 2)
    writing_done = threading.Event()

    def writer(index: int) -> None:
        start.wait()
        for n in range(EVENTS_PER_WRITER):
            marker = f"w{index}-{n}"
            try:
                with transaction.atomic():
                    event = record(
                        actor="worker", verb="test.race", object_type="test.thing", object_id=marker
                    )
                    if n % 4 == 3:
                        raise Rollback
                committed.append(event.pk)
            except Rollback:
                rolled_back.append(marker)

    def sealer() -> None:
        start.wait()
        while not writing_done.is_set():
            sealed_while_writing.append(seal_pending(batch=7))

    writers = [in_thread(lambda i=i: writer(i), errors) for i in range(WRITERS)]
    sealers = [in_thread(sealer, errors) for _ in range(2)]
    for thread in writers:
        thread.join(timeout=120)
    writing_done.set()
    for thread in sealers:
        thread.join(timeout=120)
    assert not errors, errors
    seal_pending()

    assert sum(sealed_while_writing) > 0, "the sealers should have run while the writers wrote"
    assert len(rolled_back) == WRITERS * len(range(3, EVENTS_PER_WRITER, 4))
    assert len(committed) == WRITERS * EVENTS_PER_WRITER - len(rolled_back)
    seals = list(AuditSeal.objects.order_by("position").values_list("position", "event_id"))
    assert sorted(event_id for _, event_id in seals) == sorted(committed)
    assert [position for position, _ in seals] == list(range(1, len(committed) + 1))
    assert not AuditEvent.objects.filter(object_id__in=rolled_back).exists()
    assert verify_chain().intact


@postgres_only
def test_it_lets_a_writer_commit_while_another_holds_its_transaction_open():
    holding = threading.Event()
    release = threading.Event()
    errors: list[BaseException] = []
    held: list[int] = []

    def slow_writer() -> None:
        with transaction.atomic():
            held.append(
                record(actor="worker", verb="test.slow", object_type="test.thing", object_id="slow").pk
            )
            holding.set()
            if not release.wait(timeout=30):
                raise TimeoutError("never released")

    thread = in_thread(slow_writer, errors)
    assert holding.wait(timeout=10)
    try:
        started = time.monotonic()
        with transaction.atomic():
            with connection.cursor() as cursor:  # waiting on any lock would fail instead of hang
                cursor.execute("SET LOCAL lock_timeout = '2s'")
                cursor.execute("SET LOCAL statement_timeout = '3s'")
            fast = record(actor="worker", verb="test.fast", object_type="test.thing", object_id="fast")
        committed_after = time.monotonic() - started
        # The sealer does not wait for the open transaction either.
        started = time.monotonic()
        assert seal_pending() == 1
        sealed_after = time.monotonic() - started
    finally:
        release.set()
        thread.join(timeout=30)
    assert not errors, errors
    assert committed_after < 1.0 and sealed_after < 1.0
    assert seal_pending() == 1
    # The held event's id is lower but it committed later, so it is appended later.
    assert held[0] < fast.pk
    chain = list(AuditSeal.objects.order_by("position").values_list("event_id", flat=True))
    assert chain == [fast.pk, held[0]]
    assert verify_chain().intact


@postgres_only
def test_it_runs_one_sealer_at_a_time_without_blocking_the_others():
    for i in range(20):
        write_event(object_id=str(i))
    results: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def sealer() -> None:
        start.wait()
        results.append(seal_pending(batch=1))

    threads = [in_thread(sealer, errors) for _ in range(4)]
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sum(results) + seal_pending() == 20
    assert AuditSeal.objects.count() == 20 and verify_chain().intact
