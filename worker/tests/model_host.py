"""A local stand-in for the model host that behaves like the real one: a large file answers 302 to a second host
(its CDN), with the SHA-256 only in X-Linked-Etag and X-Linked-Size on that redirect; a small file is served
directly with a 40-hex ETag, its git blob SHA-1. Both hosts bind 127.0.0.1 and stop by themselves."""
import hashlib
import http.server
import threading

LARGE = 10_000  # bytes from which the real host hands a file to its CDN


def git_blob_sha1(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class ModelHost:
    """files: {path: bytes}. tampered: {path: bytes} served instead, with headers that vouch for them;
    redirects: {path: Location}; cut_once: CDN blobs cut after half their bytes, once; ranges: Range headers seen."""

    def __init__(self, files, lifetime=120):
        self.files, self.tampered, self.redirects, self.blobs = dict(files), {}, {}, {}
        self.cut_once, self.ranges, self.requests = set(), [], []
        self.hub = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler(self.answer_hub))
        self.cdn = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler(self.answer_cdn))
        self.url = "http://127.0.0.1:%d" % self.hub.server_address[1]
        self.cdn_url = "http://127.0.0.1:%d" % self.cdn.server_address[1]
        self.lifetime = threading.Timer(lifetime, self.stop)  # a test that hangs still frees its ports

    def __enter__(self):
        for server in (self.hub, self.cdn):
            threading.Thread(target=server.serve_forever, daemon=True).start()
        self.lifetime.daemon = True
        self.lifetime.start()
        return self

    def __exit__(self, *exception):
        self.lifetime.cancel()
        self.stop()

    def stop(self):
        for server in (self.hub, self.cdn):
            server.shutdown()
            server.server_close()

    def answer_hub(self, request):
        self.requests.append(request.path)
        if request.path in self.redirects:
            return reply(request, 302, b"", {"Location": self.redirects[request.path]})
        data = self.tampered.get(request.path, self.files.get(request.path))
        if data is None:
            return reply(request, 404, b"not found\n", {})
        if len(data) < LARGE:
            return send_range(request, data, {"ETag": '"%s"' % git_blob_sha1(data)}, cut=False)
        sha256 = hashlib.sha256(data).hexdigest()
        self.blobs["/blobs/" + sha256] = data
        return reply(request, 302, b"", {"Location": "%s/blobs/%s" % (self.cdn_url, sha256),
                                         "X-Linked-Etag": '"%s"' % sha256, "X-Linked-Size": str(len(data)),
                                         "ETag": '"%s"' % git_blob_sha1(data)})

    def answer_cdn(self, request):
        self.requests.append(request.path)
        data = self.blobs.get(request.path)
        if data is None:
            return reply(request, 404, b"not found\n", {})
        self.ranges.append(request.headers.get("Range"))
        cut = request.path in self.cut_once
        self.cut_once.discard(request.path)
        return send_range(request, data, {}, cut)


def handler(answer):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            answer(self)

        def log_message(self, *arguments):
            pass

    return Handler


def reply(request, status, body, headers):
    request.send_response(status)
    for name, value in headers.items():
        request.send_header(name, value)
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    request.wfile.write(body)


def send_range(request, data, headers, cut):
    """data from the Range's first byte on (206), or whole (200); cut: half of it, then the connection drops."""
    start = int((request.headers.get("Range") or "bytes=0-")[len("bytes="):].split("-")[0] or 0)
    body = data[start:]
    request.send_response(206 if start else 200)
    if start:
        request.send_header("Content-Range", "bytes %d-%d/%d" % (start, len(data) - 1, len(data)))
    for name, value in headers.items():
        request.send_header(name, value)
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    if cut:
        request.wfile.write(body[:len(body) // 2])
        request.wfile.flush()
        request.close_connection = True
        request.connection.shutdown(2)
        return
    request.wfile.write(body)
