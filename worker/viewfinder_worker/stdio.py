"""Frames over stdin and stdout: the Swift indexer's child process. stdout carries frames only."""
import sys

from .protocol import read_frame


def serve(service):
    requests, responses = sys.stdin.buffer, sys.stdout.buffer
    # Anything a library prints must not corrupt the frames.
    sys.stdout = sys.stderr
    while True:
        frame = read_frame(requests)
        if frame is None:
            return 0
        response, finished = service.answer(frame)
        responses.write(response)
        responses.flush()
        if finished:
            return 0
