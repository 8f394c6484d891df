"""``ctkg serve``: registered with the CLI's subcommand registry on import."""

from __future__ import annotations

from ctkg.cli import command, option


@command("serve", "serve the graph over HTTP: SPARQL endpoint, graph store, health")
@option("--host", help="address to bind (default CTKG_HOST, 127.0.0.1)")
@option("--port", type=int, help="port (default CTKG_PORT, 8080)")
@option("--workers", type=int, help="worker processes (default CTKG_WORKERS, 2)")
def cmd_serve(args, settings) -> int:
    """Serve the current graph over HTTP until interrupted."""
    from .run import serve

    serve(settings, host=args.host, port=args.port, workers=args.workers)
    return 0
