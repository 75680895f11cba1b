from datetime import date

from shinsa.web.availability import WindowState, window_state

TODAY = date(2026, 4, 1)


def test_it_calls_a_window_that_has_not_started_upcoming():
    assert window_state(start=date(2026, 4, 2), end=None, today=TODAY) == WindowState.UPCOMING


def test_it_calls_a_started_open_ended_window_current():
    assert window_state(start=date(2020, 1, 1), end=None, today=TODAY) == WindowState.CURRENT
    assert window_state(start=TODAY, end=None, today=TODAY) == WindowState.CURRENT


def test_it_treats_the_end_day_as_no_longer_available():
    assert window_state(start=date(2026, 1, 1), end=date(2026, 4, 2), today=TODAY) == WindowState.CURRENT
    assert window_state(start=date(2026, 1, 1), end=TODAY, today=TODAY) == WindowState.ENDED
