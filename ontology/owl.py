"""The ontology as owlready2 objects, for object-style access in notebooks.

owlready2 does not read Turtle, so the Turtle source goes through rdflib to N-Triples first.
"""

from __future__ import annotations

import contextlib
import io

from ctkg.iris import IriScheme

from .load import load_ontology_graph


def load_owlready(scheme: IriScheme | None = None, world=None):
    """The ctkg ontology loaded into ``world`` (a fresh owlready2 World by default)."""
    import owlready2

    graph = load_ontology_graph(scheme)
    iri = (scheme.ontology_iri if scheme else None) or "https://w3id.org/ctkg/ontology"
    world = world or owlready2.World()
    nt = graph.serialize(format="nt", encoding="utf-8")
    # owlready2 prints a line for each property also typed as a Data Cube property
    with contextlib.redirect_stderr(io.StringIO()):
        return world.get_ontology(str(iri)).load(fileobj=io.BytesIO(nt), format="ntriples")
