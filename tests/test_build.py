"""The build: sources into a store and dumps — atomic, reproducible, every fact sourced."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path

import pyoxigraph as ox
import pytest

from ctkg.config import Settings
from ctkg.graph import checks
from ctkg.graph.build import build
from ctkg.graph.dumps import DUMP_FORMATS
from ctkg.graph.errors import BuildError
from ctkg.graph.inputs import Inputs
from ctkg.graph.store import open_store
from ctkg.iris import IriScheme

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ARTICLE = (
    Path(__file__).resolve().parent.parent / "graph" / "sources" / "article-2019-hai-phong.txt"
)
PREFIXES = """
PREFIX ctkg: <https://w3id.org/ctkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX id: <https://w3id.org/ctkg/id/>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
ID = "https://w3id.org/ctkg/id/"
CTKG_NS = "https://w3id.org/ctkg/ontology#"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    settings = Settings.from_env(data_dir=str(tmp_path_factory.mktemp("data")))
    result = build(settings, quiet=True)
    return settings, result


@pytest.fixture(scope="module")
def store(built):
    return open_store(built[0])


def rows(store, query):
    return [
        {k: sol[k].value for k in (v.value for v in sol_vars) if sol[k] is not None}
        for sol_vars, sol in _iter(store.query(PREFIXES + query))
    ]


def _iter(result):
    variables = result.variables
    for sol in result:
        yield variables, sol


def test_manifest_counts_entities(built):
    manifest = built[1].manifest
    per_class = {k.rsplit("#", 1)[1]: v for k, v in manifest["entities_per_class"].items()}
    # 63 units of 2019 and the 24 formed in 2025 (23 by NQ 202/2025/QH15, Huế by NQ 175/2024)
    assert per_class["AdministrativeUnit"] == 63 + 24
    assert per_class["Province"] == 58 + 19 and per_class["CentrallyGovernedCity"] == 5 + 5
    assert per_class["TerritorialChange"] == 24 and per_class["LegalAct"] == 2
    assert per_class["ConferenceEdition"] == 9
    assert per_class["Observation"] == 5
    assert per_class["LocalityDesignation"] == 8
    assert manifest["triples"] > 10_000
    on_disk = json.loads((built[1].path / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["inputs_sha256"] == manifest["inputs_sha256"]


def test_the_build_leaves_nothing_for_the_server_to_recover(built):
    """Its write-ahead log is closed (``store.close_log``): the server's start skips recovery,
    and no reader replays the load (it was 23 MB, replayed by every read-only open)."""
    from ctkg.server.engine.store_access import log_pending

    assert not log_pending(built[0])


def test_units_in_time(store):
    """The 2019 Tuyên Quang ends when NQ 202/2025/QH15 takes effect; the 2025 one replaces it
    and Hà Giang; one TerritorialChange says so, with its legal basis and date."""
    found = rows(
        store,
        """
        PREFIX u: <https://w3id.org/ctkg/id/province/>
        SELECT ?end ?begin ?act ?n WHERE {
          u:tuyen-quang ctkg:validDuring/time:hasEnd/time:inXSDDate ?end ;
              dcterms:isReplacedBy u:tuyen-quang-2025 .
          u:tuyen-quang-2025 ctkg:validDuring/time:hasBeginning/time:inXSDDate ?begin ;
              dcterms:replaces u:ha-giang .
          ?c a ctkg:TerritorialChange ; ctkg:resultingUnit u:tuyen-quang-2025 ;
             ctkg:legalBasis/schema:legislationIdentifier ?act .
          { SELECT ?c (COUNT(?o) AS ?n) WHERE { ?c ctkg:originalUnit ?o } GROUP BY ?c }
        }""",
    )
    assert found == [{"end": "2025-06-12", "begin": "2025-06-12", "act": "202/2025/QH15", "n": "2"}]
    # an unchanged unit has no end
    assert not rows(
        store, "SELECT ?v WHERE { <https://w3id.org/ctkg/id/province/ha-noi> ctkg:validDuring ?v }"
    )


def test_bodies_memberships_and_status_in_time(store):
    """UBND/Sở end and begin with their unit's local government (2025-07-01); each Sở is a unit
    of its People's Committee; a membership holds on the days of the editions that attest it;
    an edition's status is stated as of a day."""
    found = rows(
        store,
        """
        PREFIX o: <https://w3id.org/ctkg/id/organization/>
        SELECT ?end ?begin ?committee WHERE {
          o:ubnd-hai-phong ctkg:validDuring/time:hasEnd/time:inXSDDate ?end .
          o:ubnd-tuyen-quang-2025 ctkg:validDuring/time:hasBeginning/time:inXSDDate ?begin ;
              org:resultedFrom ?change .
          ?change ctkg:resultingUnit <https://w3id.org/ctkg/id/province/tuyen-quang-2025> .
          o:so-cong-thuong-thai-nguyen org:unitOf ?committee .
          ?committee a ctkg:ProvincialPeoplesCommittee ;
              ctkg:jurisdiction <https://w3id.org/ctkg/id/province/thai-nguyen> .
        }""",
    )
    assert found == [
        {
            "end": "2025-07-01",
            "begin": "2025-07-01",
            "committee": ID + "organization/ubnd-thai-nguyen",
        }
    ]
    days = rows(
        store,
        """
        SELECT ?day WHERE {
          <https://w3id.org/ctkg/id/membership/dang-hoang-an--thu-truong--bo-cong-thuong>
              org:memberDuring/time:hasBeginning/time:inXSDDate ?day
        } ORDER BY ?day""",
    )
    assert [d["day"] for d in days] == ["2018-08-02", "2019-05-24", "2022-09-23"]
    status = rows(
        store,
        """
        SELECT ?status ?asOf WHERE {
          <https://w3id.org/ctkg/id/edition/hoi-nghi-cong-thuong-phia-bac/2020>
              ctkg:statusAssertion [ ctkg:status ?status ; ctkg:asOf ?asOf ]
        }""",
    )
    assert status == [{"status": CTKG_NS + "designated", "asOf": "2019-05-24"}]
    # no body is typed both a formal organisation and an organisational unit
    assert not rows(
        store,
        "SELECT ?b WHERE { ?b a org:FormalOrganization , org:OrganizationalUnit }",
    )


def test_an_edition_in_a_unit_gone_by_its_date_is_a_violation():
    """The SHACL rule: an edition's place and organisers exist on its date."""
    from rdflib import Graph

    from ctkg.ontology.shacl import validate_shapes

    g = Graph()
    g.parse(
        format="turtle",
        data="""
        @prefix ctkg: <https://w3id.org/ctkg/ontology#> .
        @prefix time: <http://www.w3.org/2006/time#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        @prefix id: <https://w3id.org/ctkg/id/> .
        <urn:e> a ctkg:ConferenceEdition ; ctkg:startDate "2025-10-17"^^xsd:date ;
            ctkg:heldIn <urn:tq2019> ; ctkg:organizer <urn:ubnd2025> .
        <urn:tq2019> ctkg:validDuring [ a time:ProperInterval ;
            time:hasEnd [ a time:Instant ; time:inXSDDate "2025-06-12"^^xsd:date ] ] .
        <urn:ubnd2025> ctkg:validDuring [ a time:ProperInterval ;
            time:hasBeginning [ a time:Instant ; time:inXSDDate "2025-07-01"^^xsd:date ] ] .
        """,
    )
    report = validate_shapes(g)
    wrong = [line for line in report.results if "does not exist on the edition's date" in line]
    assert len(wrong) == 1 and "urn:tq2019" in wrong[0] and "2025-10-17" in wrong[0]


def test_who_hosted_which_edition(store):
    result = rows(
        store,
        """
        SELECT ?year ?ordinal ?host ?status WHERE {
          ?e a ctkg:ConferenceEdition ; ctkg:year ?year ; ctkg:editionStatus ?status .
          OPTIONAL { ?e ctkg:ordinal ?ordinal }
          OPTIONAL { ?e ctkg:hostProvince/rdfs:label ?host FILTER(lang(?host) = "vi") }
        } ORDER BY ?year""",
    )
    by_year = {r["year"]: r for r in result}
    assert len(result) == 9, "one row per edition: the union graph is a set, not a bag"
    assert by_year["2019"]["host"] == "Hải Phòng" and by_year["2019"]["ordinal"] == "6"
    assert by_year["2019"]["status"].endswith("#held")
    assert by_year["2020"]["host"] == "Thái Nguyên" and by_year["2020"]["ordinal"] == "7"
    assert by_year["2020"]["status"].endswith("#designated")


def test_designated_edition_states_no_date_or_place(store):
    assert not rows(
        store,
        """
        SELECT ?p ?o WHERE {
          id:edition\\/hoi-nghi-cong-thuong-phia-bac\\/2020 ?p ?o
          FILTER(?p IN (ctkg:startDate, ctkg:heldIn, schema:location, schema:startDate))
        }""",
    )


def test_who_hosts_next_after_2019(store):
    result = rows(
        store,
        """
        SELECT ?to ?toLabel ?year WHERE {
          ?e ctkg:year "2019"^^<http://www.w3.org/2001/XMLSchema#gYear> ; ctkg:handover ?h .
          ?h ctkg:handoverTo ?to ; ctkg:handoverOf/ctkg:year ?year .
          ?to rdfs:label ?toLabel FILTER(lang(?toLabel) = "vi")
        }""",
    )
    assert [(r["toLabel"], r["year"]) for r in result] == [
        ("Sở Công Thương tỉnh Thái Nguyên", "2020")
    ]


def test_official_attended_with_post(store):
    result = rows(
        store,
        """
        SELECT ?name ?role ?org WHERE {
          ?e ctkg:year "2019"^^<http://www.w3.org/2001/XMLSchema#gYear> ; ctkg:directedBy ?p .
          ?e ctkg:attendee ?p .
          ?m org:member ?p ; org:role/rdfs:label ?role ; org:organization/rdfs:label ?org ;
             ctkg:attestedAt ?e .
          ?p rdfs:label ?name
          FILTER(lang(?name) = "vi" && lang(?role) = "vi" && lang(?org) = "vi")
        }""",
    )
    assert [(r["name"], r["role"], r["org"]) for r in result] == [
        ("Đặng Hoàng An", "Thứ trưởng", "Bộ Công Thương")
    ]


def test_fastest_growing_indicator_2018(store):
    result = rows(
        store,
        """
        SELECT ?label ?value WHERE {
          ?o a ctkg:Observation ; ctkg:indicator/rdfs:label ?label ; ctkg:value ?value ;
             ctkg:refPeriod id:period\\/2018 .
          FILTER(lang(?label) = "en")
        } ORDER BY DESC(?value)""",
    )
    assert [r["value"] for r in result] == ["18.2", "14.9", "11.8"]
    assert "export" in result[0]["label"].lower()


def test_schema_org_client_finds_the_6th_edition(store):
    """Only schema.org terms: the materialised alignment answers."""
    result = rows(
        store,
        """
        SELECT ?name ?date ?place ?organizer WHERE {
          ?e a schema:Event ; schema:startDate ?date ; schema:name ?name ;
             schema:location/schema:name ?place ; schema:organizer/schema:name ?organizer ;
             schema:superEvent ?series .
          FILTER(?date = "2019-05-24"^^<http://www.w3.org/2001/XMLSchema#date>)
          FILTER(lang(?place) = "vi" && lang(?organizer) = "vi" && lang(?name) = "vi")
        }""",
    )
    assert {r["place"] for r in result} == {"Hải Phòng"}
    assert {"UBND thành phố Hải Phòng", "Bộ Công Thương"} <= {r["organizer"] for r in result}


SCHEMA_CLIENT_QUESTIONS = {
    "events with a place, an organiser and a start date": """
        SELECT DISTINCT ?e WHERE {
          ?e a schema:Event ; schema:startDate ?date ; schema:location ?place ;
             schema:organizer ?org .
          ?place a schema:Place . ?org a schema:Organization }""",
    "who attended the 6th edition": """
        SELECT ?name WHERE {
          ?e a schema:Event ; schema:startDate "2019-05-24"^^xsd:date ; schema:attendee ?p .
          ?p a schema:Person ; schema:name ?name FILTER(lang(?name) = "vi") }""",
    "what the news article is": """
        SELECT ?headline ?date ?author WHERE {
          ?a a schema:NewsArticle ; schema:headline ?headline ; schema:datePublished ?date ;
             schema:author/schema:name ?author }""",
    "the series and its editions": """
        SELECT ?series ?e WHERE { ?e schema:superEvent ?series . ?series a schema:EventSeries }""",
}


@pytest.mark.parametrize("question", list(SCHEMA_CLIENT_QUESTIONS))
def test_schema_org_questions_answer_alike_in_both_spellings(store, question):
    """schema.org's JSON-LD context, Wikidata and DBpedia say http://schema.org/; the project
    writes https://. Every question a schema.org client asks answers the same with either."""
    query = SCHEMA_CLIENT_QUESTIONS[question]
    xsd = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"

    def answer(spelling: str) -> set:
        q = xsd + re.sub(r"schema:(\w+)", lambda m: f"<{spelling}{m.group(1)}>", query)
        return {tuple(sorted(r.items())) for r in rows(store, q)}

    https, http = answer("https://schema.org/"), answer("http://schema.org/")
    assert https, question
    assert http == https, question


def test_http_schema_org_event_count(store):
    def count(ns: str) -> int:
        q = f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a <{ns}Event> }}"
        return int(rows(store, q)[0]["n"])

    assert count("http://schema.org/") == count("https://schema.org/") >= 9
    # reifications name the triple as asserted: no statement gets a second predicate
    assert not rows(
        store,
        "SELECT ?st WHERE { ?st rdf:predicate ?p1, ?p2 FILTER(?p1 != ?p2) } LIMIT 1",
    )


# --- fidelity: no fact stronger than its source -----------------------------------------------


def test_needed_tasks_are_not_an_adopted_programme(store):
    assert not rows(store, "SELECT ?p WHERE { ?e ctkg:adoptedProgramme ?p }")
    result = rows(
        store,
        "SELECT ?n WHERE { ?e ctkg:neededTasks ?p . ?p ctkg:numberOfTaskGroups ?n }",
    )
    assert [r["n"] for r in result] == ["19"]


def test_growth_with_no_stated_base_is_not_called_year_on_year(store):
    """The seed gives 2018's and January–April 2019's growth without "so với cùng kỳ" / "so với
    năm trước": the graph says growth, not year-on-year growth (a year's rate included)."""
    result = rows(
        store,
        """
        SELECT ?period ?kind WHERE {
          ?o a ctkg:Observation ; ctkg:refPeriod/rdfs:label ?period ; ctkg:valueKind ?kind .
          FILTER(lang(?period) = "en") }""",
    )
    kinds = {(r["period"], r["kind"].rsplit("#", 1)[1]) for r in result}
    assert kinds == {("2018", "growth"), ("January–April 2019", "growth")}


def test_opening_speaker_did_not_direct_the_2016_edition(store):
    result = rows(
        store,
        """
        SELECT ?directed ?spoke WHERE {
          ?e ctkg:year "2016"^^<http://www.w3.org/2001/XMLSchema#gYear> .
          OPTIONAL { ?e ctkg:directedBy ?directed }
          OPTIONAL { ?e ctkg:speech/ctkg:speaker ?spoke } }""",
    )
    assert [(r.get("directed"), r["spoke"]) for r in result] == [
        (None, "https://w3id.org/ctkg/id/person/nguyen-ngoc-thach")
    ]


def test_preparation_article_supports_only_the_planned_venue(store):
    prep = (
        "https://thanhphohaiphong.gov.vn/"
        "chuan-bi-tot-viec-to-chuc-chuoi-su-kien-cong-thuong-2019-tai-hai-phong.html"
    )
    result = rows(
        store,
        f"""
        SELECT DISTINCT ?p WHERE {{ GRAPH ?g {{
          ?fact ctkg:statement [ rdf:subject ?s ; rdf:predicate ?p ] ;
                prov:wasDerivedFrom <{prep}> }} }}""",
    )
    assert [r["p"] for r in result] == ["http://www.w3.org/2004/02/skos/core#editorialNote"]


def test_readings_carry_an_interpretation_and_a_confidence(store):
    result = rows(
        store,
        """
        SELECT ?p ?o ?c ?note WHERE {
          ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
          ?fact ctkg:statement ?st ; ctkg:interpretation ?note ; ctkg:confidence ?c .
          VALUES (?s ?p) {
            (id:edition\\/hoi-nghi-cong-thuong-phia-bac\\/2020 ctkg:hostProvince)
            (id:edition\\/hoi-nghi-cong-thuong-phia-bac\\/2019\\/direction\\/2 ctkg:areaToPullAlong)
          }
          FILTER(lang(?note) = "en") }""",
    )
    by_object = {r["o"].rsplit("/", 1)[1]: (r["c"].rsplit("#", 1)[1], r["note"]) for r in result}
    assert by_object["thai-nguyen"][0] == "medium"
    assert "read from that body's name" in by_object["thai-nguyen"][1]
    assert by_object["northern-midlands-and-mountains"][0] == "medium"
    assert "khu vực miền núi" in by_object["northern-midlands-and-mountains"][1]


def test_locomotives_and_the_areas_they_pull_along_are_different_relations(store):
    def objects(prop: str) -> set:
        q = f"""SELECT ?a WHERE {{ ?d a ctkg:Direction ; ctkg:{prop} ?a }}"""
        return {r["a"].rsplit("/", 1)[1] for r in rows(store, q)}

    assert objects("leadingLocality") == {"ha-noi", "hai-phong", "quang-ninh"}
    assert objects("areaToPullAlong") == {
        "northern-midlands-and-mountains",
        "red-river-delta",
        "northern-28-north-central",
    }


def test_every_fact_has_article_date_and_quote(store):
    """From any triple of the article graph to its article, date and supporting quote."""
    result = rows(
        store,
        """
        SELECT ?quote ?start ?end ?date WHERE {
          GRAPH ?g {
            ?st rdf:subject id:edition\\/hoi-nghi-cong-thuong-phia-bac\\/2019 ;
                rdf:predicate ctkg:startDate .
            ?fact ctkg:statement ?st ; ctkg:evidence ?ev .
            ?ev ctkg:quote ?quote ; ctkg:startOffset ?start ; ctkg:endOffset ?end ;
                prov:wasQuotedFrom ?article .
          }
          ?article schema:datePublished ?date .
        }""",
    )
    assert result, "the start date must be traceable to a quote"
    text = unicodedata.normalize("NFC", ARTICLE.read_text(encoding="utf-8"))
    for r in result:
        assert r["date"] == "2019-05-29"
        assert text[int(r["start"]) : int(r["end"])] == r["quote"]
    assert any("24⁄5⁄2019" in r["quote"] for r in result)


def test_every_quote_is_at_its_offsets(store):
    text = unicodedata.normalize("NFC", ARTICLE.read_text(encoding="utf-8"))
    evidence = rows(
        store,
        "SELECT ?q ?s ?e WHERE { ?x ctkg:quote ?q ; ctkg:startOffset ?s ; ctkg:endOffset ?e }",
    )
    assert len(evidence) > 100
    for r in evidence:
        assert text[int(r["s"]) : int(r["e"])] == r["q"]


def test_every_triple_is_sourced(store):
    scheme = IriScheme("https://w3id.org/ctkg/")
    assert checks.unsourced_triples(store, scheme) == []
    assert checks.dangling_references(store, scheme) == []


def test_unsourced_triple_is_caught(store):
    scheme = IriScheme("https://w3id.org/ctkg/")
    copy = ox.Store()
    copy.extend(store.quads_for_pattern(None, None, None, None))
    copy.add(
        ox.Quad(
            ox.NamedNode("https://w3id.org/ctkg/id/province/hai-phong"),
            ox.NamedNode("https://w3id.org/ctkg/ontology#gsoCode"),
            ox.Literal("99"),
            ox.NamedNode("https://w3id.org/ctkg/graph/gazetteer"),
        )
    )
    assert len(checks.unsourced_triples(copy, scheme)) == 1


@pytest.mark.parametrize("name", sorted(DUMP_FORMATS))
def test_every_dump_parses_back_to_the_same_graph(built, store, name):
    fmt = DUMP_FORMATS[name]
    path = built[1].path / "dumps" / name
    parsed = ox.Dataset(ox.parse(path=str(path), format=fmt))
    parsed.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    original = ox.Dataset(q for q in store if not isinstance(q.graph_name, ox.DefaultGraph))
    if not fmt.supports_datasets:
        original = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object) for q in original)
    original.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    assert {str(q) for q in parsed} == {str(q) for q in original}


def test_dump_checksums_match(built):
    dumps = built[1].path / "dumps"
    from ctkg.graph.dumps import sha256

    for line in (dumps / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert sha256(dumps / name) == digest


def test_build_is_reproducible(built, real_data_dir):
    """This module's build and the session's (another build of the same sources, in another
    directory, without validation) give the same bytes."""
    again = real_data_dir / "current" / "dumps" / "ctkg.nq"
    assert again.resolve().parent.parent != built[1].path
    first = (built[1].path / "dumps" / "ctkg.nq").read_bytes()
    assert again.read_bytes() == first


def test_base_iri_is_configurable(built_graph):
    base = "http://example.org/kg/"
    settings = Settings.from_env({}, data_dir=str(built_graph(base)), base_iri=base)
    store = open_store(settings)
    assert bool(
        store.query(
            "ASK { <http://example.org/kg/id/province/hai-phong> a "
            "<http://example.org/kg/ontology#CentrallyGovernedCity> }"
        )
    )
    assert not bool(
        store.query('ASK { ?s ?p ?o FILTER(STRSTARTS(STR(?s), "https://w3id.org/ctkg/")) }')
    )


# --- bad inputs fail cleanly and leave the previous graph in place ---------------------------


def _break_fact_file(inputs: Inputs, old: str, new: str) -> None:
    path = inputs.facts / "2019-05-29-hai-phong.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in the fact file"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BAD_INPUTS = {
    "broken Turtle": (
        lambda i: i.ontology.write_text(i.ontology.read_text() + "\nctkg:Broken a ;;\n"),
        "ctkg.ttl",
    ),
    "quote not in article": (
        lambda i: _break_fact_file(i, "quote: ", "quote: Hội nghị ở Đà Lạt — "),
        "quote not found verbatim",
    ),
    "unknown province": (
        lambda i: _break_fact_file(i, "province/hai-phong", "province/atlantis"),
        "unknown province 'atlantis'",
    ),
    "malformed YAML": (
        lambda i: (i.facts / "2019-05-29-hai-phong.yaml").write_text(
            "article: {id: x\nfacts: [", encoding="utf-8"
        ),
        "malformed YAML at line",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_fails_and_keeps_previous_graph(case, tmp_path, copy_real_graph):
    settings = Settings.from_env(data_dir=str(copy_real_graph(tmp_path / "data")))
    good_path = (tmp_path / "data" / "current").resolve()
    assert (good_path / "manifest.json").is_file()
    inputs = Inputs.packaged().copy_to(tmp_path / "inputs")
    breaker, message = BAD_INPUTS[case]
    breaker(inputs)
    with pytest.raises(BuildError) as info:
        build(settings, inputs=inputs, quiet=True, validate=False)
    assert message in str(info.value)
    assert (tmp_path / "data" / "current").resolve() == good_path
    assert not list((tmp_path / "data" / "builds").glob(".tmp-*")), "half-written build left"
    assert bool(open_store(settings).query("ASK { ?s ?p ?o }"))


def test_cli_reports_bad_input_in_one_line(tmp_path, capsys):
    from ctkg.cli import main

    inputs = Inputs.packaged().copy_to(tmp_path / "inputs")
    _break_fact_file(inputs, "province/hai-phong", "province/atlantis")
    code = main(
        [
            "--data-dir",
            str(tmp_path / "d"),
            "build",
            "-q",
            "--no-validate",
            "--inputs",
            str(tmp_path / "inputs"),
        ]
    )
    err = capsys.readouterr().err
    assert code != 0
    assert "unknown province 'atlantis'" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_validate_command_passes_on_the_built_graph(built, capsys):
    from ctkg.cli import main

    assert main(["--data-dir", built[0].data_dir, "validate"]) == 0
    out = capsys.readouterr()
    assert out.out.strip() == "valid"
    assert "consistent: True; unsatisfiable classes: 0" in out.err


def test_validate_command_catches_an_inconsistent_fact(tmp_path, capsys):
    """A person typed also as a ministry: SHACL may not see it, the reasoner must."""
    from ctkg.cli import main

    inputs = Inputs.packaged().copy_to(tmp_path / "inputs")
    path = inputs.facts / "2019-05-29-hai-phong.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "subject: person/dang-hoang-an\n    type: Person",
        "subject: person/dang-hoang-an\n    type: [Person, Ministry]",
        1,
    )
    assert "[Person, Ministry]" in text
    path.write_text(text, encoding="utf-8")
    data = str(tmp_path / "d")
    assert (
        main(
            [
                "--data-dir",
                data,
                "build",
                "-q",
                "--no-validate",
                "--inputs",
                str(inputs.ontology.parent.parent),
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["--data-dir", data, "validate"]) == 1
    out = capsys.readouterr()
    assert out.out.strip() == "INVALID"
    assert "inconsistent" in out.err and "dang-hoang-an" in out.err


def test_rdflib_api_over_the_oxigraph_store(built):
    """rdflib users get the on-disk store through rdflib's API, not a copy in memory."""
    from oxrdflib import OxigraphStore
    from rdflib import URIRef

    from ctkg.graph.store import open_dataset

    dataset = open_dataset(built[0])
    assert isinstance(dataset.store, OxigraphStore)
    rows = list(dataset.query(PREFIXES + "SELECT ?e WHERE { ?e a ctkg:ConferenceEdition }"))
    assert len(rows) == 9
    hai_phong = URIRef("https://w3id.org/ctkg/id/province/hai-phong")
    labels = {str(o) for o in dataset.objects(hai_phong, URIRef(RDFS_LABEL))}
    assert {"Hải Phòng", "Hai Phong"} <= labels


def _series_csv(tmp_path, edit) -> Path:
    """The packaged series CSV (and its titles file) with its third line passed through ``edit``."""
    from ctkg.graph.series import CSV_FILE, TITLES_FILE

    sources = Inputs.packaged().sources
    lines = (sources / CSV_FILE).read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = edit(lines[2])
    (tmp_path / CSV_FILE).write_text("".join(lines), encoding="utf-8")
    if (sources / TITLES_FILE).exists():
        shutil.copy(sources / TITLES_FILE, tmp_path / TITLES_FILE)
    return tmp_path / CSV_FILE


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda line: line.split(",2016-09-06,")[0] + "\n", r"line 3: 2 fields where the header"),
        (lambda line: line.rstrip("\n") + ",extra\n", r"line 3: 14 fields where the header has 13"),
        (lambda line: line.replace("2016-09-06", "2016-13-45"), r"line 3: .*2016-13-45"),
        (lambda line: line.replace(",held,", ",hosted,"), r"line 3: .*hosted"),
    ],
    ids=["short row", "long row", "impossible date", "unknown status"],
)
def test_broken_series_row_names_file_and_line(tmp_path, edit, message):
    from ctkg.graph.series import series_facts

    path = _series_csv(tmp_path, edit)
    with pytest.raises(BuildError, match=message) as info:
        series_facts({}, set(), path)
    assert str(path) in str(info.value)
    assert "NoneType" not in str(info.value)
