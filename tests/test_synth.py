"""The synthetic-data generator (``bench/synth/``, ``ctkg synth``): deterministic, on target,
loadable, sourced, and shaped so the project's named queries run on it unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from ctkg.bench import synth
from ctkg.config import Settings
from ctkg.graph import checks
from ctkg.graph.store import open_store
from ctkg.iris import IriScheme

TARGET = 20_000  # above the fixed part (ontology, gazetteer of 2019 and 2025, series)
PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX ctkg: <https://w3id.org/ctkg/ontology#>
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> synth.SynthResult:
    """One 2·10^4 generation, shared by the tests of this module."""
    return synth.generate(tmp_path_factory.mktemp("synth") / "a.nq", TARGET, seed=7)


@pytest.fixture(scope="module")
def built(generated, tmp_path_factory) -> tuple[Settings, ox.Store]:
    """The generated file loaded as a build (same layout as ``ctkg build``), opened read-only."""
    settings = Settings(data_dir=str(tmp_path_factory.mktemp("data")))
    info = {"synthetic": generated.info(7, TARGET)}
    synth.load(settings, generated.path, generated.default_graph_path, extra_manifest=info)
    return settings, open_store(settings)


def test_same_seed_gives_the_same_bytes(generated, tmp_path):
    """Generation is a function of (size, seed): the same seed writes an identical file."""
    again = synth.generate(tmp_path / "b.nq", TARGET, seed=7)
    assert again.sha256 == generated.sha256
    assert again.path.read_bytes() == generated.path.read_bytes()
    other = synth.generate(tmp_path / "c.nq", TARGET, seed=8)
    assert other.sha256 != generated.sha256


def test_hits_the_target_size(generated, built):
    """The quads written and the quads the store holds are within 10 % of the target."""
    settings, _ = built
    assert abs(generated.quads - TARGET) <= TARGET * 0.10
    manifest = json.loads((settings.data_path / "current" / "manifest.json").read_text())
    assert manifest["quads"] == generated.quads  # no quad written twice
    assert manifest["synthetic"]["seed"] == 7
    assert manifest["default_graph_triples"] > 0.9 * manifest["quads"]


def test_store_has_the_build_layout(built):
    """Named graphs per source and article, and a default graph that is their merge."""
    settings, store = built
    graphs = {g.value for g in store.named_graphs()}
    base = settings.base_iri + "graph/"
    assert {base + "ontology", base + "gazetteer", base + "meta", base + "inferred"} <= graphs
    assert any(g.startswith(base + "article/") for g in graphs)
    missing = store.query(
        "ASK { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?s ?p ?o } }"  # named but not merged
    )
    assert not bool(missing)


def test_every_statement_has_a_source(built):
    """Every statement is stated by one fact, which cites a source; every triple of a source
    graph is named by a statement; no dangling references; every quote is found at its offsets
    in its article's body."""
    settings, store = built
    scheme = IriScheme(settings.base_iri)
    unsourced = store.query(
        PREFIXES
        + """ASK { ?st a rdf:Statement FILTER NOT EXISTS {
          ?fact a ctkg:Fact ; ctkg:statement ?st ; prov:wasDerivedFrom ?x } }"""
    )
    assert not bool(unsourced)
    shared = store.query(
        PREFIXES + "ASK { ?f1 ctkg:statement ?st . ?f2 ctkg:statement ?st FILTER(?f1 != ?f2) }"
    )
    assert not bool(shared)
    # the real build's shape: no provenance on the statements themselves
    old = store.query(PREFIXES + "ASK { ?st a rdf:Statement ; prov:wasDerivedFrom ?x }")
    assert not bool(old)
    assert checks.unsourced_triples(store, scheme) == []
    assert checks.dangling_references(store, scheme) == []
    rows = list(
        store.query(
            PREFIXES
            + """SELECT ?quote ?start ?end ?body WHERE {
              ?fact ctkg:evidence ?ev . ?ev ctkg:quote ?quote ; ctkg:startOffset ?start ;
                  ctkg:endOffset ?end ; prov:wasQuotedFrom ?article .
              ?article schema:articleBody ?body }"""
        )
    )
    assert rows
    for r in rows:
        start, end = int(r["start"].value), int(r["end"].value)
        assert r["body"].value[start:end] == r["quote"].value


def test_observations_have_the_seed_shape(built):
    """Every observation has the seed's dimensions, measure, attribute and sources."""
    _, store = built
    incomplete = store.query(
        PREFIXES
        + """PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        ASK { ?o a ctkg:Observation .
          FILTER NOT EXISTS { ?o ctkg:indicator ?i ; ctkg:refArea ?a ; ctkg:refPeriod ?p ;
            ctkg:valueKind ctkg:yearOnYearGrowth ; ctkg:unitMeasure ctkg:percent ;
            ctkg:value ?v ; ctkg:reportedAt ?e ; ctkg:reportedIn ?r
            FILTER(DATATYPE(?v) = xsd:decimal) } }"""
    )
    assert not bool(incomplete)
    assert bool(store.query(PREFIXES + "ASK { ?o a ctkg:Observation }"))


@pytest.mark.parametrize(
    "name", ["series-editions", "edition-attendees", "province-editions", "region-provinces"]
)
def test_named_queries_find_data(built, name):
    """The project's named queries, default parameters, answer on synthetic data."""
    from ctkg.queries import catalog

    _, store = built
    assert name in {q.name for q in catalog.all_queries()}, f"no named query {name!r}"
    assert list(catalog.run_named(store, name))


def test_another_base_iri_is_applied(tmp_path):
    """With CTKG_BASE_IRI set, no IRI of the canonical base is left in the output."""
    result = synth.generate(tmp_path / "x.nq", 9_000, base_iri="https://example.org/kg/")
    text = result.path.read_text(encoding="utf-8")
    assert "<https://w3id.org/ctkg/" not in text  # (a literal may quote it, as in the build)
    assert "<https://example.org/kg/id/province/hai-phong>" in text


def test_cli_synth_builds_a_current_graph(tmp_path, capsys):
    """``ctkg synth --triples 1e4 --data-dir D`` builds D/current with the N-Quads as dump."""
    from ctkg.cli import main

    assert main(["synth", "--triples", "1e4", "--data-dir", str(tmp_path), "-q"]) == 0
    assert "built" in capsys.readouterr().out
    current = tmp_path / "current"
    assert (current / "store").is_dir()
    assert (current / "dumps" / "ctkg.nq").is_file()
    assert not list(tmp_path.glob(".synth-*"))  # the scratch files are gone


def test_parse_size():
    assert synth.parse_size("1e6") == 1_000_000
    assert synth.parse_size("100k") == 100_000
    assert synth.parse_size("2M") == 2_000_000
    with pytest.raises(ValueError):
        synth.parse_size("lots")


def test_target_below_the_fixed_part_still_writes_it(tmp_path):
    """A tiny target gives the fixed part (ontology, gazetteer) and a warning, not an error."""
    result = synth.generate(Path(tmp_path) / "tiny.nq", 100)
    assert result.quads > 100
    assert result.articles == 0


def test_synth_refuses_to_build_into_the_default_data_dir(capsys):
    """Made-up data must never replace the real graph by default."""
    from ctkg.cli import main

    assert main(["synth", "--triples", "1e4", "-q"]) == 2
    assert "its own --data-dir" in capsys.readouterr().err
