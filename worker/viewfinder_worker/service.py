"""Answers one request frame with one response frame; the stdio loop and the HTTP server both use it."""
import os
import traceback

from . import PROTOCOL_VERSION
from .picture import Picture
from .protocol import ProtocolError, decode, encode


class Service:
    def __init__(self, describer):
        self.describer = describer

    def answer(self, frame):
        try:
            header, payload = decode(frame)
            operation = header.get("op")
            if operation == "hello":
                return encode({"ok": True, "protocol": PROTOCOL_VERSION, "pid": os.getpid(),
                               "models": self.describer.models()})
            if operation == "describe":
                return encode({"ok": True, "results": [self.describe(image, payload) for image in header["images"]]})
            if operation == "embed":
                return encode({"ok": True, "vectors": self.describer.embed_query(header["texts"])})
            if operation == "shutdown":
                return encode({"ok": True, "bye": True})
            return encode({"ok": False, "error": "unknown operation %r" % operation})
        except (ProtocolError, KeyError, ValueError, TypeError) as error:
            return encode({"ok": False, "error": "bad request: %s" % error})

    def describe(self, image, payload):
        try:
            offset, width, height = image["offset"], image["width"], image["height"]
            pixels = payload[offset:offset + width * height * 3]
            picture = Picture.from_bytes(pixels, width, height)
            result = self.describer.describe(picture, taken=image.get("taken"), latitude=image.get("latitude"),
                                             longitude=image.get("longitude"), read_text=image.get("text", True))
            return dict(result, id=image["id"])
        except Exception as error:  # one bad picture must not fail the batch
            traceback.print_exc()
            return {"id": image.get("id"), "error": "%s: %s" % (type(error).__name__, error)}
