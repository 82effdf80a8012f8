"""One model file from the model host: follows a few http(s) redirects, resumes a cut download from its .part
file with Range, and keeps the file only if its SHA-256 is the one pinned in the catalogue. What the server says
about its bytes (ETag, X-Linked-Etag, X-Linked-Size) is never trusted: on the real host a 40-hex ETag is a git blob
SHA-1, not a SHA-256, and a server that tampers with the bytes can state whatever checksum it likes."""
import os
import urllib.parse
import urllib.request

from .model_identity import sha256_of
from .progress import ProgressBar

CHUNK = 1 << 20
MAX_REDIRECTS = 5
# A file without a pinned size is still cut off somewhere: no model file here comes near it.
MAX_FILE_BYTES = 8 << 30


class Redirects(urllib.request.HTTPRedirectHandler):
    """At most MAX_REDIRECTS hops, over http or https only, never back to a URL already visited."""

    def __init__(self):
        self.visited = []

    def http_error_302(self, request, response, code, message, headers):
        self.visited.append(request.full_url)
        location = urllib.parse.urljoin(request.full_url, headers.get("Location") or "")
        refusal = None
        if urllib.parse.urlsplit(location).scheme not in ("http", "https"):
            refusal = "%s redirects to %s; refusing, a model is only fetched over http or https" % (
                self.visited[0], location)
        elif location in self.visited:
            refusal = "redirect loop: %s leads back to %s; refusing to follow it" % (self.visited[0], location)
        elif len(self.visited) > MAX_REDIRECTS:
            refusal = "%s redirects more than %d times; refusing to follow further" % (self.visited[0], MAX_REDIRECTS)
        if refusal:
            response.close()
            raise ValueError(refusal)
        return super().http_error_302(request, response, code, message, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def fetch(url, target, pinned):
    """target from url, kept only when its bytes have the pinned SHA-256 (pinned: {sha256, size?})."""
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    size = pinned.get("size")
    have = partial.stat().st_size if partial.exists() else 0
    if size is not None and have > size:
        have = 0  # longer than the file can be: start over
    if size is None or have < size:
        receive(url, partial, have, size or MAX_FILE_BYTES, target.name)
    digest = sha256_of(partial)
    if digest != pinned["sha256"].lower():
        partial.unlink()
        raise ValueError("%s: SHA-256 %s, but the catalogue pins %s; the download was removed"
                         % (target.name, digest, pinned["sha256"]))
    os.replace(partial, target)


def receive(url, partial, have, limit, label):
    """Appends the rest of url to partial, from byte `have` on."""
    request = urllib.request.Request(url, headers={"Range": "bytes=%d-" % have} if have else {})
    with urllib.request.build_opener(Redirects()).open(request, timeout=60) as response:
        if have and response.status != 206:
            have = 0  # the server ignored the range: start over
        stated = response.headers.get("Content-Length")
        expected = have + int(stated) if stated else None
        bar = ProgressBar(label, limit if limit < MAX_FILE_BYTES else expected or 0, have)
        with open(partial, "ab" if have else "wb") as output:
            while bar.done < limit:
                chunk = response.read(min(CHUNK, limit - bar.done))
                if not chunk:
                    break
                output.write(chunk)
                bar.advance(len(chunk))
            output.flush()
            os.fsync(output.fileno())
        bar.finish()
        if bar.done >= limit and response.read(1):
            raise ValueError("%s: the server sends more than the %d bytes the file can have" % (label, limit))
        if expected is not None and bar.done < expected:
            raise OSError("connection closed after %d of %d bytes" % (bar.done, expected))

