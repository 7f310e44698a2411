"""A local OpenAI-compatible chat server for the LLM-mode tests: real HTTP, recorded responses.

The model name picks the recorded response (`llm_responses/<model>.json`): its "status", "body" (the
exact bytes to send, so malformed JSON can be recorded too) and an optional "delay" in seconds.
Every request is kept in `server.requests` (headers and JSON body) for the tests to inspect.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

RESPONSES = Path(__file__).with_name("llm_responses")


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the http.server API
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length))
        self.server.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
        recorded = json.loads((RESPONSES / f"{body['model']}.json").read_text(encoding="utf-8"))
        time.sleep(recorded.get("delay", 0))
        payload = recorded["body"]
        data = (payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)).encode()
        try:
            self.send_response(recorded.get("status", 200))
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
            pass

    def log_message(self, *args):
        pass


def start() -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.requests = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
