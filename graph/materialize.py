"""Materialising the standard vocabularies' view of the data into ``{base}graph/inferred``.

The ontology aligns each ctkg class and property to schema.org, ORG, PROV, Data Cube, SKOS and
OWL-Time by subclass/subproperty axioms. A client that knows only those vocabularies runs no
reasoner, so the build adds the entailed super-types and super-properties as triples, plus
``schema:name`` and ``skos:prefLabel`` copied from ``rdfs:label`` (annotation properties, which
OWL 2 DL cannot align). Done as SPARQL updates in the store, so it scales with the engine.

schema.org has two spellings: the project writes ``https://schema.org/`` (what schema.org
publishes), but schema.org's own JSON-LD context, Wikidata and DBpedia expand to
``http://schema.org/``. The last update copies every schema.org triple (predicate, class or value)
into the ``http://`` spelling, so a client with either ``PREFIX schema:`` finds the same data.
"""

from __future__ import annotations

from rdflib import BNode, Graph, URIRef

from .vocab import OWL, RDF, RDFS, SCHEMA, SKOS

LABEL_COPIES = (SCHEMA.name, SKOS.prefLabel)
SCHEMA_HTTPS = "https://schema.org/"
SCHEMA_HTTP = "http://schema.org/"


def closure(graph: Graph, relation: URIRef, equivalent: URIRef) -> dict[URIRef, set[URIRef]]:
    """Each named term -> all its named ancestors along ``relation`` (and equivalences)."""
    parents: dict[URIRef, set[URIRef]] = {}
    for a, b in graph.subject_objects(relation):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            parents.setdefault(a, set()).add(b)
    for a, b in graph.subject_objects(equivalent):
        if isinstance(a, URIRef) and isinstance(b, URIRef) and not isinstance(b, BNode):
            parents.setdefault(a, set()).add(b)
            parents.setdefault(b, set()).add(a)
    result = {}
    for term in parents:
        seen: set[URIRef] = set()
        todo = list(parents[term])
        while todo:
            t = todo.pop()
            if t not in seen and t != term:
                seen.add(t)
                todo.extend(parents.get(t, ()))
        result[term] = seen
    return result


def _values(pairs: list[tuple[URIRef, URIRef]]) -> str:
    return " ".join(f"({a.n3()} {b.n3()})" for a, b in sorted(pairs))


def materialisation_updates(ontology: Graph, inferred_graph: str, ontology_graph: str) -> list[str]:
    """SPARQL updates adding the entailed standard triples that no graph states yet."""
    classes = closure(ontology, RDFS.subClassOf, OWL.equivalentClass)
    properties = closure(ontology, RDFS.subPropertyOf, OWL.equivalentProperty)
    class_pairs = [(c, s) for c, sups in classes.items() for s in sups]
    prop_pairs = [(p, s) for p, sups in properties.items() for s in sups]
    label_pairs = [(RDFS.label, s) for s in LABEL_COPIES]
    not_ontology = f"FILTER(?g != <{ontology_graph}> && ?g != <{inferred_graph}>)"
    updates = []
    if class_pairs:
        updates.append(f"""
INSERT {{ GRAPH <{inferred_graph}> {{ ?s a ?super }} }}
WHERE {{
  VALUES (?class ?super) {{ {_values(class_pairs)} }}
  GRAPH ?g {{ ?s a ?class }} {not_ontology}
  FILTER NOT EXISTS {{ GRAPH ?g2 {{ ?s a ?super }} }}
}}""")
    for pairs in (prop_pairs, label_pairs):
        if pairs:
            updates.append(f"""
INSERT {{ GRAPH <{inferred_graph}> {{ ?s ?super ?o }} }}
WHERE {{
  VALUES (?p ?super) {{ {_values(pairs)} }}
  GRAPH ?g {{ ?s ?p ?o }} {not_ontology}
  FILTER NOT EXISTS {{ GRAPH ?g2 {{ ?s ?super ?o }} }}
}}""")
    updates.append(http_schema_update(inferred_graph, ontology_graph))
    return updates


def http_schema_update(inferred_graph: str, ontology_graph: str) -> str:
    """Every schema.org triple outside the ontology again in the ``http://schema.org/``
    spelling (into the inferred graph; run after the other materialisation updates)."""

    def spelled(var: str) -> str:
        test = f'isIRI(?{var}) && STRSTARTS(STR(?{var}), "{SCHEMA_HTTPS}")'
        http = f'IRI(CONCAT("{SCHEMA_HTTP}", STRAFTER(STR(?{var}), "{SCHEMA_HTTPS}")))'
        return f"IF({test}, {http}, ?{var})"

    return f"""
INSERT {{ GRAPH <{inferred_graph}> {{ ?s ?hp ?ho }} }}
WHERE {{
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER(?g != <{ontology_graph}>)
  # a reified statement names its triple in the spelling it was asserted in
  FILTER(?p NOT IN ({RDF.subject.n3()}, {RDF.predicate.n3()}, {RDF.object.n3()}))
  FILTER(STRSTARTS(STR(?p), "{SCHEMA_HTTPS}")
         || (isIRI(?o) && STRSTARTS(STR(?o), "{SCHEMA_HTTPS}")))
  BIND({spelled("p")} AS ?hp)
  BIND({spelled("o")} AS ?ho)
}}"""
