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
        """The response frame, and whether the worker should now stop (after `shutdown`)."""
        try:
            header, payload = decode(frame)
            operation = header.get("op")
            if operation == "hello":
                return encode({"ok": True, "protocol": PROTOCOL_VERSION, "pid": os.getpid(),
                               "models": self.describer.models()}), False
            if operation == "describe":
                return encode({"ok": True, "results": self.describe(header["images"], payload)}), False
            if operation == "embed":
                return encode({"ok": True, "vectors": self.describer.embed_query(header["texts"])}), False
            if operation == "shutdown":
                return encode({"ok": True, "bye": True}), True
            return encode({"ok": False, "error": "unknown operation %r" % operation}), False
        except (ProtocolError, KeyError, ValueError, TypeError) as error:
            return encode({"ok": False, "error": "bad request: %s" % error}), False

    def describe(self, images, payload):
        """Results in request order; a picture that cannot be read or described gets an error of its own."""
        results, requests, positions = [None] * len(images), [], []
        for position, image in enumerate(images):
            try:
                offset, width, height = image["offset"], image["width"], image["height"]
                picture = Picture.from_bytes(payload[offset:offset + width * height * 3], width, height)
                requests.append((picture, image.get("taken"), image.get("latitude"), image.get("longitude"),
                                 image.get("text", True)))
                positions.append(position)
            except Exception as error:
                results[position] = failure(image, error)
        try:
            described = self.describer.describe_all(requests)
        except Exception:  # then one at a time, so one bad picture does not fail the batch
            described = []
            for request, position in zip(requests, positions):
                try:
                    described.append(self.describer.describe(*request))
                except Exception as error:
                    described.append(failure(images[position], error))
        for position, result in zip(positions, described):
            results[position] = dict(result, id=images[position]["id"])
        return results


def failure(image, error):
    traceback.print_exc()
    return {"id": image.get("id"), "error": "%s: %s" % (type(error).__name__, error)}
