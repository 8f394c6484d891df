"""The one error type of ``ctkg.ontology``."""

from __future__ import annotations


class OntologyError(Exception):
    """The ontology or the shapes cannot be read, reasoned over or used; the message says which
    file or term is at fault and why."""
