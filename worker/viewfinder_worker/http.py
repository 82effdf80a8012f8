"""The same frames over HTTP (POST /v1), so one strong machine can serve the models to indexers elsewhere."""
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .access import TokenCheck
from .protocol import MAX_FRAME

PATH = "/v1"


def route(path):
    """The endpoint a request path names. Only its last segment counts: a proxy in front may or may not strip the
    path prefix it serves the worker under (`https://proxy/gpu-a/v1` reaches `/v1` or `/gpu-a/v1`)."""
    return urlsplit(path).path.rstrip("/").rsplit("/", 1)[-1]


def make_server(service, host, port, token_check):
    # The models are not thread-safe together; one request at a time, as over stdio.
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            # Open to all, so a proxy or an indexer can tell a live worker from a dead one; it says nothing else.
            if route(self.path) == "health":
                self.reply(200, b"ok\n", "text/plain")
            else:
                self.reply(404, b"not found\n", "text/plain")

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            if not 4 <= length <= MAX_FRAME:
                self.close_connection = True
                return self.reply(413, b"frame too large or empty (a Content-Length is needed)\n", "text/plain")
            if route(self.path) != PATH[1:]:
                self.discard(length)
                return self.reply(404, b"not found\n", "text/plain")
            if not token_check.admits(self.headers.get("Authorization")):
                # Read past the body so the 401 reaches the indexer instead of a connection reset.
                self.discard(length)
                return self.reply(401, b"the model worker refused the token: it needs its own, as a Bearer token\n",
                                  "text/plain", {"WWW-Authenticate": 'Bearer realm="viewfinder-worker"'})
            body = self.rfile.read(length)
            with lock:
                response, _ = service.answer(body[4:])  # over HTTP, shutdown only answers; the server stays
            self.reply(200, response, "application/x-viewfinder-frame")

        def discard(self, length):
            while length > 0:
                chunk = self.rfile.read(min(length, 1 << 20))
                if not chunk:
                    return
                length -= len(chunk)

        def reply(self, status, body, kind, headers=None):
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):
            sys.stderr.write("viewfinder-worker: %s\n" % (format % args))

    return ThreadingHTTPServer((host, port), Handler)


def serve(service, host, port, token_check):
    server = make_server(service, host, port, token_check)
    print("viewfinder-worker: serving protocol v1 (%s) on http://%s:%d%s"
          % (token_check.summary, host, server.server_address[1], PATH),
          file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0
