"""The ontology's HTML documentation, generated from the served ontology graph.

The graph ``{base}graph/ontology`` is ``ontology/ctkg.ttl`` as the build loaded it (rebased to
``CTKG_BASE_IRI``); it is read once per data version through an executor (N-Triples) and
walked with rdflib, which resolves ``owl:unionOf`` lists and ``owl:AllDisjointClasses``.
Nothing here is written by hand: labels, definitions, domains, ranges, characteristics and the
alignments to schema.org, ORG, PROV, Data Cube, SKOS, OWL-Time and FOAF all come from the
ontology's own triples.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

VANN = "http://purl.org/vocab/vann/"
LANGS = ("vi", "en")

_cache: dict[str, OntologyDoc] = {}
_lock = threading.Lock()


@dataclass
class Ref:
    """A link to a term: ``ctkg:`` terms point into this page, others to their own IRI."""

    iri: str
    text: str
    local: bool


@dataclass
class Term:
    iri: str
    name: str  # local name, also the HTML anchor
    kind: str  # class | object | datatype | annotation | individual
    labels: dict[str, str] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    supers: list[Ref] = field(default_factory=list)
    subs: list[Ref] = field(default_factory=list)
    domain: list[list[Ref]] = field(default_factory=list)  # each entry a union
    range: list[list[Ref]] = field(default_factory=list)
    characteristics: list[str] = field(default_factory=list)
    types: list[Ref] = field(default_factory=list)
    extra: list[tuple[str, list[Ref]]] = field(default_factory=list)
    disjoint: list[Ref] = field(default_factory=list)


@dataclass
class OntologyDoc:
    iri: str
    namespace: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    version_iri: str
    version: str
    license: str
    created: str
    modified: str
    prefix: str
    classes: list[Term]
    object_properties: list[Term]
    datatype_properties: list[Term]
    individuals: list[Term]
    alignments: list[tuple[Ref, str, Ref]]
    external: dict[str, list[Ref]]  # vocabulary prefix -> external terms declared

    @property
    def counts(self) -> dict[str, int]:
        return {
            "classes": len(self.classes),
            "object": len(self.object_properties),
            "datatype": len(self.datatype_properties),
            "individuals": len(self.individuals),
        }


def get(version: str, load_ntriples, base_iri: str, prefixes: dict[str, str]) -> OntologyDoc:
    """The documentation for data version ``version`` (built once; ``load_ntriples()`` reads)."""
    with _lock:
        doc = _cache.get(version)
        if doc is None:
            graph = Graph()
            graph.parse(data=load_ntriples(), format="nt")
            doc = build(graph, base_iri, prefixes)
            _cache.clear()
            _cache[version] = doc
        return doc


def _by_lang(graph: Graph, subject, predicate) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in graph.objects(subject, predicate):
        if isinstance(value, Literal):
            out.setdefault(value.language or "", str(value))
    return out


def build(graph: Graph, base_iri: str, prefixes: dict[str, str]) -> OntologyDoc:
    ontology_iri = base_iri + "ontology"
    namespace = ontology_iri + "#"
    namespaces = sorted(((ns, p) for p, ns in prefixes.items()), key=lambda x: -len(x[0]))

    def ref(node) -> list[Ref]:
        if isinstance(node, BNode):
            members = list(graph.objects(node, OWL.unionOf))
            if members:
                return [r for m in Collection(graph, members[0]) for r in ref(m)]
            return []
        iri = str(node)
        if iri.startswith(namespace):
            return [Ref(iri, "ctkg:" + iri[len(namespace) :], True)]
        for ns, prefix in namespaces:
            if iri.startswith(ns) and len(iri) > len(ns):
                return [Ref(iri, f"{prefix}:{iri[len(ns) :]}", False)]
        return [Ref(iri, iri, False)]

    def own(node) -> bool:
        return isinstance(node, URIRef) and str(node).startswith(namespace)

    def term(node, kind: str) -> Term:
        name = str(node)[len(namespace) :]
        t = Term(str(node), name, kind)
        t.labels = _by_lang(graph, node, RDFS.label)
        t.definitions = _by_lang(graph, node, SKOS.definition)
        t.comments = _by_lang(graph, node, RDFS.comment)
        return t

    def sort_key(t: Term):
        return t.name.lower()

    classes = {n: term(n, "class") for n in set(graph.subjects(RDF.type, OWL.Class)) if own(n)}
    objects = {
        n: term(n, "object") for n in set(graph.subjects(RDF.type, OWL.ObjectProperty)) if own(n)
    }
    datatypes = {
        n: term(n, "datatype")
        for n in set(graph.subjects(RDF.type, OWL.DatatypeProperty))
        if own(n)
    }
    individuals = {
        n: term(n, "individual")
        for n in set(graph.subjects(RDF.type, OWL.NamedIndividual))
        if own(n)
    }
    alignments: list[tuple[Ref, str, Ref]] = []

    for node, t in classes.items():
        for sup in graph.objects(node, RDFS.subClassOf):
            t.supers += ref(sup)
            if isinstance(sup, URIRef) and not own(sup):
                alignments.append((ref(node)[0], "rdfs:subClassOf", ref(sup)[0]))
        for sub in graph.subjects(RDFS.subClassOf, node):
            if own(sub):
                t.subs += ref(sub)
        t.supers.sort(key=lambda r: (not r.local, r.text))
        t.subs.sort(key=lambda r: r.text)
    for disjoint in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        for members in graph.objects(disjoint, OWL.members):
            group = list(Collection(graph, members))
            for member in group:
                if member in classes:
                    classes[member].disjoint += [r for m in group if m != member for r in ref(m)]
    for node in classes:
        for other in graph.objects(node, OWL.disjointWith):
            classes[node].disjoint += ref(other)

    characteristic_types = {
        OWL.FunctionalProperty: "functional",
        OWL.InverseFunctionalProperty: "inverse functional",
        OWL.TransitiveProperty: "transitive",
        OWL.SymmetricProperty: "symmetric",
    }
    for node, t in {**objects, **datatypes}.items():
        for sup in graph.objects(node, RDFS.subPropertyOf):
            t.supers += ref(sup)
            if isinstance(sup, URIRef) and not own(sup):
                alignments.append((ref(node)[0], "rdfs:subPropertyOf", ref(sup)[0]))
        for sub in graph.subjects(RDFS.subPropertyOf, node):
            if own(sub):
                t.subs += ref(sub)
        t.domain = [ref(d) for d in graph.objects(node, RDFS.domain)]
        t.range = [ref(r) for r in graph.objects(node, RDFS.range)]
        for rdf_type in graph.objects(node, RDF.type):
            if rdf_type in characteristic_types:
                t.characteristics.append(characteristic_types[rdf_type])
            elif rdf_type not in (OWL.ObjectProperty, OWL.DatatypeProperty):
                t.types += ref(rdf_type)
                if isinstance(rdf_type, URIRef) and not own(rdf_type):
                    alignments.append((ref(node)[0], "rdf:type", ref(rdf_type)[0]))
        for inverse in graph.objects(node, OWL.inverseOf):
            t.extra.append(("owl:inverseOf", ref(inverse)))
    for node, t in individuals.items():
        t.types = [
            r
            for rdf_type in graph.objects(node, RDF.type)
            if rdf_type != OWL.NamedIndividual
            for r in ref(rdf_type)
        ]
        for predicate, obj in sorted(graph.predicate_objects(node)):
            if predicate in (RDF.type, RDFS.label, SKOS.definition, RDFS.comment):
                continue
            if predicate in (SKOS.prefLabel, RDFS.isDefinedBy) or isinstance(obj, Literal):
                continue
            t.extra.append((ref(predicate)[0].text, ref(obj)))

    external: dict[str, list[Ref]] = {}
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for node in graph.subjects(RDF.type, kind):
            if isinstance(node, URIRef) and not own(node) and str(node) != ontology_iri:
                r = ref(node)[0]
                prefix = r.text.split(":", 1)[0] if ":" in r.text else ""
                external.setdefault(prefix, []).append(r)
    for refs in external.values():
        refs.sort(key=lambda r: r.text)

    header = URIRef(ontology_iri)
    version_iri = graph.value(header, OWL.versionIRI)
    return OntologyDoc(
        iri=ontology_iri,
        namespace=namespace,
        titles=_by_lang(graph, header, DCTERMS.title),
        descriptions=_by_lang(graph, header, DCTERMS.description),
        version_iri=str(version_iri or ""),
        version=str(graph.value(header, OWL.versionInfo) or ""),
        license=str(graph.value(header, DCTERMS.license) or ""),
        created=str(graph.value(header, DCTERMS.created) or ""),
        modified=str(graph.value(header, DCTERMS.modified) or ""),
        prefix=str(graph.value(header, URIRef(VANN + "preferredNamespacePrefix")) or "ctkg"),
        classes=sorted(classes.values(), key=sort_key),
        object_properties=sorted(objects.values(), key=sort_key),
        datatype_properties=sorted(datatypes.values(), key=sort_key),
        individuals=sorted(individuals.values(), key=sort_key),
        alignments=sorted(alignments, key=lambda a: (a[0].text, a[1], a[2].text)),
        external=dict(sorted(external.items())),
    )
