"""Stored media for the console's players: checked by ``access_media_for_user``, streamed with HTTP
Range support (players seek with it), never cached by shared caches."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from shinsa.catalog.delivery import MediaFile, access_media_for_user
from shinsa.lib.byte_ranges import UnsatisfiableRange, parse_range

CHUNK_BYTES = 256 * 1024


@require_GET
def media(request: HttpRequest, asset_version_id: int, kind: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = access_media_for_user(request.user, asset_version_id, kind)
    return serve_media(request, found)


def serve_media(request: HttpRequest, found: MediaFile) -> HttpResponse:
    """The whole file, or the one byte range the request asks for (206), or 416."""
    storage, name = found.storage, found.name
    if not storage.exists(name):
        raise Http404("stored file missing")
    size = storage.size(name)
    try:
        wanted = parse_range(request.headers.get("Range"), size)
    except UnsatisfiableRange:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return _private(response)
    if wanted is None:
        response: HttpResponse | StreamingHttpResponse = FileResponse(
            storage.open(name, "rb"), content_type=found.content_type
        )
        response["Content-Length"] = str(size)
    else:
        first, last = wanted
        response = StreamingHttpResponse(
            _read_span(storage.open(name, "rb"), first, last), status=206, content_type=found.content_type
        )
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
    response["Accept-Ranges"] = "bytes"
    return _private(response)


def _private(response: HttpResponse | StreamingHttpResponse) -> HttpResponse | StreamingHttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _read_span(handle: Any, first: int, last: int) -> Iterator[bytes]:
    with handle:
        handle.seek(first)
        left = last - first + 1
        while left > 0:
            chunk = handle.read(min(CHUNK_BYTES, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk
