"""Viewfinder's model worker: describes photos sent by the Swift indexer over a length-prefixed protocol."""

PROTOCOL_VERSION = 1
