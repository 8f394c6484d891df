"""Readable JSON-LD: pyoxigraph's expanded output, compacted with ctkg's prefix ``@context``.

pyoxigraph writes expanded JSON-LD (full IRIs everywhere, every value in an array, ``rdf:type``
as a property). This pass rewrites IRIs as compact IRIs (``ctkg:Province``) using only prefix
definitions, writes ``rdf:type`` as ``@type``, turns plain string values into strings and
unwraps one-element arrays. All are valid JSON-LD compaction steps, so expanding the result
with the same context gives back the same triples.
"""

from __future__ import annotations

import json

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_IRI_KEYS = ("@id", "@type")


class _Compactor:
    def __init__(self, context: dict[str, str]):
        # longest namespace first, so the most specific prefix wins
        self.namespaces = sorted(
            ((ns, prefix) for prefix, ns in context.items() if isinstance(ns, str)),
            key=lambda pair: -len(pair[0]),
        )

    def iri(self, value: str) -> str:
        for ns, prefix in self.namespaces:
            if value.startswith(ns) and len(value) > len(ns):
                local = value[len(ns) :]
                if not local.startswith("//"):
                    return f"{prefix}:{local}"
        return value

    def node(self, item):
        if isinstance(item, list):
            items = [self.node(x) for x in item]
            return items[0] if len(items) == 1 else items
        if not isinstance(item, dict):
            return item
        if (
            set(item) <= {"@value", "@type"}
            and isinstance(item.get("@value"), str)
            and item.get("@type", XSD_STRING) == XSD_STRING
        ):
            return item["@value"]
        out = {}
        types = item.get(RDF_TYPE)
        if isinstance(types, list) and all(set(t) == {"@id"} for t in types):
            out["@type"] = self.node([self.iri(t["@id"]) for t in types])
            item = {k: v for k, v in item.items() if k != RDF_TYPE}
        for key, value in item.items():
            if key in _IRI_KEYS:
                if isinstance(value, list):
                    out[key] = self.node([self.iri(v) for v in value])
                else:
                    out[key] = self.iri(value)
            elif key == "@graph":
                out[key] = [self.node(x) for x in value]
            elif key.startswith("@"):
                out[key] = value
            else:
                out[self.iri(key)] = self.node(value)
        return out


def compact(expanded: bytes, context: dict[str, str]) -> bytes:
    """Compact pyoxigraph's expanded JSON-LD with ``context`` (prefixes only), as UTF-8 bytes."""
    data = json.loads(expanded) if expanded.strip() else []
    compactor = _Compactor(context)
    graph = data if isinstance(data, list) else [data]
    document = {"@context": context, "@graph": [compactor.node(x) for x in graph]}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
