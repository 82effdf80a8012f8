"""The same frames over HTTP (POST /v1), so one strong machine can serve the models to indexers elsewhere."""
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .protocol import MAX_FRAME

PATH = "/v1"


def serve(service, host, port):
    # The models are not thread-safe together; one request at a time, as over stdio.
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            if self.path == "/health":
                self.reply(200, b"ok\n", "text/plain")
            else:
                self.reply(404, b"not found\n", "text/plain")

        def do_POST(self):
            if self.path != PATH:
                return self.reply(404, b"not found\n", "text/plain")
            length = int(self.headers.get("Content-Length", "0"))
            if not 4 <= length <= MAX_FRAME:
                return self.reply(413, b"frame too large or empty\n", "text/plain")
            body = self.rfile.read(length)
            with lock:
                response, _ = service.answer(body[4:])  # over HTTP, shutdown only answers; the server stays
            self.reply(200, response, "application/x-viewfinder-frame")

        def reply(self, status, body, kind):
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):
            sys.stderr.write("viewfinder-worker: %s\n" % (format % args))

    server = ThreadingHTTPServer((host, port), Handler)
    print("viewfinder-worker: serving protocol v1 on http://%s:%d%s" % (host, server.server_address[1], PATH),
          file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0
