"""What the web server applies before a view sees a request: a body-size cap enforced while the body is
read (a 1 GB upload is refused after its headers, or after the cap for a body without Content-Length), a
time limit on each request, and uploads kept when their name is nothing but a path (`..`). The server
itself is gunicorn's asyncio ASGI worker (see `core.management.commands.run`): slow clients cost a
coroutine each, never a worker."""

import asyncio
import logging

from django.core.handlers.asgi import ASGIHandler, ASGIRequest
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.http.multipartparser import MultiPartParser
from django.utils.datastructures import ImmutableList

log = logging.getLogger(__name__)


def _plain(status: int, text: str):
    body = text.encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ],
    }
    return start, {"type": "http.response.body", "body": body}


class TooLarge(Exception):
    pass


class Guarded:
    """ASGI middleware: `max_body` bytes per request body, `timeout` seconds per request (a request still
    running then is answered 503 and cancelled; a sync view's thread finishes on its own, its answer
    dropped)."""

    def __init__(self, app, max_body: int, timeout: float):
        self.app, self.max_body, self.timeout = app, max_body, timeout

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"").strip()
        if declared.isdigit() and int(declared) > self.max_body:
            return await self._refuse(send, 413, "request body too large")

        received, started = 0, False

        async def counted_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise TooLarge
            return message

        async def tracked_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await asyncio.wait_for(self.app(scope, counted_receive, tracked_send), self.timeout)
        except TooLarge:
            if not started:
                await self._refuse(send, 413, "request body too large")
        except TimeoutError:
            log.warning("request over %ss: %s %s", self.timeout, scope.get("method"), scope.get("path"))
            if not started:
                await self._refuse(send, 503, "the request took too long; try again later")

    @staticmethod
    async def _refuse(send, status: int, text: str):
        start, body = _plain(status, text)
        await send(start)
        await send(body)


UNNAMED = "unnamed"


class _KeepsEveryFile(MultiPartParser):
    """Django drops a file part whose name is only `.`, `..` or a path ending in one, as if no file had
    been chosen; such a file is kept here under a plain name, so that it is checked like any other."""

    def sanitize_file_name(self, file_name):
        return super().sanitize_file_name(file_name) or (UNNAMED if file_name.strip() else None)


class _Uploads:
    def parse_file_upload(self, META, post_data):
        self.upload_handlers = ImmutableList(
            self.upload_handlers,
            warning="You cannot alter upload handlers after the upload has been processed.",
        )
        return _KeepsEveryFile(META, post_data, self.upload_handlers, self.encoding).parse()


class Asgi(ASGIHandler):
    request_class = type("Request", (_Uploads, ASGIRequest), {})


class Wsgi(WSGIHandler):
    request_class = type("Request", (_Uploads, WSGIRequest), {})
