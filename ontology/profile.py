"""Light, syntactic checks of the ontology graph: the OWL 2 DL typing rules that bite in practice,
and ctkg's own editorial rules. ``check_profile`` returns a list of problems (empty when fine).

OWL 2 DL: every class, property and datatype used in an axiom is declared; no IRI is both an
object, a datatype and/or an annotation property; reserved vocabulary (rdf:, rdfs:, owl:, xsd:)
is not used as a class or property; property assertions match the property's kind.
Alignments: a sub-property's domain and range fit its super-property's (the standard terms'
domains and ranges are written down in ``standard_terms``, since their vocabularies are not
imported): each class of the sub-property's domain is a sub-class of one of the super-property's.
ctkg: every ctkg class and property has rdfs:label and skos:definition in @vi and @en (one label
per language) and rdfs:isDefinedBy the ontology; every ctkg individual has @vi and @en labels;
every ctkg term used is declared; the header carries its required annotations.
"""

from __future__ import annotations

import unicodedata

from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, SKOS

from .load import load_ontology_graph
from .prefixes import short
from .reasoning import OWL2_DATATYPES
from .standard_terms import SIGNATURES, SUBCLASSES

VANN_PREFIX = URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix")
VANN_URI = URIRef("http://purl.org/vocab/vann/preferredNamespaceUri")

# rdf:langString is RDF 1.1's datatype of language-tagged strings, which the OWL API and HermiT
# accept without a declaration. Any other datatype outside the OWL 2 datatype map (xsd:date,
# xsd:gYear) must be declared rdfs:Datatype, as the OWL API's profile checker requires.
TOLERATED_DATATYPES = frozenset({RDF.langString})

BUILTIN_ANNOTATIONS = frozenset(
    {
        RDFS.label,
        RDFS.comment,
        RDFS.seeAlso,
        RDFS.isDefinedBy,
        OWL.versionInfo,
        OWL.deprecated,
        OWL.priorVersion,
        OWL.backwardCompatibleWith,
        OWL.incompatibleWith,
    }
)
BUILTIN_CLASSES = frozenset({OWL.Thing, OWL.Nothing})
BUILTIN_OBJECT_PROPERTIES = frozenset({OWL.topObjectProperty, OWL.bottomObjectProperty})
BUILTIN_DATA_PROPERTIES = frozenset({OWL.topDataProperty, OWL.bottomDataProperty})
# rdf:type values that are part of OWL's RDF mapping, not class assertions
STRUCTURAL_TYPES = frozenset(
    {
        OWL.Ontology,
        OWL.Class,
        RDFS.Class,
        RDFS.Datatype,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        RDF.Property,
        OWL.FunctionalProperty,
        OWL.InverseFunctionalProperty,
        OWL.TransitiveProperty,
        OWL.SymmetricProperty,
        OWL.AsymmetricProperty,
        OWL.ReflexiveProperty,
        OWL.IrreflexiveProperty,
        OWL.NamedIndividual,
        OWL.AllDisjointClasses,
        OWL.AllDisjointProperties,
        OWL.AllDifferent,
        OWL.Restriction,
        OWL.Axiom,
        OWL.Annotation,
        OWL.NegativePropertyAssertion,
        RDF.List,
    }
)
RESERVED_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))


def check_profile(graph: Graph | None = None) -> list[str]:
    """Problems found in ``graph`` (default: the ontology), one readable sentence each."""
    if graph is None:
        graph = load_ontology_graph()
    return _Checker(graph).run()


class _Checker:
    def __init__(self, graph: Graph):
        self.g = graph
        self.problems: list[str] = []
        onts = [s for s in graph.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef)]
        self.ontology = onts[0] if onts else None
        self.ns = str(self.ontology) + "#" if self.ontology is not None else None

        def declared(kind) -> set[URIRef]:
            return {s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef)}

        self.classes = declared(OWL.Class) | BUILTIN_CLASSES
        self.object_props = declared(OWL.ObjectProperty) | BUILTIN_OBJECT_PROPERTIES
        self.data_props = declared(OWL.DatatypeProperty) | BUILTIN_DATA_PROPERTIES
        self.annotation_props = declared(OWL.AnnotationProperty) | BUILTIN_ANNOTATIONS
        self.datatypes = declared(RDFS.Datatype) | OWL2_DATATYPES | TOLERATED_DATATYPES
        self.individuals = {
            s
            for s, t in graph.subject_objects(RDF.type)
            if isinstance(s, URIRef) and t not in STRUCTURAL_TYPES - {OWL.NamedIndividual}
        }

    def add(self, problem: str) -> None:
        if problem not in self.problems:
            self.problems.append(problem)

    def run(self) -> list[str]:
        self.check_header()
        self.check_punning()
        self.check_reserved_declarations()
        self.check_axioms()
        self.check_alignments()
        self.check_assertions()
        self.check_own_terms()
        self.check_literals()
        return self.problems

    # --- header -------------------------------------------------------------------------------

    def check_header(self) -> None:
        if self.ontology is None:
            self.add("no owl:Ontology header")
            return
        o = self.ontology
        for prop in (OWL.versionIRI, OWL.versionInfo, DCTERMS.license, DCTERMS.creator):
            if self.g.value(o, prop) is None:
                self.add(f"ontology header {short(o)} has no {short(prop)}")
        for prop in (DCTERMS.created, DCTERMS.modified):
            value = self.g.value(o, prop)
            if not (isinstance(value, Literal) and value.datatype == XSD.date):
                self.add(f"ontology header {short(o)} needs {short(prop)} as an xsd:date")
        for prop in (DCTERMS.title, DCTERMS.description):
            self._need_languages(o, prop, f"ontology header {short(o)}")
        if str(self.g.value(o, VANN_URI) or "") != self.ns:
            self.add(f"ontology header {short(o)} needs vann:preferredNamespaceUri {self.ns!r}")
        if self.g.value(o, VANN_PREFIX) is None:
            self.add(f"ontology header {short(o)} has no vann:preferredNamespacePrefix")

    # --- typing -------------------------------------------------------------------------------

    def check_punning(self) -> None:
        kinds = {
            "an object property": self.object_props,
            "a datatype property": self.data_props,
            "an annotation property": self.annotation_props,
        }
        for iri in sorted(self.object_props | self.data_props | self.annotation_props):
            have = [name for name, members in kinds.items() if iri in members]
            if len(have) > 1:
                self.add(f"{short(iri)} is declared as {' and as '.join(have)} (not OWL 2 DL)")
        for iri in sorted(self.classes & self.datatypes):
            self.add(f"{short(iri)} is declared both as a class and as a datatype (not OWL 2 DL)")

    def check_reserved_declarations(self) -> None:
        builtins = (
            BUILTIN_CLASSES
            | BUILTIN_OBJECT_PROPERTIES
            | BUILTIN_DATA_PROPERTIES
            | BUILTIN_ANNOTATIONS
            | self.datatypes
        )
        for iri in sorted(
            self.classes | self.object_props | self.data_props | self.annotation_props
        ):
            if str(iri).startswith(RESERVED_NAMESPACES) and iri not in builtins:
                self.add(f"{short(iri)} is reserved vocabulary and cannot be declared in OWL 2 DL")

    def _property_kind(self, p) -> str | None:
        if p in self.object_props:
            return "object"
        if p in self.data_props:
            return "data"
        if p in self.annotation_props:
            return "annotation"
        return None

    def _class_expression(self, node, where: str) -> None:
        """Check that ``node`` is a declared class or a well-formed class expression."""
        if isinstance(node, URIRef):
            if node in self.classes:
                return
            if str(node).startswith(RESERVED_NAMESPACES):
                self.add(
                    f"{short(node)} is reserved vocabulary and cannot be used as a class in "
                    f"OWL 2 DL ({where})"
                )
            else:
                self.add(f"{short(node)} is used as a class ({where}) but not declared owl:Class")
            return
        if not isinstance(node, BNode):
            self.add(f"{short(node)} is not a class ({where})")
            return
        for link in (OWL.unionOf, OWL.intersectionOf):
            for members in self.g.objects(node, link):
                for member in Collection(self.g, members):
                    self._class_expression(member, where)
        for inner in self.g.objects(node, OWL.complementOf):
            self._class_expression(inner, where)
        for prop in self.g.objects(node, OWL.onProperty):
            kind = self._property_kind(prop)
            if kind not in ("object", "data"):
                self.add(f"{short(prop)} is restricted ({where}) but not a declared property")
            for link in (OWL.someValuesFrom, OWL.allValuesFrom, OWL.onClass):
                for filler in self.g.objects(node, link):
                    if kind == "data":
                        self._datatype(filler, where)
                    else:
                        self._class_expression(filler, where)

    def _datatype(self, node, where: str) -> None:
        if isinstance(node, URIRef) and node not in self.datatypes:
            self.add(
                f"{short(node)} is used as a datatype ({where}) but is neither in the OWL 2 "
                "datatype map nor declared rdfs:Datatype"
            )

    def _property(self, p, where: str) -> str | None:
        kind = self._property_kind(p)
        if kind is None:
            if str(p).startswith(RESERVED_NAMESPACES):
                self.add(
                    f"{short(p)} is reserved vocabulary and cannot be used in an axiom ({where})"
                )
            else:
                self.add(f"{short(p)} is used as a property ({where}) but not declared")
        return kind

    def check_axioms(self) -> None:
        g = self.g
        for link in (RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith):
            for s, o in g.subject_objects(link):
                where = f"{short(s)} {short(link)} {short(o)}"
                self._class_expression(s, where)
                self._class_expression(o, where)
        for node in g.subjects(RDF.type, OWL.AllDisjointClasses):
            for members in g.objects(node, OWL.members):
                for member in Collection(g, members):
                    self._class_expression(member, "owl:AllDisjointClasses")
        for s, o in g.subject_objects(RDFS.subPropertyOf):
            where = f"{short(s)} rdfs:subPropertyOf {short(o)}"
            ks, ko = self._property(s, where), self._property(o, where)
            if ks and ko and ks != ko:
                self.add(
                    f"{short(s)} ({ks} property) is a sub-property of {short(o)} ({ko} property)"
                )
        for p, d in g.subject_objects(RDFS.domain):
            where = f"rdfs:domain of {short(p)}"
            if self._property(p, where) in ("object", "data"):
                self._class_expression(d, where)
        for p, r in g.subject_objects(RDFS.range):
            where = f"rdfs:range of {short(p)}"
            kind = self._property(p, where)
            if kind == "object":
                self._class_expression(r, where)
            elif kind == "data":
                self._datatype(r, where)
        for p, q in g.subject_objects(OWL.inverseOf):
            for x in (p, q):
                if self._property(x, f"{short(p)} owl:inverseOf {short(q)}") != "object":
                    self.add(f"{short(x)} is in owl:inverseOf but is not an object property")
        for p in g.subjects(RDF.type, OWL.FunctionalProperty):
            if self._property_kind(p) not in ("object", "data"):
                self.add(
                    f"{short(p)} is owl:FunctionalProperty but not an object/datatype property"
                )

    # --- alignments -----------------------------------------------------------------------------

    def _members(self, node) -> list:
        """The named classes of a domain/range: the class, or the members of a union."""
        if isinstance(node, URIRef):
            return [node]
        union = self.g.value(node, OWL.unionOf)
        if union is not None:
            return [m for m in Collection(self.g, union) if isinstance(m, URIRef)]
        return []

    def _ancestors(self, cls: URIRef) -> set:
        seen, todo = {cls}, [cls]
        while todo:
            c = todo.pop()
            supers = set(self.g.objects(c, RDFS.subClassOf)) | SUBCLASSES.get(c, frozenset())
            for sup in supers:
                if isinstance(sup, URIRef) and sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        return seen

    def _signature(self, prop, link) -> frozenset:
        if prop in SIGNATURES:
            return SIGNATURES[prop][0 if link == RDFS.domain else 1]
        value = self.g.value(prop, link)
        return frozenset(self._members(value)) if value is not None else frozenset()

    def check_alignments(self) -> None:
        for sub, sup in self.g.subject_objects(RDFS.subPropertyOf):
            links = (RDFS.domain, RDFS.range) if sup in self.object_props else (RDFS.domain,)
            for link in links:
                allowed = self._signature(sup, link)
                own = self.g.value(sub, link)
                if not allowed or own is None:
                    continue
                for cls in self._members(own):
                    if not self._ancestors(cls) & allowed:
                        what = "domain" if link == RDFS.domain else "range"
                        need = " or ".join(sorted(short(a) for a in allowed))
                        self.add(
                            f"{short(sub)} rdfs:subPropertyOf {short(sup)}, but the {what} "
                            f"class {short(cls)} is not a {need} (the {what} of {short(sup)})"
                        )

    def check_assertions(self) -> None:
        """Class and property assertions on named individuals match declarations."""
        for s, p, o in self.g:
            if not isinstance(s, URIRef) or s == self.ontology:
                continue
            if p == RDF.type:
                if o not in STRUCTURAL_TYPES and o not in self.classes:
                    self._class_expression(o, f"type of {short(s)}")
                continue
            if str(p).startswith(RESERVED_NAMESPACES) and p not in BUILTIN_ANNOTATIONS:
                continue  # structural vocabulary (rdfs:subClassOf, owl:members, …)
            kind = self._property_kind(p)
            if kind is None:
                self.add(f"{short(p)} is used on {short(s)} but not declared")
            elif kind == "object" and isinstance(o, Literal):
                self.add(f"{short(p)} is an object property but has a literal value on {short(s)}")
            elif kind == "data" and not isinstance(o, Literal):
                self.add(
                    f"{short(p)} is a datatype property but has a non-literal value on {short(s)}"
                )

    # --- ctkg's own rules ---------------------------------------------------------------------

    def _own(self, iri) -> bool:
        return self.ns is not None and isinstance(iri, URIRef) and str(iri).startswith(self.ns)

    def _need_languages(self, subject, prop, what: str, unique: bool = False) -> None:
        values = [v for v in self.g.objects(subject, prop) if isinstance(v, Literal)]
        for lang in ("vi", "en"):
            tagged = [v for v in values if v.language == lang and str(v).strip()]
            if not tagged:
                self.add(f"{what} has no {short(prop)} @{lang}")
            elif unique and len(tagged) > 1:
                self.add(f"{what} has {len(tagged)} {short(prop)} @{lang} (one expected)")

    def check_own_terms(self) -> None:
        terms = self.classes | self.object_props | self.data_props | self.annotation_props
        own_terms = sorted(t for t in terms if self._own(t))
        for term in own_terms:
            kind = "class" if term in self.classes else "property"
            what = f"{kind} {short(term)}"
            self._need_languages(term, RDFS.label, what, unique=True)
            self._need_languages(term, SKOS.definition, what, unique=True)
            if self.g.value(term, RDFS.isDefinedBy) != self.ontology:
                self.add(f"{what} has no rdfs:isDefinedBy {short(self.ontology)}")
        own_individuals = sorted(i for i in self.individuals if self._own(i) and i not in terms)
        for individual in own_individuals:
            self._need_languages(individual, RDFS.label, f"individual {short(individual)}", True)
        known = set(terms) | self.individuals
        used = {t for triple in self.g for t in triple if self._own(t)}
        for term in sorted(used - known):
            self.add(f"{short(term)} is used but never declared (class, property or individual)")

    def check_literals(self) -> None:
        for s, p, o in self.g:
            if isinstance(o, Literal) and o.datatype in (None, XSD.string, RDF.langString):
                text = str(o)
                if unicodedata.normalize("NFC", text) != text:
                    self.add(f"{short(p)} of {short(s)} is not NFC-normalised: {text[:40]!r}")
