"""Benchmark: ctkg beside the Oxigraph server, pyoxigraph and rdflib (see README.md)."""
