"""python -m viewfinder_worker [--listen HOST:PORT [--worker-token-file PATH]] [--no-text | --embed-only] | models list|install|remove NAME"""
import argparse
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(prog="viewfinder_worker",
                                     description="Viewfinder's model worker (protocol: docs/WORKER-PROTOCOL.md).")
    parser.add_argument("--listen", metavar="HOST:PORT", help="serve the protocol over HTTP instead of stdio")
    parser.add_argument("--worker-token-file", metavar="PATH",
                        help="with --listen: admit only requests bearing the token this file holds "
                             "(else $VIEWFINDER_WORKER_TOKEN; needed unless HOST is loopback)")
    parser.add_argument("--no-text", action="store_true", help="do not load the OCR models")
    parser.add_argument("--embed-only", action="store_true",
                        help="embed search queries only: the sentence model (and CLIP's text side), no photo models")
    commands = parser.add_subparsers(dest="command")
    models = commands.add_parser("models", help="list, install or remove optional models")
    models.add_argument("action", choices=["list", "install", "remove"])
    models.add_argument("name", nargs="?")
    models.add_argument("--json", action="store_true")
    arguments = parser.parse_args(argv)
    if arguments.command == "models":
        from .model_store import run
        return run(arguments.action, arguments.name, arguments.json)
    if arguments.listen:
        from .access import AccessError, TokenCheck, check_listening, load_token
        host, _, port = arguments.listen.rpartition(":")
        host = host or "127.0.0.1"
        # Before the models load, so a refused start is quick.
        try:
            token = load_token(arguments.worker_token_file)
            check_listening(host, token)
        except AccessError as error:
            print("viewfinder-worker: %s" % error, file=sys.stderr)
            return 2
    from .memory import hold_mmap_threshold
    hold_mmap_threshold()
    from .service import Service
    if arguments.embed_only:
        from .query_embedder import QueryEmbedder
        service = Service(QueryEmbedder())
    else:
        from .describer import Describer
        service = Service(Describer(read_text=not arguments.no_text))
    if arguments.listen:
        from .http import serve
        return serve(service, host, int(port), TokenCheck(token))
    from .stdio import serve
    return serve(service)


if __name__ == "__main__":
    sys.exit(main())
