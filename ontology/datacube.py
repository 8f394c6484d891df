"""The RDF Data Cube well-formedness checks: the spec's normalisation, then IC-1 … IC-21.

https://www.w3.org/TR/vocab-data-cube/#wf-rules — a cube is well-formed when, after the
normalisation algorithm (section 10.1) has added the triples an abbreviated cube leaves implicit,
none of the 21 integrity-constraint ASK queries returns true. The queries are the spec's, with
its prefixes; IC-20 and IC-21 are templates the spec instantiates once per
``qb:parentChildProperty`` (IC-21: per property a blank node is the ``owl:inverseOf`` of), and a
graph without hierarchical code lists passes them vacuously — the report says so. Two
deliberate departures from the spec's text, both to keep its meaning under strict SPARQL 1.1:
IC-17's ``HAVING`` repeats ``COUNT(?obs2)`` (the spec names the SELECT alias ``?count``, which
is not in scope in HAVING: Oxigraph evaluates it unbound, so the check could never fail), and
the IC-20/21 instances bind the hierarchy to the instantiated ``qb:parentChildProperty``.

The checks run on a copy of the store's default graph (the merge of every graph) in memory, so
normalising never writes into the build.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pyoxigraph as ox

PREFIXES = """PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX qb:   <http://purl.org/linked-data/cube#>
PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>
PREFIX owl:  <http://www.w3.org/2002/07/owl#>
"""

# Section 10.1: phase 1 (type and property closure), phase 2 (push down attachment levels).
NORMALISATION = (
    "INSERT { ?o rdf:type qb:Observation } WHERE { [] qb:observation ?o }",
    "INSERT { ?o rdf:type qb:Observation } WHERE { ?o qb:dataSet [] }",
    "INSERT { ?s rdf:type qb:Slice } WHERE { [] qb:slice ?s }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:DimensionProperty }"
    " WHERE { ?cs qb:dimension ?p }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:MeasureProperty }"
    " WHERE { ?cs qb:measure ?p }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:AttributeProperty }"
    " WHERE { ?cs qb:attribute ?p }",
    """INSERT { ?obs ?comp ?value } WHERE {
  ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:DataSet .
  ?dataset qb:structure [ qb:component ?spec ] ; ?comp ?value .
  ?obs qb:dataSet ?dataset }""",
    """INSERT { ?obs ?comp ?value } WHERE {
  ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:Slice .
  ?dataset qb:structure [ qb:component ?spec ] ; qb:slice ?slice .
  ?slice ?comp ?value ; qb:observation ?obs }""",
    """INSERT { ?obs ?comp ?value } WHERE {
  ?spec qb:componentProperty ?comp .
  ?comp a qb:DimensionProperty .
  ?dataset qb:structure [ qb:component ?spec ] ; qb:slice ?slice .
  ?slice ?comp ?value ; qb:observation ?obs }""",
)


@dataclass(frozen=True)
class Constraint:
    id: str
    title: str
    ask: str  # true means violated; "$p" is the template parameter of IC-20/21


CONSTRAINTS = (
    Constraint(
        "IC-1",
        "Unique DataSet",
        """ASK {
  { ?obs a qb:Observation . FILTER NOT EXISTS { ?obs qb:dataSet ?dataset1 } }
  UNION
  { ?obs a qb:Observation ; qb:dataSet ?dataset1, ?dataset2 . FILTER(?dataset1 != ?dataset2) }
}""",
    ),
    Constraint(
        "IC-2",
        "Unique DSD",
        """ASK {
  { ?dataset a qb:DataSet . FILTER NOT EXISTS { ?dataset qb:structure ?dsd } }
  UNION
  { ?dataset a qb:DataSet ; qb:structure ?dsd1, ?dsd2 . FILTER(?dsd1 != ?dsd2) }
}""",
    ),
    Constraint(
        "IC-3",
        "DSD includes measure",
        """ASK {
  ?dsd a qb:DataStructureDefinition .
  FILTER NOT EXISTS { ?dsd qb:component [ qb:componentProperty [ a qb:MeasureProperty ] ] }
}""",
    ),
    Constraint(
        "IC-4",
        "Dimensions have range",
        "ASK { ?dim a qb:DimensionProperty . FILTER NOT EXISTS { ?dim rdfs:range [] } }",
    ),
    Constraint(
        "IC-5",
        "Concept dimensions have code lists",
        """ASK {
  ?dim a qb:DimensionProperty ; rdfs:range skos:Concept .
  FILTER NOT EXISTS { ?dim qb:codeList [] }
}""",
    ),
    Constraint(
        "IC-6",
        "Only attributes may be optional",
        """ASK {
  ?dsd qb:component ?componentSpec .
  ?componentSpec qb:componentRequired "false"^^xsd:boolean ; qb:componentProperty ?component .
  FILTER NOT EXISTS { ?component a qb:AttributeProperty }
}""",
    ),
    Constraint(
        "IC-7",
        "Slice Keys must be declared",
        """ASK {
  ?sliceKey a qb:SliceKey .
  FILTER NOT EXISTS { [ a qb:DataStructureDefinition ] qb:sliceKey ?sliceKey }
}""",
    ),
    Constraint(
        "IC-8",
        "Slice Keys consistent with DSD",
        """ASK {
  ?slicekey a qb:SliceKey ; qb:componentProperty ?prop .
  ?dsd qb:sliceKey ?slicekey .
  FILTER NOT EXISTS { ?dsd qb:component [ qb:componentProperty ?prop ] }
}""",
    ),
    Constraint(
        "IC-9",
        "Unique slice structure",
        """ASK {
  { ?slice a qb:Slice . FILTER NOT EXISTS { ?slice qb:sliceStructure ?key } }
  UNION
  { ?slice a qb:Slice ; qb:sliceStructure ?key1, ?key2 . FILTER(?key1 != ?key2) }
}""",
    ),
    Constraint(
        "IC-10",
        "Slice dimensions complete",
        """ASK {
  ?slice qb:sliceStructure [ qb:componentProperty ?dim ] .
  FILTER NOT EXISTS { ?slice ?dim [] }
}""",
    ),
    Constraint(
        "IC-11",
        "All dimensions required",
        """ASK {
  ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty .
  FILTER NOT EXISTS { ?obs ?dim [] }
}""",
    ),
    Constraint(
        "IC-12",
        "No duplicate observations",
        """ASK {
  FILTER(?allEqual)
  {
    SELECT (MIN(?equal) AS ?allEqual) WHERE {
      ?obs1 qb:dataSet ?dataset .
      ?obs2 qb:dataSet ?dataset .
      FILTER(?obs1 != ?obs2)
      ?dataset qb:structure/qb:component/qb:componentProperty ?dim .
      ?dim a qb:DimensionProperty .
      ?obs1 ?dim ?value1 .
      ?obs2 ?dim ?value2 .
      BIND(?value1 = ?value2 AS ?equal)
    } GROUP BY ?obs1 ?obs2
  }
}""",
    ),
    Constraint(
        "IC-13",
        "Required attributes",
        """ASK {
  ?obs qb:dataSet/qb:structure/qb:component ?component .
  ?component qb:componentRequired "true"^^xsd:boolean ; qb:componentProperty ?attr .
  FILTER NOT EXISTS { ?obs ?attr [] }
}""",
    ),
    Constraint(
        "IC-14",
        "All measures present",
        """ASK {
  ?obs qb:dataSet/qb:structure ?dsd .
  FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty qb:measureType }
  ?dsd qb:component/qb:componentProperty ?measure .
  ?measure a qb:MeasureProperty .
  FILTER NOT EXISTS { ?obs ?measure [] }
}""",
    ),
    Constraint(
        "IC-15",
        "Measure dimension consistent",
        """ASK {
  ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure .
  ?dsd qb:component/qb:componentProperty qb:measureType .
  FILTER NOT EXISTS { ?obs ?measure [] }
}""",
    ),
    Constraint(
        "IC-16",
        "Single measure on measure dimension observation",
        """ASK {
  ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure ; ?omeasure [] .
  ?dsd qb:component/qb:componentProperty qb:measureType ;
       qb:component/qb:componentProperty ?omeasure .
  ?omeasure a qb:MeasureProperty .
  FILTER(?omeasure != ?measure)
}""",
    ),
    Constraint(
        "IC-17",
        "All measures present in measures dimension cube",
        """ASK {
  {
    SELECT ?numMeasures (COUNT(?obs2) AS ?count) WHERE {
      {
        SELECT ?dsd (COUNT(?m) AS ?numMeasures) WHERE {
          ?dsd qb:component/qb:componentProperty ?m .
          ?m a qb:MeasureProperty .
        } GROUP BY ?dsd
      }
      ?obs1 qb:dataSet/qb:structure ?dsd ; qb:dataSet ?dataset ; qb:measureType ?m1 .
      ?obs2 qb:dataSet ?dataset ; qb:measureType ?m2 .
      FILTER NOT EXISTS {
        ?dsd qb:component/qb:componentProperty ?dim .
        FILTER(?dim != qb:measureType)
        ?dim a qb:DimensionProperty .
        ?obs1 ?dim ?v1 .
        ?obs2 ?dim ?v2 .
        FILTER(?v1 != ?v2)
      }
    } GROUP BY ?obs1 ?numMeasures
    HAVING (COUNT(?obs2) != ?numMeasures)
  }
}""",
    ),
    Constraint(
        "IC-18",
        "Consistent data set links",
        """ASK {
  ?dataset qb:slice ?slice .
  ?slice qb:observation ?obs .
  FILTER NOT EXISTS { ?obs qb:dataSet ?dataset }
}""",
    ),
    Constraint(
        "IC-19",
        "Codes from code list",
        """ASK {
  {
    ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
    ?dim a qb:DimensionProperty ; qb:codeList ?list .
    ?list a skos:ConceptScheme .
    ?obs ?dim ?v .
    FILTER NOT EXISTS { ?v a skos:Concept ; skos:inScheme ?list }
  } UNION {
    ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
    ?dim a qb:DimensionProperty ; qb:codeList ?list .
    ?list a skos:Collection .
    ?obs ?dim ?v .
    FILTER NOT EXISTS { ?v a skos:Concept . ?list skos:member+ ?v }
  }
}""",
    ),
    Constraint(
        "IC-20",
        "Codes from hierarchy",
        """ASK {
  ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty ; qb:codeList ?list .
  ?list a qb:HierarchicalCodeList ; qb:parentChildProperty <$p> .
  ?obs ?dim ?v .
  FILTER NOT EXISTS { ?list qb:hierarchyRoot/<$p>* ?v }
}""",
    ),
    Constraint(
        "IC-21",
        "Codes from hierarchy (inverse)",
        """ASK {
  ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty ; qb:codeList ?list .
  ?list a qb:HierarchicalCodeList ; qb:parentChildProperty [ owl:inverseOf <$p> ] .
  ?obs ?dim ?v .
  FILTER NOT EXISTS { ?list qb:hierarchyRoot/(^<$p>)* ?v }
}""",
    ),
)

# The template parameters of IC-20 and IC-21 (section 11.1: "instantiated for each ?p …").
TEMPLATE_PARAMETERS = {
    "IC-20": "SELECT DISTINCT ?p WHERE { ?h qb:parentChildProperty ?p FILTER(isIRI(?p)) }",
    "IC-21": """SELECT DISTINCT ?p WHERE {
  ?h qb:parentChildProperty ?pcp . FILTER(isBlank(?pcp)) ?pcp owl:inverseOf ?p }""",
}


@dataclass(frozen=True)
class ConstraintResult:
    id: str
    title: str
    violated: bool
    instances: int = 1  # how many template instances ran (0: vacuously satisfied)

    def line(self) -> str:
        state = "VIOLATED" if self.violated else "ok"
        extra = " (no hierarchical code list: nothing to check)" if self.instances == 0 else ""
        return f"{self.id} {self.title}: {state}{extra}"


@dataclass
class CubeReport:
    results: list[ConstraintResult] = field(default_factory=list)
    observations: int = 0
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def violations(self) -> list[ConstraintResult]:
        return [r for r in self.results if r.violated]

    @property
    def lines(self) -> list[str]:
        return [r.line() for r in self.results]


def normalise(store: ox.Store) -> None:
    """Apply the spec's normalisation algorithm to ``store``'s default graph, in place."""
    for update in NORMALISATION:
        store.update(PREFIXES + update)


def _ask(store: ox.Store, query: str) -> bool:
    return bool(store.query(PREFIXES + query, use_default_graph_as_union=False))


def check_normalised(store: ox.Store) -> CubeReport:
    """IC-1 … IC-21 on an already normalised default graph."""
    started = time.perf_counter()
    report = CubeReport()
    for ic in CONSTRAINTS:
        if ic.id in TEMPLATE_PARAMETERS:
            params = [r["p"].value for r in store.query(PREFIXES + TEMPLATE_PARAMETERS[ic.id])]
            violated = any(_ask(store, ic.ask.replace("$p", p)) for p in params)
            report.results.append(ConstraintResult(ic.id, ic.title, violated, len(params)))
        else:
            report.results.append(ConstraintResult(ic.id, ic.title, _ask(store, ic.ask)))
    count = PREFIXES + "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a qb:Observation }"
    report.observations = int(next(iter(store.query(count)))["n"].value)
    report.elapsed = time.perf_counter() - started
    return report


def check_cube(
    source: ox.Store | str | bytes,
    *,
    fmt: ox.RdfFormat = ox.RdfFormat.TURTLE,
    normalised: bool = True,
) -> CubeReport:
    """Normalise a copy of ``source`` and run the 21 constraints; returns a ``CubeReport``.

    ``source``: a store (its default graph is copied — in a ctkg build, the merge of every
    graph), or RDF text in ``fmt``. ``normalised=False`` skips the normalisation, to show what
    a client that does not normalise sees.
    """
    work = ox.Store()
    if isinstance(source, ox.Store):
        data = source.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        work.load(data, format=ox.RdfFormat.N_TRIPLES)
    else:
        work.load(source, format=fmt)
    if normalised:
        normalise(work)
    return check_normalised(work)


__all__ = [
    "CONSTRAINTS",
    "NORMALISATION",
    "ConstraintResult",
    "CubeReport",
    "check_cube",
    "check_normalised",
    "normalise",
]
