from shinsa.jobs.checks import check_heartbeat_settings


def test_it_refuses_a_stale_window_shorter_than_two_heartbeats(settings):
    settings.WORKER_HEARTBEAT_SECONDS, settings.WORKER_STALE_SECONDS = 5, 9
    assert [error.id for error in check_heartbeat_settings()] == ["shinsa.jobs.E001"]
    settings.WORKER_STALE_SECONDS = 10
    assert check_heartbeat_settings() == []
