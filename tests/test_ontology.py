"""Tests of the ontology (ctkg.ttl), its SHACL shapes (shapes.ttl) and ctkg.ontology's checks.

The reasoner tests run HermiT through owlready2 (Java); each takes about a second and they are part
of the normal suite.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import PROV, SKOS

from ctkg.iris import IriScheme
from ctkg.namespaces import NAMESPACES, prefixes
from ctkg.ontology.errors import OntologyError
from ctkg.ontology.load import (
    ONTOLOGY_IRI,
    VERSION_IRI,
    load_ontology_graph,
    load_shapes_graph,
    ontology_path,
    parse_turtle,
    rebase,
    shapes_path,
)
from ctkg.ontology.profile import check_profile
from ctkg.ontology.reasoning import reason
from ctkg.ontology.shacl import validate_shapes, validate_store

# the project's one namespace table: the CURIEs in NOTES.md and the table below are read with it
PREFIXES = NAMESPACES
CTKG = Namespace(NAMESPACES["ctkg"])
ID = Namespace(prefixes()["id"])
ORG = Namespace(NAMESPACES["org"])
SCHEMA = Namespace(NAMESPACES["schema"])
NOTES = Path(ontology_path()).with_name("NOTES.md")


@pytest.fixture(scope="module")
def onto() -> Graph:
    return load_ontology_graph()


@pytest.fixture(scope="module")
def reasoner_report():
    return reason()


def _curie(text: str) -> URIRef:
    text = text.strip().strip("`")
    if ":" in text:
        prefix, local = text.split(":", 1)
        return URIRef(PREFIXES[prefix] + local)
    return CTKG[text]


# --- the Turtle and the header ---------------------------------------------------------------


def test_turtle_parses_and_has_header(onto):
    assert len(onto) > 500
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    assert onto.value(ONTOLOGY_IRI, OWL.versionIRI) == VERSION_IRI
    assert onto.value(ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/license")) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    created = onto.value(ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/created"))
    assert created == Literal("2026-11-26", datatype=XSD.date)
    assert str(
        onto.value(ONTOLOGY_IRI, URIRef("http://purl.org/vocab/vann/preferredNamespaceUri"))
    ) == str(CTKG)


def test_shapes_parse():
    shapes = load_shapes_graph()
    sh = Namespace("http://www.w3.org/ns/shacl#")
    targets = set(shapes.objects(None, sh.targetClass))
    for cls in (
        CTKG.ConferenceEdition,
        CTKG.Observation,
        CTKG.Membership,
        CTKG.Evidence,
        CTKG.NewsArticle,
        RDF.Statement,
        CTKG.Fact,
        CTKG.Person,
        CTKG.Organization,
    ):
        assert cls in targets, cls


def test_paths_point_at_files():
    assert ontology_path().is_file() and ontology_path().suffix == ".ttl"
    assert shapes_path().is_file()


def test_bad_turtle_names_the_file(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    with pytest.raises(OntologyError, match=r"broken\.ttl"):
        parse_turtle(bad)
    with pytest.raises(OntologyError, match="not found"):
        parse_turtle(tmp_path / "missing.ttl")


# --- the ontology matches NOTES.md --------------------------------------------------------------


def _table(section: str) -> list[list[str]]:
    text = NOTES.read_text(encoding="utf-8")
    body = text.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in body.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if (
            line.startswith("|")
            and not set(cells[0]) <= set("-")
            and cells[0] not in ("class", "property")
        ):
            rows.append(cells)
    return rows


def _class_members(graph: Graph, node) -> set:
    if isinstance(node, URIRef):
        return {node}
    members = graph.value(node, OWL.unionOf)
    return set(Collection(graph, members)) if members is not None else {node}


def test_classes_match_notes(onto):
    rows = _table("Classes (ctkg:)")
    assert len(rows) >= 39
    declared = {c for c in onto.subjects(RDF.type, OWL.Class) if str(c).startswith(str(CTKG))}
    assert declared == {CTKG[r[0]] for r in rows}
    for name, supers, _meaning in rows:
        expected = set() if supers == "(none)" else {_curie(s) for s in supers.split(",")}
        assert set(onto.objects(CTKG[name], RDFS.subClassOf)) == expected, name


def _property_rows(section: str):
    for cells in _table(section):
        for name in cells[0].split("/"):
            yield name.strip(), cells[1], cells[2]


def test_properties_match_notes(onto):
    seen = set()
    for section, kind in (
        ("Object properties (ctkg:)", OWL.ObjectProperty),
        ("Datatype properties (ctkg:)", OWL.DatatypeProperty),
    ):
        for name, signature, sup in _property_rows(section):
            prop = CTKG[name]
            seen.add(prop)
            assert (prop, RDF.type, kind) in onto, name
            domain_text, range_text = (s.strip() for s in signature.split("→"))
            range_text = range_text.replace("(functional)", "").strip()
            if domain_text == "rdf:Statement":
                # rdf:Statement is reserved in OWL 2 DL: no rdfs:domain (documented in NOTES.md)
                assert onto.value(prop, RDFS.domain) is None, name
            else:
                domain = {_curie(d) for d in domain_text.split("⊔")}
                assert _class_members(onto, onto.value(prop, RDFS.domain)) == domain, name
            if range_text == "rdf:Statement":
                # the same for a range (ctkg:statement; documented in NOTES.md)
                assert onto.value(prop, RDFS.range) is None, name
            else:
                rng = {_curie(r) for r in range_text.split("⊔")}
                assert _class_members(onto, onto.value(prop, RDFS.range)) == rng, name
            supers = set(onto.objects(prop, RDFS.subPropertyOf))
            match = re.fullmatch(r"\((qb:\w+)\)(?: ([\w-]+:\w+))?", sup)
            if match:
                assert (prop, RDF.type, _curie(match.group(1))) in onto, name
                expected = {_curie(match.group(2))} if match.group(2) else set()
                assert supers == expected, name
            elif re.match(r"(schema|org|prov|ctkg|time|dcterms):\w+", sup) and "NOT" not in sup:
                assert supers == {_curie(sup.split()[0])}, name
            else:
                assert supers == set(), name
    declared = {
        p
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
        for p in onto.subjects(RDF.type, kind)
        if str(p).startswith(str(CTKG))
    }
    assert declared == seen


def test_functional_properties(onto):
    for name in (
        "ordinal",
        "year",
        "startDate",
        "startOffset",
        "endOffset",
    ):
        assert (CTKG[name], RDF.type, OWL.FunctionalProperty) in onto, name
    # an edition may be designated (as of one day) and held (as of another): not functional
    assert (CTKG.editionStatus, RDF.type, OWL.FunctionalProperty) not in onto
    # an observation is one report's statement: two reports of one figure must not clash
    assert (CTKG.value, RDF.type, OWL.FunctionalProperty) not in onto


def test_disjointness_groups(onto):
    groups = set()
    for node in onto.subjects(RDF.type, OWL.AllDisjointClasses):
        groups.add(frozenset(Collection(onto, onto.value(node, OWL.members))))
    assert frozenset({CTKG.Province, CTKG.CentrallyGovernedCity}) in groups
    assert frozenset({CTKG.Finding, CTKG.Limitation, CTKG.Task, CTKG.Direction}) in groups
    assert (
        frozenset(
            {
                CTKG.Ministry,
                CTKG.MinistryUnit,
                CTKG.ProvincialPeoplesCommittee,
                CTKG.ProvincialDepartment,
            }
        )
        in groups
    )
    big = {
        CTKG[n]
        for n in [
            "Organization",
            "Person",
            "ParticipantGroup",
            "AdministrativeUnit",
            "Region",
            "Country",
            "ConferenceSeries",
            "ConferenceEdition",
            "Observation",
            "NewsArticle",
        ]
    }
    assert frozenset(big) in groups


def test_vocabulary_individuals(onto):
    expected = {
        "held": CTKG.EditionStatus,
        "designated": CTKG.EditionStatus,
        "high": CTKG.Confidence,
        "medium": CTKG.Confidence,
        "yearOnYearGrowth": CTKG.ValueKind,
        "growth": CTKG.ValueKind,
        "percent": CTKG.UnitOfMeasure,
        "leadingIndustrialLocality": CTKG.DesignationType,
        "IndicatorScheme": SKOS.ConceptScheme,
        "StatusScheme": SKOS.ConceptScheme,
        "indicatorStructure": URIRef("http://purl.org/linked-data/cube#DataStructureDefinition"),
        "indicatorObservations": URIRef("http://purl.org/linked-data/cube#DataSet"),
    }
    for name, cls in expected.items():
        assert (CTKG[name], RDF.type, cls) in onto, name
        assert (CTKG[name], RDF.type, OWL.NamedIndividual) in onto, name
        langs = {lbl.language for lbl in onto.objects(CTKG[name], RDFS.label)}
        assert {"vi", "en"} <= langs, name
    qb = Namespace("http://purl.org/linked-data/cube#")
    structure = CTKG.indicatorStructure
    dims = {onto.value(c, qb.dimension) for c in onto.objects(structure, qb.component)} - {None}
    assert dims == {CTKG.indicator, CTKG.refArea, CTKG.refPeriod, CTKG.valueKind, CTKG.reportedIn}
    for component in onto.objects(structure, qb.component):  # IC-3 without normalisation
        declared = [
            onto.value(component, link) for link in (qb.dimension, qb.measure, qb.attribute)
        ]
        assert onto.value(component, qb.componentProperty) in declared, component
    assert {onto.value(c, qb.measure) for c in onto.objects(structure, qb.component)} - {None} == {
        CTKG.value
    }
    assert {onto.value(c, qb.attribute) for c in onto.objects(structure, qb.component)} - {
        None
    } == {CTKG.unitMeasure}
    assert onto.value(CTKG.indicatorObservations, qb.structure) == structure


def test_every_term_has_bilingual_label_and_definition(onto):
    terms = {
        t
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for t in onto.subjects(RDF.type, kind)
        if str(t).startswith(str(CTKG))
    }
    assert len(terms) > 90
    for term in terms:
        for prop in (RDFS.label, SKOS.definition):
            langs = [v.language for v in onto.objects(term, prop)]
            assert sorted(langs) == ["en", "vi"], (term, prop, langs)
        assert onto.value(term, RDFS.isDefinedBy) == ONTOLOGY_IRI, term


def test_vietnamese_labels_are_vietnamese(onto):
    def vi(term):
        return next(str(v) for v in onto.objects(term, RDFS.label) if v.language == "vi")

    assert vi(CTKG.DepartmentOfIndustryAndTrade) == "Sở Công Thương"
    assert "hội nghị" in vi(CTKG.ConferenceEdition).lower()
    assert vi(CTKG.Ministry) == "Bộ"
    # Vietnamese text carries diacritics: most vi labels are not plain ASCII
    labels = [v for v in onto.objects(None, RDFS.label) if v.language == "vi"]
    assert sum(not str(v).isascii() for v in labels) > 0.8 * len(labels)


def test_every_external_term_in_an_axiom_is_declared(onto):
    declared = set()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        declared |= set(onto.subjects(RDF.type, kind))
    used = set(onto.objects(None, RDFS.subClassOf)) | set(onto.objects(None, RDFS.subPropertyOf))
    used |= {
        t
        for t in onto.objects(None, RDF.type)
        if str(t).startswith("http://purl.org/linked-data/cube#")
    }
    assert {t for t in used if isinstance(t, URIRef)} <= declared


# --- check_profile ------------------------------------------------------------------------------


def test_check_profile_is_clean(onto):
    assert check_profile(onto) == []
    assert check_profile() == []


def _without_en_definition(g):
    g.remove(
        (
            CTKG.Ministry,
            SKOS.definition,
            next(d for d in g.objects(CTKG.Ministry, SKOS.definition) if d.language == "en"),
        )
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_without_en_definition, "ctkg:Ministry has no skos:definition @en"),
        (lambda g: g.add((CTKG.evidence, RDFS.domain, RDF.Statement)), "rdf:Statement is reserved"),
        (
            lambda g: g.add((CTKG.Report, RDFS.subClassOf, SCHEMA.Thing)),
            "schema:Thing is used as a class",
        ),
        (
            lambda g: g.add((CTKG.ordinal, RDF.type, OWL.ObjectProperty)),
            "ctkg:ordinal is declared as an object property and as a datatype property",
        ),
        (lambda g: g.add((CTKG.heldIn, RDFS.range, CTKG.AdminUnit)), "ctkg:AdminUnit is used"),
        (lambda g: g.set((CTKG.year, RDFS.range, XSD.gMonth)), "xsd:gMonth is used as a datatype"),
        (
            lambda g: g.remove((CTKG.percent, RDFS.label, Literal("percent", lang="en"))),
            "individual ctkg:percent has no rdfs:label @en",
        ),
        (
            lambda g: g.add((CTKG.held, SKOS.inScheme, Literal("x"))),
            "skos:inScheme is an object property but has a literal value",
        ),
    ],
)
def test_check_profile_finds_problems(change, expected):
    g = load_ontology_graph()
    change(g)
    problems = check_profile(g)
    assert any(expected in p for p in problems), problems


def _declared_without(g, iri):
    g.remove((iri, RDF.type, RDFS.Datatype))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda g: _declared_without(g, XSD.date),
            "xsd:date is used as a datatype (rdfs:range of ctkg:startDate) but is neither",
        ),
        (
            lambda g: g.add((CTKG.focusTask, RDFS.subPropertyOf, SCHEMA.hasPart)),
            "ctkg:focusTask rdfs:subPropertyOf schema:hasPart, but the range class ctkg:Task is "
            "not a schema:CreativeWork",
        ),
        (
            lambda g: g.add((CTKG.mentionsArea, RDFS.subPropertyOf, SCHEMA.mentions)),
            "the domain class ctkg:Direction is not a schema:CreativeWork",
        ),
        (
            lambda g: g.set((CTKG.attendee, RDFS.range, CTKG.ParticipantGroup)),
            "the range class ctkg:ParticipantGroup is not a schema:Organization or schema:Person",
        ),
        (
            lambda g: g.remove((CTKG.Observation, RDFS.subClassOf, PROV.Entity)),
            "ctkg:reportedIn rdfs:subPropertyOf prov:wasDerivedFrom, but the domain class "
            "ctkg:Observation is not a prov:Entity",
        ),
        (
            lambda g: g.set((CTKG.leadingLocality, RDFS.domain, CTKG.Task)),
            "ctkg:leadingLocality rdfs:subPropertyOf ctkg:mentionsArea, but the domain class "
            "ctkg:Task is not a ctkg:Direction or ctkg:Finding",
        ),
    ],
)
def test_check_profile_finds_misfit_alignments_and_undeclared_datatypes(change, expected):
    g = load_ontology_graph()
    change(g)
    assert any(expected in p for p in check_profile(g)), check_profile(g)


# --- the OWL API's own OWL 2 DL profile checker -----------------------------------------------


def test_owl_api_profile_checker_says_owl2_dl_and_catches_an_undeclared_datatype(tmp_path):
    """Runs the reference implementation (Debian libowlapi-java), not ctkg's checker; the Makefile
    installs it, so it never skips. A copy without the xsd:date declaration is not OWL 2 DL."""
    from ctkg.ontology.owlapi import check_many

    broken = tmp_path / "undeclared-date.ttl"
    broken.write_text(
        ontology_path().read_text(encoding="utf-8").replace("xsd:date a rdfs:Datatype .", ""),
        encoding="utf-8",
    )
    ours, copy = check_many([ontology_path(), broken])
    assert ours.in_profile and ours.violations == [], ours.violations
    assert ours.axioms > 1000
    assert not copy.in_profile
    assert any("UseOfUndeclaredDatatype" in v and "xsd:date" in v for v in copy.violations)


# --- HermiT -------------------------------------------------------------------------------------


def test_hermit_says_consistent(reasoner_report):
    assert reasoner_report.consistent
    assert reasoner_report.unsatisfiable == []
    assert reasoner_report.ok
    assert reasoner_report.seconds == reasoner_report.elapsed
    assert 0 < reasoner_report.elapsed < 60
    # xsd:date and xsd:gYear are outside the OWL 2 datatype map; HermiT ignores them (NOTES.md)
    assert reasoner_report.ignored_datatypes == ["xsd:date", "xsd:gYear"]


def test_inconsistent_copy_is_reported_clearly():
    g = load_ontology_graph()
    someone = ID["person/x"]
    g.add((someone, RDF.type, CTKG.Person))
    g.add((someone, RDF.type, CTKG.Ministry))
    with pytest.raises(OntologyError) as info:
        reason(g)
    message = str(info.value)
    assert message.startswith("ontology is inconsistent: ")
    assert "<https://w3id.org/ctkg/id/person/x>" in message
    assert "ctkg:Organization and ctkg:Person are disjoint" in message
    report = reason(g, strict=False)
    assert not report.consistent and not report.ok
    assert report.message == message


def test_functional_property_clash_is_inconsistent():
    g = load_ontology_graph()
    edition = ID["edition/x/2019"]
    g.add((edition, CTKG.ordinal, Literal(6, datatype=XSD.positiveInteger)))
    g.add((edition, CTKG.ordinal, Literal(7, datatype=XSD.positiveInteger)))
    report = reason(g, strict=False)
    assert not report.consistent
    assert "functional ctkg:ordinal" in report.message


def test_unsatisfiable_class_is_reported():
    g = load_ontology_graph()
    g.add((CTKG.Impossible, RDF.type, OWL.Class))
    g.add((CTKG.Impossible, RDFS.subClassOf, CTKG.Province))
    g.add((CTKG.Impossible, RDFS.subClassOf, CTKG.CentrallyGovernedCity))
    report = reason(g)
    assert report.consistent
    assert report.unsatisfiable == [str(CTKG.Impossible)]
    assert not report.ok
    assert "ctkg:Impossible" in report.message


def test_missing_java_is_a_clear_error(monkeypatch):
    import owlready2

    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(owlready2, "JAVA_EXE", "java")
    with pytest.raises(OntologyError, match="Java not found"):
        reason()


def test_importing_the_package_does_not_import_owlready2_or_pyshacl():
    code = (
        "import sys, ctkg.ontology.load, ctkg.ontology.reasoning, ctkg.ontology.shacl, "
        "ctkg.ontology.profile; "
        "print(sorted(m for m in ('owlready2', 'pyshacl') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- SHACL --------------------------------------------------------------------------------------

GOOD_TTL = """
@prefix ctkg: <https://w3id.org/ctkg/ontology#> .
@prefix article: <https://w3id.org/ctkg/id/article/> .
@prefix country: <https://w3id.org/ctkg/id/country/> .
@prefix indicator: <https://w3id.org/ctkg/id/indicator/> .
@prefix membership: <https://w3id.org/ctkg/id/membership/> .
@prefix observation: <https://w3id.org/ctkg/id/observation/> .
@prefix organization: <https://w3id.org/ctkg/id/organization/> .
@prefix period: <https://w3id.org/ctkg/id/period/> .
@prefix person: <https://w3id.org/ctkg/id/person/> .
@prefix province: <https://w3id.org/ctkg/id/province/> .
@prefix region: <https://w3id.org/ctkg/id/region/> .
@prefix role: <https://w3id.org/ctkg/id/role/> .
@prefix statement: <https://w3id.org/ctkg/id/statement/> .
@prefix fact: <https://w3id.org/ctkg/id/fact/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <https://schema.org/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix time: <http://www.w3.org/2006/time#> .

<https://w3id.org/ctkg/id/series/hoi-nghi-cong-thuong-phia-bac> a ctkg:ConferenceSeries ;
    rdfs:label "Hội nghị ngành Công Thương 28 tỉnh, thành phố khu vực phía Bắc"@vi ,
        "Conference of the Industry and Trade Sector of the 28 Northern Provinces and Cities"@en .

<https://w3id.org/ctkg/id/edition/hoi-nghi-cong-thuong-phia-bac/2019> a ctkg:ConferenceEdition ;
    rdfs:label "Hội nghị ngành Công Thương 28 tỉnh, thành phố khu vực phía Bắc lần thứ VI"@vi ,
        "6th Northern Industry and Trade Conference"@en ;
    ctkg:partOfSeries <https://w3id.org/ctkg/id/series/hoi-nghi-cong-thuong-phia-bac> ;
    ctkg:ordinal "6"^^xsd:positiveInteger ;
    ctkg:year "2019"^^xsd:gYear ;
    ctkg:startDate "2019-05-24"^^xsd:date ;
    ctkg:editionStatus ctkg:held ;
    ctkg:heldIn province:hai-phong ;
    ctkg:organizer organization:ubnd-hai-phong ;
    ctkg:coOrganizer organization:bo-cong-thuong ;
    ctkg:directedBy person:dang-hoang-an .

<https://w3id.org/ctkg/id/edition/hoi-nghi-cong-thuong-phia-bac/2020> a ctkg:ConferenceEdition ;
    rdfs:label "Hội nghị ngành Công Thương 28 tỉnh, thành phố phía Bắc lần thứ VII"@vi ,
        "7th Northern Industry and Trade Conference"@en ;
    ctkg:partOfSeries <https://w3id.org/ctkg/id/series/hoi-nghi-cong-thuong-phia-bac> ;
    ctkg:ordinal "7"^^xsd:positiveInteger ;
    ctkg:year "2020"^^xsd:gYear ;
    ctkg:editionStatus ctkg:designated ;
    ctkg:hostProvince province:thai-nguyen .

province:hai-phong a ctkg:CentrallyGovernedCity ;
    rdfs:label "Hải Phòng"@vi , "Hai Phong"@en ;
    ctkg:gsoCode "31" ; ctkg:iso3166Code "VN-HP" ; ctkg:country country:viet-nam .
province:thai-nguyen a ctkg:Province ;
    rdfs:label "Thái Nguyên"@vi , "Thai Nguyen"@en .
country:viet-nam a ctkg:Country ; rdfs:label "Việt Nam"@vi , "Vietnam"@en .
region:phia-bac-28 a ctkg:Region ;
    rdfs:label "28 tỉnh, thành phố khu vực phía Bắc"@vi , "28 northern provinces and cities"@en ;
    ctkg:memberProvince province:hai-phong , province:thai-nguyen .

organization:ubnd-hai-phong a ctkg:ProvincialPeoplesCommittee ;
    rdfs:label "UBND thành phố Hải Phòng"@vi , "Hai Phong People's Committee"@en ;
    ctkg:jurisdiction province:hai-phong .
organization:bo-cong-thuong a ctkg:Ministry ;
    rdfs:label "Bộ Công Thương"@vi , "Ministry of Industry and Trade"@en .
person:dang-hoang-an a ctkg:Person ;
    rdfs:label "Đặng Hoàng An"@vi , "Dang Hoang An"@en .
person:tran-thu a ctkg:Person ; rdfs:label "Trần Thu"@vi , "Tran Thu"@en .
role:thu-truong a ctkg:Role ; rdfs:label "Thứ trưởng"@vi , "Deputy Minister"@en .

membership:dang-hoang-an-thu-truong a ctkg:Membership ;
    org:member person:dang-hoang-an ;
    org:organization organization:bo-cong-thuong ;
    org:role role:thu-truong ;
    ctkg:attestedAt <https://w3id.org/ctkg/id/edition/hoi-nghi-cong-thuong-phia-bac/2019> .

indicator:gia-tri-san-xuat-cong-nghiep a ctkg:Indicator ;
    rdfs:label "Giá trị sản xuất công nghiệp"@vi , "Industrial production value"@en .
period:2018 a ctkg:ReferencePeriod ; rdfs:label "Năm 2018"@vi , "2018"@en .

observation:gtsxcn-2018 a ctkg:Observation ;
    ctkg:indicator indicator:gia-tri-san-xuat-cong-nghiep ;
    ctkg:refArea region:phia-bac-28 ;
    ctkg:refPeriod period:2018 ;
    ctkg:valueKind ctkg:yearOnYearGrowth ;
    ctkg:unitMeasure ctkg:percent ;
    ctkg:value "14.9"^^xsd:decimal ;
    <http://purl.org/linked-data/cube#dataSet> ctkg:indicatorObservations ;
    ctkg:reportedIn <https://w3id.org/ctkg/id/edition/hoi-nghi-cong-thuong-phia-bac/2019/report> ;
    ctkg:reportedAt <https://w3id.org/ctkg/id/edition/hoi-nghi-cong-thuong-phia-bac/2019> .
<https://w3id.org/ctkg/id/edition/hoi-nghi-cong-thuong-phia-bac/2019/report> a ctkg:Report ;
    rdfs:label "Báo cáo tại Hội nghị"@vi , "Report at the Conference"@en .

article:2019-05-29-hai-phong a ctkg:NewsArticle ;
    schema:headline "Hội nghị ngành Công Thương 28 tỉnh, thành phố khu vực phía Bắc lần thứ VI"@vi ;
    schema:datePublished "2019-05-29"^^xsd:date ;
    schema:author person:tran-thu ;
    schema:inLanguage "vi" ;
    ctkg:articleFile "article-2019-hai-phong.txt" .

<https://w3id.org/ctkg/id/article/2019-05-29-hai-phong/evidence/1> a ctkg:Evidence ;
    ctkg:quote "Năm 2018, giá trị sản xuất công nghiệp toàn vùng tăng trưởng 14,9%"@vi ;
    ctkg:startOffset "100"^^xsd:nonNegativeInteger ;
    ctkg:endOffset "166"^^xsd:nonNegativeInteger ;
    ctkg:factId "observation-gtsxcn-2018" ;
    prov:wasQuotedFrom article:2019-05-29-hai-phong .

fact:article\\/2019-05-29-hai-phong\\/observation-gtsxcn-2018 a ctkg:Fact ;
    ctkg:statement statement:0123456789abcdef ;
    ctkg:evidence <https://w3id.org/ctkg/id/article/2019-05-29-hai-phong/evidence/1> ;
    ctkg:confidence ctkg:high .

statement:0123456789abcdef a rdf:Statement ;
    rdf:subject observation:gtsxcn-2018 ;
    rdf:predicate ctkg:value ;
    rdf:object "14.9"^^xsd:decimal .

fact:article\\/2019-05-29-hai-phong\\/host-2020 a ctkg:Fact ;
    ctkg:statement statement:fedcba9876543210 ;
    prov:wasDerivedFrom article:2019-05-29-hai-phong ;
    ctkg:confidence ctkg:medium ;
    ctkg:interpretation "read from the department's name"@en .

statement:fedcba9876543210 a rdf:Statement ;
    rdf:subject <https://w3id.org/ctkg/id/edition/hoi-nghi-cong-thuong-phia-bac/2020> ;
    rdf:predicate ctkg:hostProvince ;
    rdf:object province:thai-nguyen .
"""

EDITION = ID["edition/hoi-nghi-cong-thuong-phia-bac/2019"]
OBSERVATION = ID["observation/gtsxcn-2018"]
EVIDENCE = ID["article/2019-05-29-hai-phong/evidence/1"]
HOST_FACT = ID["fact/article/2019-05-29-hai-phong/host-2020"]
OBSERVATION_FACT = ID["fact/article/2019-05-29-hai-phong/observation-gtsxcn-2018"]
AN = ID["person/dang-hoang-an"]


@pytest.fixture(scope="module")
def good() -> Graph:
    return Graph().parse(data=GOOD_TTL, format="turtle")


def _changed(good: Graph, change) -> Graph:
    g = Graph()
    g += good
    change(g)
    return g


def test_conforming_instance_graph_conforms(good):
    report = validate_shapes(good)
    assert report.conforms, str(report)
    assert report.results == []
    assert report.elapsed < 10


def _two_ordinals(g):
    g.add((EDITION, CTKG.ordinal, Literal(7, datatype=XSD.positiveInteger)))


def _no_en_label(g):
    g.remove((AN, RDFS.label, Literal("Dang Hoang An", lang="en")))


@pytest.mark.parametrize(
    ("change", "focus", "term"),
    [
        (lambda g: g.remove((OBSERVATION, CTKG.value, None)), OBSERVATION, "ctkg:value"),
        (_two_ordinals, EDITION, "ctkg:ordinal"),
        (
            lambda g: g.set((EDITION, CTKG.ordinal, Literal(0, datatype=XSD.integer))),
            EDITION,
            "ctkg:ordinal",
        ),
        (lambda g: g.set((EDITION, CTKG.ordinal, Literal("VI"))), EDITION, "ctkg:ordinal"),
        (lambda g: g.set((EVIDENCE, CTKG.startOffset, Literal(-1))), EVIDENCE, "ctkg:startOffset"),
        (_no_en_label, AN, "rdfs:label @en is missing"),
        (lambda g: g.set((EDITION, CTKG.year, Literal("2019"))), EDITION, "ctkg:year"),
        (lambda g: g.set((EDITION, CTKG.editionStatus, CTKG.high)), EDITION, "ctkg:editionStatus"),
        (lambda g: g.remove((EDITION, CTKG.partOfSeries, None)), EDITION, "ctkg:partOfSeries"),
        (
            lambda g: g.set((OBSERVATION, CTKG.refArea, ID["person/tran-thu"])),
            OBSERVATION,
            "ctkg:refArea",
        ),
        (
            lambda g: g.set(
                (EVIDENCE, CTKG.startOffset, Literal(500, datatype=XSD.nonNegativeInteger))
            ),
            EVIDENCE,
            "ctkg:startOffset must be less than ctkg:endOffset",
        ),
        (
            lambda g: g.remove((HOST_FACT, PROV.wasDerivedFrom, None)),
            HOST_FACT,
            "prov:wasDerivedFrom",
        ),
        (
            lambda g: g.remove((HOST_FACT, CTKG.statement, None)),
            ID["statement/fedcba9876543210"],
            "stated by exactly one ctkg:Fact",
        ),
        (
            lambda g: g.add((OBSERVATION_FACT, CTKG.statement, ID["statement/fedcba9876543210"])),
            ID["statement/fedcba9876543210"],
            "stated by exactly one ctkg:Fact",
        ),
        (
            lambda g: g.add((HOST_FACT, CTKG.confidence, CTKG.high)),
            HOST_FACT,
            "ctkg:confidence",
        ),
        (
            lambda g: g.set((HOST_FACT, CTKG.interpretation, Literal("a reading"))),
            HOST_FACT,
            "ctkg:interpretation",
        ),
        (
            lambda g: g.remove((ID["statement/0123456789abcdef"], RDF.predicate, None)),
            ID["statement/0123456789abcdef"],
            "rdf:predicate",
        ),
        (
            lambda g: g.set((ID["membership/dang-hoang-an-thu-truong"], ORG.role, AN)),
            ID["membership/dang-hoang-an-thu-truong"],
            "org:role",
        ),
        (
            lambda g: g.set(
                (ID["article/2019-05-29-hai-phong"], SCHEMA.datePublished, Literal("29/5/2019"))
            ),
            ID["article/2019-05-29-hai-phong"],
            "schema:datePublished",
        ),
        (
            lambda g: g.add((ID["province/hai-phong"], RDFS.label, Literal("HP"))),
            ID["province/hai-phong"],
            "rdfs:label must be a string tagged @vi or @en",
        ),
    ],
)
def test_broken_instance_graph_fails_naming_the_term(good, change, focus, term):
    report = validate_shapes(_changed(good, change))
    assert not report.conforms
    assert report.violations >= 1
    assert any(f"<{focus}>" in line and term in line for line in report.results), report.results


def test_held_edition_without_venue_is_a_warning(good):
    report = validate_shapes(_changed(good, lambda g: g.remove((EDITION, CTKG.heldIn, None))))
    assert report.conforms
    assert report.warnings == 1
    assert report.results[0].startswith(f"Warning: <{EDITION}>")
    assert "ctkg:editionStatus ctkg:held needs ctkg:heldIn" in report.results[0]


def test_several_results_are_all_reported(good):
    def break_three(g):
        g.remove((OBSERVATION, CTKG.value, None))
        _two_ordinals(g)
        _no_en_label(g)

    report = validate_shapes(_changed(good, break_three))
    assert report.violations == 3, str(report)


def test_second_label_in_one_language_is_only_a_warning(good):
    report = validate_shapes(
        _changed(good, lambda g: g.add((AN, RDFS.label, Literal("Ông An", lang="vi"))))
    )
    assert report.conforms
    assert report.warnings == 1
    assert "skos:altLabel" in report.results[0]


def test_dataset_graphs_are_validated_together(good):
    # types live in one named graph, the facts that need them in another: still conforms
    ds = Dataset()
    facts = ds.graph(URIRef("https://w3id.org/ctkg/graph/article/x"))
    places = ds.graph(URIRef("https://w3id.org/ctkg/graph/gazetteer"))
    for s, p, o in good:
        (places if s in (ID["province/hai-phong"], ID["province/thai-nguyen"]) else facts).add(
            (s, p, o)
        )
    assert validate_shapes(ds).conforms


def test_shapes_follow_a_rebased_iri_scheme(good):
    scheme = IriScheme("https://example.org/kg/")
    moved = rebase(good, scheme)
    assert validate_shapes(moved, scheme=scheme).conforms
    broken = rebase(_changed(good, lambda g: g.remove((OBSERVATION, CTKG.value, None))), scheme)
    report = validate_shapes(broken, scheme=scheme)
    assert not report.conforms
    assert any("value" in line for line in report.results)
    assert (
        URIRef("https://example.org/kg/ontology"),
        RDF.type,
        OWL.Ontology,
    ) in load_ontology_graph(scheme)


def test_pyoxigraph_store_is_validated_as_one_graph(good):
    import pyoxigraph as ox

    store = ox.Store()
    places = ox.NamedNode("https://w3id.org/ctkg/graph/gazetteer")
    facts = ox.NamedNode("https://w3id.org/ctkg/graph/article/x")
    store.load(
        good.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=facts
    )
    report = validate_store(store)
    assert report.conforms, str(report)
    assert report.lines == report.results
    store.remove(
        next(
            iter(
                store.quads_for_pattern(
                    ox.NamedNode(str(OBSERVATION)), ox.NamedNode(str(CTKG.value)), None
                )
            )
        )
    )
    store.add(
        ox.Quad(
            ox.NamedNode(str(AN)),
            ox.NamedNode(str(RDFS.label)),
            ox.Literal("x", language="vi"),
            places,
        )
    )
    report = validate_store(store)
    assert not report.conforms
    assert any("ctkg:value" in line for line in report.lines), report.lines
