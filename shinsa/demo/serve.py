"""Runs the demo's web server (gunicorn) and one `shinsa worker` as child processes until stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

STOP_SECONDS = 20  # how long a child gets to finish after SIGTERM before it is killed


class DemoServerFailed(Exception):
    pass


def base_url(host: str, port: int) -> str:
    """Where a browser on this machine reaches a server bound to ``host``."""
    if host in {"0.0.0.0", ""}:  # noqa: S104 - a listening address, not a binding made here
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def child_commands(*, host: str, port: int, web_workers: int = 2) -> dict[str, list[str]]:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return {
        "web": [
            sys.executable,
            "-m",
            "gunicorn",
            "shinsa.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(web_workers),
            "--graceful-timeout",
            str(STOP_SECONDS - 5),
            "--access-logfile",
            "-",
            "--no-control-socket",  # this process controls it by signals; no socket in $HOME to collide on
        ],
        "worker": [sys.executable, "-m", "shinsa.cli", "worker"],
    }


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "healthz", timeout=2) as response:  # noqa: S310 - our own http URL
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def serve_demo(
    *,
    host: str,
    port: int,
    var_dir: Path,
    on_ready: Callable[[str, dict[str, int]], None],
    ready_seconds: float = 60,
) -> int:
    """Start gunicorn and a worker, call ``on_ready(url, pids)`` once /healthz answers, then wait.

    Stops both children cleanly on SIGINT/SIGTERM (exit 0), or when either child dies (exit 1).
    The children get their own process group, so Ctrl-C reaches them once, from here.
    """
    env = dict(os.environ, SHINSA_VAR_DIR=str(var_dir), PYTHONUNBUFFERED="1")
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    children: dict[str, subprocess.Popen] = {}
    try:
        for name, command in child_commands(host=host, port=port).items():
            children[name] = subprocess.Popen(command, env=env, start_new_session=True)
        url = base_url(host, port)
        deadline = time.monotonic() + ready_seconds
        while not _healthy(url):
            _raise_if_dead(children)
            if stop.is_set():
                return 0
            if time.monotonic() > deadline:
                raise DemoServerFailed(
                    f"the web server did not answer {url}healthz within {ready_seconds:.0f} s"
                )
            time.sleep(0.3)
        on_ready(url, {name: child.pid for name, child in children.items()})
        while not stop.wait(0.5):
            _raise_if_dead(children)
        return 0
    finally:
        _stop_all(children)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _raise_if_dead(children: dict[str, subprocess.Popen]) -> None:
    for name, child in children.items():
        if child.poll() is not None:
            raise DemoServerFailed(
                f"the {name} process stopped unexpectedly (exit status {child.returncode})"
            )


def _stop_all(children: dict[str, subprocess.Popen]) -> None:
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for child in children.values():
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
