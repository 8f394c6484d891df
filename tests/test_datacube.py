"""The RDF Data Cube: the 21 integrity constraints on the real build, on two reports of one
figure, and on small cubes that break each constraint (so no check passes vacuously)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph

from ctkg.config import Settings
from ctkg.graph.store import open_store
from ctkg.ontology.datacube import CONSTRAINTS, check_cube
from ctkg.ontology.load import load_ontology_graph
from ctkg.ontology.reasoning import reason


@pytest.fixture(scope="module")
def store(real_data_dir):
    """The session's real build (validation only reads a store, so an unvalidated build holds
    the same graph; test_build.py builds it with validation)."""
    return open_store(Settings.from_env({}, data_dir=str(real_data_dir)))


def test_all_21_constraints_hold_on_the_real_build(store):
    report = check_cube(store)
    assert [r.id for r in report.results] == [f"IC-{n}" for n in range(1, 22)]
    assert report.ok, report.lines
    assert report.observations == 5
    # IC-3 holds without the normalisation too: every component names its qb:componentProperty
    assert check_cube(store, normalised=False).ok


def test_observations_are_keyed_by_their_report(store):
    rows = list(
        store.query("""
PREFIX ctkg: <https://w3id.org/ctkg/ontology#>
PREFIX qb: <http://purl.org/linked-data/cube#>
SELECT ?o ?report WHERE {
  ?o a qb:Observation ; ctkg:reportedIn ?report .
  ctkg:indicatorStructure qb:component/qb:componentProperty ctkg:reportedIn .
  ctkg:reportedIn a qb:DimensionProperty .
}""")
    )
    assert len(rows) == 5
    assert {r["report"].value for r in rows} == {
        "https://w3id.org/ctkg/id/edition/hoi-nghi-cong-thuong-phia-bac/2019/report"
    }


def test_sdmx_and_codes_are_there_for_outside_cube_tools(store):
    def ask(q: str) -> bool:
        return bool(store.query("PREFIX ctkg: <https://w3id.org/ctkg/ontology#>\n" + q))

    sdmx = "http://purl.org/linked-data/sdmx/2009/"
    for prop in ("dimension#refArea", "dimension#refPeriod", "attribute#unitMeasure"):
        assert ask(f"ASK {{ ?o a ctkg:Observation ; <{sdmx}{prop}> ?v }}"), prop
    assert ask(f"ASK {{ ?o <{sdmx}measure#obsValue> 14.9 }}")
    assert ask('ASK { ctkg:percent <http://www.w3.org/2004/02/skos/core#notation> "%" }')
    assert ask(
        "ASK { ctkg:percent <http://www.w3.org/2004/02/skos/core#exactMatch> "
        "<http://qudt.org/vocab/unit/PERCENT> }"
    )
    assert ask(
        'ASK { ?o ctkg:refPeriod [ <http://www.w3.org/2004/02/skos/core#notation> "2018" ] ;'
        " ctkg:value 14.9 }"
    )
    assert ask('ASK { ?p <http://www.w3.org/2004/02/skos/core#notation> "2019-01/2019-04" }')
    assert not ask("ASK { ?o ctkg:measureType ?m }"), "renamed: ctkg:valueKind"


# --- two reports of one figure --------------------------------------------------------------------

TWO_REPORTS = """
@prefix ctkg: <https://w3id.org/ctkg/ontology#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <https://w3id.org/ctkg/id/> .

<indicator/ipv> a ctkg:Indicator , skos:Concept ; skos:inScheme ctkg:IndicatorScheme ;
    rdfs:label "Giá trị sản xuất công nghiệp"@vi , "Industrial production value"@en .
<region/north> a ctkg:Region ; rdfs:label "Phía Bắc"@vi , "North"@en .
<period/2019> a ctkg:ReferencePeriod ; rdfs:label "Năm 2019"@vi , "2019"@en .
<report/2019> a ctkg:Report ; rdfs:label "Báo cáo 2019"@vi , "Report 2019"@en .
<report/2020> a ctkg:Report ; rdfs:label "Báo cáo 2020"@vi , "Report 2020"@en .

# the 2020 report states the 2019 growth again, revised: two observations, both kept
<observation/ipv/north/2019/reported/2019> a ctkg:Observation ;
    qb:dataSet ctkg:indicatorObservations ;
    ctkg:indicator <indicator/ipv> ; ctkg:refArea <region/north> ;
    ctkg:refPeriod <period/2019> ; ctkg:valueKind ctkg:yearOnYearGrowth ;
    ctkg:reportedIn <report/2019> ;
    ctkg:unitMeasure ctkg:percent ; ctkg:value "9.7"^^xsd:decimal .
<observation/ipv/north/2019/reported/2020> a ctkg:Observation ;
    qb:dataSet ctkg:indicatorObservations ;
    ctkg:indicator <indicator/ipv> ; ctkg:refArea <region/north> ;
    ctkg:refPeriod <period/2019> ; ctkg:valueKind ctkg:yearOnYearGrowth ;
    ctkg:reportedIn <report/2020> ;
    ctkg:unitMeasure ctkg:percent ; ctkg:value "10.1"^^xsd:decimal .
"""


def _with_ontology(turtle: str) -> Graph:
    graph = load_ontology_graph()
    graph.parse(data=turtle, format="turtle")
    return graph


def test_two_reports_of_one_figure_are_two_observations_and_no_contradiction():
    graph = _with_ontology(TWO_REPORTS)
    report = check_cube(graph.serialize(format="nt"), fmt=ox.RdfFormat.N_TRIPLES)
    assert report.ok, report.lines
    assert report.observations == 2
    assert reason(graph, strict=False).consistent


def test_the_same_report_stating_two_values_breaks_ic12():
    same_source = TWO_REPORTS.replace(
        "ctkg:reportedIn <report/2020>", "ctkg:reportedIn <report/2019>"
    )
    report = check_cube(
        _with_ontology(same_source).serialize(format="nt"), fmt=ox.RdfFormat.N_TRIPLES
    )
    assert [r.id for r in report.violations] == ["IC-12"]


def test_the_old_keying_made_a_second_report_a_contradiction():
    """The old model: observations keyed without their report (one IRI for both reports) and
    ctkg:value functional — the second report made the whole graph inconsistent."""
    from rdflib import OWL, RDF

    from ctkg.graph.vocab import CTKG

    old_keys = TWO_REPORTS.replace("2019/reported/2020>", "2019/reported/2019>")
    graph = _with_ontology(old_keys)
    assert reason(graph, strict=False).consistent  # value is no longer functional
    graph.add((CTKG.value, RDF.type, OWL.FunctionalProperty))
    assert not reason(graph, strict=False).consistent


# --- each constraint can fail -------------------------------------------------------------------

BASE = """
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix ex: <http://example.org/> .

ex:dsd a qb:DataStructureDefinition ;
    qb:component [ qb:dimension ex:area ] , [ qb:dimension ex:period ] ,
        [ qb:dimension ex:kind ] , [ qb:dimension ex:place ] , [ qb:dimension ex:place2 ] ,
        [ qb:measure ex:value ] , [ qb:attribute ex:unit ; qb:componentRequired true ] ;
    qb:sliceKey ex:byArea .
ex:area a qb:DimensionProperty ; rdfs:range ex:Area .
ex:period a qb:DimensionProperty ; rdfs:range ex:Period .
ex:kind a qb:DimensionProperty ; rdfs:range skos:Concept ; qb:codeList ex:kinds .
ex:place a qb:DimensionProperty ; rdfs:range ex:Place ; qb:codeList ex:tree .
ex:place2 a qb:DimensionProperty ; rdfs:range ex:Place ; qb:codeList ex:tree2 .
ex:value a qb:MeasureProperty .
ex:unit a qb:AttributeProperty .
ex:kinds a skos:ConceptScheme .
ex:growth a skos:Concept ; skos:inScheme ex:kinds .
ex:tree a qb:HierarchicalCodeList ; qb:hierarchyRoot ex:vn ; qb:parentChildProperty ex:narrower .
ex:vn ex:narrower ex:hn .
ex:tree2 a qb:HierarchicalCodeList ; qb:hierarchyRoot ex:vn ;
    qb:parentChildProperty [ owl:inverseOf ex:partOf ] .
ex:hn ex:partOf ex:vn .
ex:byArea a qb:SliceKey ; qb:componentProperty ex:area .
ex:ds a qb:DataSet ; qb:structure ex:dsd ; qb:slice ex:hnSlice .
ex:hnSlice a qb:Slice ; qb:sliceStructure ex:byArea ; ex:area ex:hn ;
    qb:observation ex:o1 , ex:o2 .
ex:o1 qb:dataSet ex:ds ; ex:period ex:y2018 ; ex:kind ex:growth ; ex:place ex:hn ;
    ex:place2 ex:hn ; ex:value 1.0 ; ex:unit ex:pct .
ex:o2 qb:dataSet ex:ds ; ex:period ex:y2019 ; ex:kind ex:growth ; ex:place ex:hn ;
    ex:place2 ex:hn ; ex:value 2.0 ; ex:unit ex:pct .

# a measure-dimension cube: one observation per measure
ex:mdsd a qb:DataStructureDefinition ;
    qb:component [ qb:dimension ex:area ] , [ qb:dimension qb:measureType ] ,
        [ qb:measure ex:m1 ] , [ qb:measure ex:m2 ] .
qb:measureType a qb:DimensionProperty ; rdfs:range qb:MeasureProperty .
ex:m1 a qb:MeasureProperty .
ex:m2 a qb:MeasureProperty .
ex:mds a qb:DataSet ; qb:structure ex:mdsd .
ex:p1 qb:dataSet ex:mds ; ex:area ex:hn ; qb:measureType ex:m1 ; ex:m1 1 .
ex:p2 qb:dataSet ex:mds ; ex:area ex:hn ; qb:measureType ex:m2 ; ex:m2 2 .
"""

FULL = "ex:period ex:y2020 ; ex:kind ex:growth ; ex:place ex:hn ; ex:place2 ex:hn ; ex:value 3.0"
BREAKS = {
    "IC-1": "ex:x a qb:Observation .",
    "IC-2": "ex:ds qb:structure ex:mdsd .",
    "IC-3": "ex:d3 a qb:DataStructureDefinition ; qb:component [ qb:dimension ex:area ] .",
    "IC-4": "ex:d4 a qb:DimensionProperty .",
    "IC-5": "ex:d5 a qb:DimensionProperty ; rdfs:range skos:Concept .",
    "IC-6": "ex:dsd qb:component [ qb:dimension ex:d6 ; qb:componentRequired false ] ."
    " ex:d6 rdfs:range ex:Area .",
    "IC-7": "ex:k7 a qb:SliceKey .",
    "IC-8": "ex:k8 a qb:SliceKey ; qb:componentProperty ex:nowhere . ex:dsd qb:sliceKey ex:k8 .",
    "IC-9": "ex:s9 a qb:Slice .",
    "IC-10": "ex:s10 a qb:Slice ; qb:sliceStructure ex:byArea .",
    "IC-11": "ex:o11 qb:dataSet ex:ds ; ex:area ex:hp ; ex:unit ex:pct ; ex:value 3.0 ;"
    " ex:kind ex:growth ; ex:place ex:hn ; ex:place2 ex:hn .",
    "IC-12": "ex:o12 qb:dataSet ex:ds ; ex:area ex:hn ; ex:period ex:y2018 ; ex:kind ex:growth ;"
    " ex:place ex:hn ; ex:place2 ex:hn ; ex:value 9.0 ; ex:unit ex:pct .",
    "IC-13": f"ex:o13 qb:dataSet ex:ds ; ex:area ex:hp ; {FULL} .",
    "IC-14": "ex:o14 qb:dataSet ex:ds ; ex:area ex:hp ; ex:period ex:y2020 ; ex:kind ex:growth ;"
    " ex:place ex:hn ; ex:place2 ex:hn ; ex:unit ex:pct .",
    "IC-15": "ex:p15 qb:dataSet ex:mds ; ex:area ex:dn ; qb:measureType ex:m1 ; ex:m2 5 ."
    " ex:p15b qb:dataSet ex:mds ; ex:area ex:dn ; qb:measureType ex:m2 ; ex:m2 6 .",
    "IC-16": "ex:p16 qb:dataSet ex:mds ; ex:area ex:hue ; qb:measureType ex:m1 ; ex:m1 1 ;"
    " ex:m2 2 . ex:p16b qb:dataSet ex:mds ; ex:area ex:hue ; qb:measureType ex:m2 ; ex:m2 2 .",
    "IC-17": "ex:p17 qb:dataSet ex:mds ; ex:area ex:hp ; qb:measureType ex:m1 ; ex:m1 3 .",
    "IC-18": "ex:ds qb:slice ex:s18 . ex:s18 a qb:Slice ; qb:sliceStructure ex:byArea ;"
    " ex:area ex:hn ; qb:observation ex:o2b . ex:o2b qb:dataSet ex:other .",
    "IC-19": "ex:o19 qb:dataSet ex:ds ; ex:area ex:hp ; ex:period ex:y2020 ; ex:kind ex:other ;"
    " ex:place ex:hn ; ex:place2 ex:hn ; ex:value 3.0 ; ex:unit ex:pct .",
    "IC-20": "ex:o20 qb:dataSet ex:ds ; ex:area ex:hp ; ex:period ex:y2020 ; ex:kind ex:growth ;"
    " ex:place ex:paris ; ex:place2 ex:hn ; ex:value 3.0 ; ex:unit ex:pct .",
    "IC-21": "ex:o21 qb:dataSet ex:ds ; ex:area ex:hp ; ex:period ex:y2020 ; ex:kind ex:growth ;"
    " ex:place ex:hn ; ex:place2 ex:paris ; ex:value 3.0 ; ex:unit ex:pct .",
}


def test_the_small_cube_is_well_formed():
    report = check_cube(BASE)
    assert report.ok, report.lines
    assert all(r.instances == 1 for r in report.results), "IC-20/21 ran on a real hierarchy"


def test_every_constraint_has_a_breaking_case():
    assert sorted(BREAKS, key=lambda i: int(i[3:])) == [c.id for c in CONSTRAINTS]


@pytest.mark.parametrize("ic", list(BREAKS))
def test_each_constraint_catches_its_violation(ic):
    report = check_cube(BASE + BREAKS[ic])
    assert ic in {r.id for r in report.violations}, report.lines


def test_normalisation_adds_what_an_abbreviated_cube_leaves_out():
    """The base cube names components with qb:dimension/qb:measure only: without the spec's
    normalisation IC-3 reports a missing measure, after it none."""
    assert "IC-3" in {r.id for r in check_cube(BASE, normalised=False).violations}
    assert check_cube(BASE).ok
