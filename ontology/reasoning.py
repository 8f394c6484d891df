"""Run HermiT (through owlready2) over the ontology: consistency and unsatisfiable classes.

owlready2 does not read Turtle, so the graph goes rdflib -> N-Triples -> a fresh owlready2
``World``. owlready2 is imported inside the functions: importing it is slow.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import time
from dataclasses import dataclass, field
from itertools import combinations

from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from .errors import OntologyError
from .load import load_ontology_graph, ontology_path
from .prefixes import short

# The OWL 2 datatype map (OWL 2 Structural Specification, section 4) plus rdfs:Literal.
OWL2_DATATYPES = frozenset(
    [RDFS.Literal, RDF.PlainLiteral, RDF.XMLLiteral, OWL.real, OWL.rational]
    + [
        XSD[name]
        for name in [
            "decimal",
            "integer",
            "nonNegativeInteger",
            "nonPositiveInteger",
            "positiveInteger",
            "negativeInteger",
            "long",
            "int",
            "short",
            "byte",
            "unsignedLong",
            "unsignedInt",
            "unsignedShort",
            "unsignedByte",
            "double",
            "float",
            "string",
            "normalizedString",
            "token",
            "language",
            "Name",
            "NCName",
            "NMTOKEN",
            "boolean",
            "hexBinary",
            "base64Binary",
            "anyURI",
            "dateTime",
            "dateTimeStamp",
        ]
    ]
)
# HermiT also accepts rdf:langString (RDF 1.1's name for language-tagged strings).
HERMIT_DATATYPES = OWL2_DATATYPES | {RDF.langString}


@dataclass(frozen=True)
class ReasonerReport:
    """What HermiT found. ``ok`` is consistent with no unsatisfiable class."""

    consistent: bool
    unsatisfiable: list[str]
    elapsed: float
    # datatypes outside HermiT's datatype map (xsd:date, xsd:gYear): HermiT ignores them
    ignored_datatypes: list[str] = field(default_factory=list)
    # what owlready2 printed while loading (e.g. about punned qb:DimensionProperty typings)
    warnings: list[str] = field(default_factory=list)
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable

    @property
    def seconds(self) -> float:
        """Alias of ``elapsed``."""
        return self.elapsed


def reason(graph: Graph | None = None, *, strict: bool = True) -> ReasonerReport:
    """Check ``graph`` (default: the ontology) with HermiT.

    An inconsistent graph raises ``OntologyError("ontology is inconsistent: …")`` naming the
    likely cause when a simple one is found; with ``strict=False`` it is returned as a report with
    ``consistent=False`` and that message instead. Unsatisfiable classes never raise: they are
    listed, as IRIs, in ``unsatisfiable``.
    """
    started = time.perf_counter()
    source = str(ontology_path()) if graph is None else "the given graph"
    if graph is None:
        graph = load_ontology_graph()
    java = java_executable()

    import owlready2

    ontology_iri = next(
        (str(s) for s in graph.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef)),
        "urn:ctkg:reasoner-input",
    )
    ignored = sorted(short(dt) for dt in _datatypes_used(graph) if dt not in HERMIT_DATATYPES)
    world = owlready2.World()
    captured = io.StringIO()
    old_java = owlready2.JAVA_EXE
    try:
        with contextlib.redirect_stderr(captured):
            nt = graph.serialize(format="nt", encoding="utf-8")
            world.get_ontology(ontology_iri).load(fileobj=io.BytesIO(nt), format="ntriples")
            owlready2.JAVA_EXE = java
            try:
                owlready2.sync_reasoner_hermit(
                    world,
                    infer_property_values=False,
                    debug=0,
                    ignore_unsupported_datatypes=True,
                )
                consistent = True
            except owlready2.OwlReadyInconsistentOntologyError:
                consistent = False
            except owlready2.OwlReadyJavaError as exc:
                detail = _java_error_summary(str(exc))
                raise OntologyError(f"HermiT failed on {source}: {detail}") from exc
        unsatisfiable = (
            sorted(
                c.iri
                for c in world.inconsistent_classes()
                if getattr(c, "iri", None) and c.iri != str(OWL.Nothing)
            )
            if consistent
            else []
        )
    finally:
        owlready2.JAVA_EXE = old_java
        world.close()

    warnings = sorted({line.strip() for line in captured.getvalue().splitlines() if line.strip()})
    message = ""
    if not consistent:
        suspects = explain_inconsistency(graph)
        cause = (
            "likely cause: " + "; ".join(suspects)
            if suspects
            else "no simple cause found (look for an individual in two disjoint classes, "
            "a functional property with two values, or a domain/range that types an "
            "individual into a disjoint class)"
        )
        message = f"ontology is inconsistent: HermiT found no model of {source}; {cause}"
        if strict:
            raise OntologyError(message)
    elif unsatisfiable:
        names = ", ".join(short(URIRef(c)) for c in unsatisfiable)
        message = f"unsatisfiable classes in {source}: {names}"
    return ReasonerReport(
        consistent=consistent,
        unsatisfiable=unsatisfiable,
        elapsed=time.perf_counter() - started,
        ignored_datatypes=ignored,
        warnings=warnings,
        message=message,
    )


def java_executable() -> str:
    """The ``java`` HermiT will run: owlready2's ``JAVA_EXE`` on PATH, else ``$JAVA_HOME/bin``."""
    import owlready2

    candidates = [owlready2.JAVA_EXE]
    if os.environ.get("JAVA_HOME"):
        candidates.append(os.path.join(os.environ["JAVA_HOME"], "bin", "java"))
    for candidate in candidates:
        found = shutil.which(candidate)
        if found:
            return found
    raise OntologyError(
        "Java not found: the HermiT reasoner needs a Java runtime (looked for "
        f"{' and '.join(repr(c) for c in candidates)}); install a JRE or set JAVA_HOME"
    )


def _java_error_summary(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("\tat ")]
    lines = [ln for ln in lines if not ln.startswith("at ")]
    return " ".join(lines[:6]) or "unknown Java error"


def _datatypes_used(graph: Graph) -> set[URIRef]:
    used = {o for o in graph.objects(None, RDFS.range) if _is_datatype_iri(o)}
    used |= {o for o in graph.objects(None, OWL.onDatatype)}
    return used


def _is_datatype_iri(term) -> bool:
    return isinstance(term, URIRef) and (
        str(term).startswith(str(XSD)) or term in (RDFS.Literal, RDF.langString, RDF.PlainLiteral)
    )


def explain_inconsistency(graph: Graph, limit: int = 5) -> list[str]:
    """Simple, syntactic reasons an ontology may be inconsistent (empty if none is found):
    an individual whose asserted or domain/range-implied classes include two disjoint ones, or
    a functional property with two different values on one subject."""
    disjoint = _disjoint_pairs(graph)
    supers = _superclass_closure(graph)
    functional = set(graph.subjects(RDF.type, OWL.FunctionalProperty))
    domains = {p: d for p, d in graph.subject_objects(RDFS.domain) if isinstance(d, URIRef)}
    ranges = {p: r for p, r in graph.subject_objects(RDFS.range) if isinstance(r, URIRef)}
    object_props = set(graph.subjects(RDF.type, OWL.ObjectProperty))

    types: dict[URIRef, dict[URIRef, str]] = {}
    for s, c in graph.subject_objects(RDF.type):
        if isinstance(s, URIRef) and isinstance(c, URIRef) and c in supers:
            types.setdefault(s, {})[c] = "asserted"
    for s, p, o in graph:
        if p in domains and isinstance(s, URIRef):
            types.setdefault(s, {}).setdefault(domains[p], f"domain of {short(p)}")
        if p in ranges and p in object_props and isinstance(o, URIRef):
            types.setdefault(o, {}).setdefault(ranges[p], f"range of {short(p)}")

    found: list[str] = []
    for individual, classes in sorted(types.items()):
        expanded = {}
        for cls, why in classes.items():
            for sup in supers.get(cls, {cls}):
                expanded.setdefault(sup, (cls, why))
        for a, b in combinations(sorted(expanded), 2):
            if frozenset((a, b)) in disjoint:
                (ca, wa), (cb, wb) = expanded[a], expanded[b]
                found.append(
                    f"{short(individual)} is a {short(ca)} ({wa}) and a {short(cb)} ({wb}), "
                    f"but {short(a)} and {short(b)} are disjoint"
                )
    different = _different_pairs(graph)
    for p in sorted(functional):
        for s in sorted(set(graph.subjects(p, None)), key=str):
            values = set(graph.objects(s, p))
            if all(isinstance(v, Literal) for v in values):
                clash = len({v.toPython() for v in values}) > 1
            else:
                clash = any(frozenset(pair) in different for pair in combinations(values, 2))
            if clash:
                shown = ", ".join(sorted(short(v) for v in values))
                found.append(f"{short(s)} has two values ({shown}) of the functional {short(p)}")
    return found[:limit]


def _disjoint_pairs(graph: Graph) -> set[frozenset]:
    pairs = {frozenset((a, b)) for a, b in graph.subject_objects(OWL.disjointWith)}
    for node in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        for members in graph.objects(node, OWL.members):
            pairs |= {frozenset(p) for p in combinations(list(Collection(graph, members)), 2)}
    return pairs


def _different_pairs(graph: Graph) -> set[frozenset]:
    pairs = {frozenset((a, b)) for a, b in graph.subject_objects(OWL.differentFrom)}
    for node in graph.subjects(RDF.type, OWL.AllDifferent):
        for link in (OWL.distinctMembers, OWL.members):
            for members in graph.objects(node, link):
                pairs |= {frozenset(p) for p in combinations(list(Collection(graph, members)), 2)}
    return pairs


def _superclass_closure(graph: Graph) -> dict[URIRef, set[URIRef]]:
    classes = {c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    classes |= {c for c in graph.objects(None, RDF.type) if isinstance(c, URIRef)}
    closure = {}
    for c in classes:
        closure[c] = {
            x for x in graph.transitive_objects(c, RDFS.subClassOf) if not isinstance(x, BNode)
        }
    return closure
