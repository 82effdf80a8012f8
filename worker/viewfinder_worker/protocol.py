"""Wire protocol v1: a frame is a 4-byte big-endian length, then a 4-byte big-endian header length, a UTF-8 JSON
header and a binary payload (the RGB pixels of the images the header describes). docs/WORKER-PROTOCOL.md has it all."""
import json
import struct

from . import PROTOCOL_VERSION

MAX_FRAME = 256 * 1024 * 1024


class ProtocolError(Exception):
    pass


def encode(header, payload=b""):
    header = dict(header, v=PROTOCOL_VERSION)
    body = json.dumps(header, separators=(",", ":")).encode()
    return struct.pack(">II", 4 + len(body) + len(payload), len(body)) + body + payload


def decode(frame):
    """Header and payload of a frame's body (everything after the outer length)."""
    if len(frame) < 4:
        raise ProtocolError("frame shorter than its header length")
    (header_length,) = struct.unpack(">I", frame[:4])
    if header_length > len(frame) - 4:
        raise ProtocolError("header length %d past the end of a %d-byte frame" % (header_length, len(frame)))
    header = json.loads(frame[4:4 + header_length])
    if header.get("v") != PROTOCOL_VERSION:
        raise ProtocolError("protocol version %r, this worker speaks %d" % (header.get("v"), PROTOCOL_VERSION))
    return header, memoryview(frame)[4 + header_length:]


def read_exactly(stream, count):
    chunks, left = [], count
    while left:
        chunk = stream.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_frame(stream):
    """The next frame's body, or None at a clean end of stream."""
    prefix = read_exactly(stream, 4)
    if prefix is None:
        return None
    (length,) = struct.unpack(">I", prefix)
    if length > MAX_FRAME:
        raise ProtocolError("frame of %d bytes is over the %d-byte limit" % (length, MAX_FRAME))
    body = read_exactly(stream, length)
    if body is None:
        raise ProtocolError("stream ended inside a frame")
    return body
