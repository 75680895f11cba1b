"""Real background tasks for the dashboard tests: enqueued through django.tasks, run by db_worker."""

from django.tasks import task


@task
def succeed() -> int:
    return 1


@task
def fail() -> None:
    raise RuntimeError("this task fails on purpose")
