"""Where the graph's IRIs live on this server: ``{base}id/…`` is served at ``/id/…``.

The configured base (``CTKG_BASE_IRI``) is mapped onto this server's root; ``/page/…`` and
``/data/….ext`` are the documents about an IRI (see ``linked_data.py``).
"""

from __future__ import annotations

from ..http.context import state

# file extension of each RDF document form -> format key of formats.FORMATS
EXTENSIONS = {"ttl": "turtle", "nt": "ntriples", "rdf": "rdfxml", "jsonld": "jsonld"}
EXTENSION_OF = {key: ext for ext, key in EXTENSIONS.items()}
# IRI spaces under the base that dereference through /id/ and /graph/
SPACES = ("id", "graph")


def base_iri() -> str:
    return state().settings.base_iri


def iri_for_path(path: str) -> str:
    """``id/province/hai-phong`` -> ``{base}id/province/hai-phong``."""
    return base_iri() + path.lstrip("/")


def local_path(iri: str) -> str | None:
    """The path this server serves ``iri`` at, or None for an IRI outside the base."""
    base = base_iri()
    if not iri.startswith(base):
        return None
    rest = iri[len(base) :]
    if rest == "ontology" or rest.startswith("ontology#"):
        return "/" + rest
    if rest.split("/", 1)[0] in SPACES:
        return "/" + rest
    return None


def page_path(iri: str) -> str | None:
    path = local_path(iri)
    return "/page" + path if path and path.split("/")[1] in SPACES else path


def data_path(iri: str, key: str) -> str | None:
    path = local_path(iri)
    if not path or path.split("/")[1] not in SPACES:
        return None
    return f"/data{path}.{EXTENSION_OF[key]}"
