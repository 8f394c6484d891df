"""``ctkg build``: ontology + gazetteer + curated facts -> a new store and dumps, atomically.

Steps: read and check every source (quotes, references, types) before anything is written;
load the quads into a fresh Oxigraph store through rdflib's API; materialise the standard
vocabularies; validate (sources of every triple, references, SHACL); write the dumps; then swap
``current``. Any failure leaves the previous build in place.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from ctkg.config import Settings
from ctkg.iris import CANONICAL, IriScheme
from ctkg.progress import Progress

from . import checks
from .dumps import write_dumps
from .errors import BuildError
from .facts import fact_files, load_article_facts
from .gazetteer import gazetteer_facts, province_iris
from .in_time import derived_facts
from .inputs import Inputs
from .materialize import materialisation_updates
from .model import Fact
from .provenance import fact_quads, graph_description, in_meta, rebased
from .series import CSV_FILE, series_facts
from .store import BuildDirectory, close_log, merge_into_default_graph
from .terms import ontology_index
from .vocab import RDFS

log = logging.getLogger(__name__)
GRAPH_DIR = Path(__file__).resolve().parent


@dataclass
class BuildResult:
    path: Path
    manifest: dict


def collect_quads(inputs: Inputs | None = None) -> tuple[list[tuple], list[Fact]]:
    """Every quad of the graph in canonical IRIs (ontology, sources, facts, metadata)."""
    inputs = inputs or Inputs.packaged()
    index = ontology_index(inputs.ontology)
    quads: list[tuple] = [(s, p, o, CANONICAL.graph("ontology")) for s, p, o in index.graph]
    quads += graph_description(
        "ontology", {"vi": "Bản thể học ctkg", "en": "The ctkg ontology"}, [CANONICAL.ontology_iri]
    )
    gaz_facts, gaz_meta = gazetteer_facts(inputs.gazetteer)
    all_facts = list(gaz_facts)
    quads += in_meta(gaz_meta)
    quads += graph_description(
        "gazetteer",
        {
            "vi": "Danh mục đơn vị hành chính cấp tỉnh 2019 và 2025",
            "en": "Gazetteer of provinces, 2019 and 2025",
        },
        [CANONICAL.entity("source/provinces-2019"), CANONICAL.entity("source/provinces-2025")],
    )
    article_by_file: dict[str, URIRef] = {}
    article_files: dict[str, Path] = {}
    for facts_dir, sources_dir in inputs.fact_layers():
        for path in fact_files(facts_dir):
            article, facts = load_article_facts(path, index, sources_dir)
            if article.id in article_files:
                raise BuildError(
                    f"article {article.id} is curated twice (also in {article_files[article.id]})",
                    source=str(path),
                )
            article_files[article.id] = path
            article_by_file[article.text_file.name] = article.iri
            all_facts += facts
            quads += graph_description(
                article.graph,
                {
                    "vi": f"Dữ kiện từ bài báo {article.id}",
                    "en": f"Facts from article {article.id}",
                },
                [article.iri],
            )
    labelled = {
        s
        for f in all_facts
        if f.graph.startswith("article/")
        for s, p, _ in f.triples
        if p == RDFS.label
    }
    series, series_meta = series_facts(article_by_file, labelled, inputs.sources / CSV_FILE)
    all_facts += series
    quads += in_meta(series_meta)
    quads += graph_description(
        "source/series-editions",
        {"vi": "Các kỳ hội nghị theo tin tức công khai", "en": "Editions as public news report"},
        [CANONICAL.entity("source/series-editions")],
    )
    derived, derived_meta = derived_facts(all_facts, inputs.gazetteer)
    all_facts += derived
    quads += in_meta(derived_meta)
    _check_provinces(all_facts)
    quads += fact_quads(all_facts)
    return quads, all_facts


def _check_provinces(facts: list[Fact]) -> None:
    known = province_iris()
    prefix = CANONICAL.id + "province/"
    for fact in facts:
        for s, _p, o in fact.triples:
            for term in (s, o):
                if not (isinstance(term, URIRef) and term.startswith(prefix)):
                    continue
                slug = term.removeprefix(prefix).split("/", 1)[0]  # a unit or its sub-resource
                if URIRef(prefix + slug) not in known:
                    raise BuildError(
                        f"unknown province {slug!r} (not in the gazetteer)",
                        source=fact.graph,
                        fact=fact.id,
                    )


def build(
    settings: Settings,
    *,
    inputs: Inputs | None = None,
    quiet: bool = False,
    validate: bool = True,
    reason: bool = False,
) -> BuildResult:
    """Build the graph into a new directory of ``settings.data_dir`` and make it current.

    Without ``inputs``: the repository's sources plus the data directory's curated layer
    (``$CTKG_DATA_DIR/curated``, what ``ctkg ingest`` wrote)."""
    inputs = inputs or Inputs.packaged().with_curated(settings.data_path / "curated")
    import pyoxigraph as ox
    from oxrdflib import OxigraphStore

    scheme = IriScheme(settings.base_iri)
    steps = (8 if validate else 7) + (settings.store != "oxigraph") + (validate and reason)
    progress = Progress(steps, quiet=quiet)
    with progress.step("reading ontology, gazetteer, facts and series"):
        canonical, facts = collect_quads(inputs)
        quads = list(rebased(canonical, scheme))
        progress.note(f"{len(facts)} facts, {len(quads)} quads")
    with BuildDirectory(settings) as target:
        with progress.step(f"loading into a new store ({target.path.name})"):
            store = ox.Store(str(target.store_path))
            dataset = Dataset(store=OxigraphStore(store=store))
            graphs = {g: dataset.graph(g) for g in {q[3] for q in quads}}
            dataset.addN((s, p, o, graphs[g]) for s, p, o, g in quads)
        with progress.step("materialising schema.org, ORG, PROV, Data Cube, SKOS, OWL-Time"):
            onto = Graph()
            for s, p, o in ontology_index(inputs.ontology).graph:
                onto.add((scheme.rebase_term(s), scheme.rebase_term(p), scheme.rebase_term(o)))
            for update in materialisation_updates(
                onto, str(scheme.graph("inferred")), str(scheme.graph("ontology"))
            ):
                store.update(update)
            store.update(_inferred_description(scheme))
        with progress.step("merging all named graphs into the default graph"):
            merge_into_default_graph(store)
        if validate:
            with progress.step("validating: sources, references, SHACL, Data Cube"):
                _validate(store, scheme, progress)
            if reason:
                with progress.step("OWL 2 reasoner (HermiT) on the ontology and all instance data"):
                    _reason(store, progress)
        with progress.step("writing dumps"):
            files = write_dumps(store, target.dumps_path, settings.base_iri, progress.note)
        with progress.step("writing manifest"):
            manifest = _manifest(store, scheme, settings, files, target.id, inputs)
            (target.path / "manifest.json").write_text(
                json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8"
            )
            store.flush()
            del dataset, store, graphs  # the graphs hold the store open too
            close_log(target.store_path)
        with progress.step("making the new build current"):
            path = target.commit()
    if settings.store != "oxigraph":
        with progress.step(f"publishing to the remote store {settings.store}"):
            publish(settings, progress)
    manifest["seconds"] = round(progress.elapsed, 2)
    return BuildResult(path, manifest)


def publish(settings: Settings, progress: Progress | None = None) -> int:
    """Copy the current build into the remote store named by CTKG_STORE (atomic switch)."""
    from .remote import RemoteStore
    from .store import open_store

    remote = RemoteStore.from_settings(settings)
    note = progress.note if progress else (lambda _m: None)
    return remote.publish(open_store(settings), settings.base_iri, note)


def _inferred_description(scheme: IriScheme) -> str:
    meta, inferred = scheme.graph("meta"), scheme.graph("inferred")
    activity = scheme.entity("activity/materialisation")
    return f"""
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT DATA {{ GRAPH <{meta}> {{
  <{inferred}> a prov:Bundle ; prov:wasGeneratedBy <{activity}> ;
    rdfs:label "Suy diễn theo từ vựng chuẩn"@vi, "Entailed standard-vocabulary triples"@en .
  <{activity}> a prov:Activity ; prov:used <{scheme.graph("ontology")}> ;
    rdfs:label "materialisation of the ontology's alignments"@en .
}} }}"""


def _validate(store, scheme: IriScheme, progress: Progress) -> None:
    problems = checks.unsourced_triples(store, scheme)
    if problems:
        raise BuildError("triples without a source:\n  " + "\n  ".join(problems))
    dangling = checks.dangling_references(store, scheme)
    if dangling:
        raise BuildError("references to entities nothing describes:\n  " + "\n  ".join(dangling))
    from ctkg.ontology import shacl

    report = shacl.validate_store(store, scheme)
    progress.note(f"SHACL: {'conforms' if report.conforms else 'does not conform'}")
    if not report.conforms:
        raise BuildError("SHACL validation failed:\n  " + "\n  ".join(report.lines[:30]))
    from ctkg.ontology import datacube

    cube = datacube.check_cube(store)
    progress.note(f"Data Cube IC-1…IC-21: {'all hold' if cube.ok else 'violated'}")
    if not cube.ok:
        lines = [r.line() for r in cube.violations]
        raise BuildError("Data Cube integrity constraints violated:\n  " + "\n  ".join(lines))


def _reason(store, progress: Progress) -> None:
    """HermiT on the merged graph, before the build is made current (``ctkg ingest``)."""
    import pyoxigraph as ox

    from ctkg.ontology import reasoning
    from ctkg.ontology.shacl import store_graph

    result = reasoning.reason(store_graph(store, ox.DefaultGraph()), strict=False)
    progress.note(
        f"consistent: {result.consistent}; unsatisfiable classes: {len(result.unsatisfiable)}"
    )
    if not result.consistent or result.unsatisfiable:
        detail = result.message or ", ".join(str(c) for c in result.unsatisfiable[:5])
        raise BuildError(f"the OWL reasoner rejects the graph: {detail}")


def _count(store, query: str) -> int:
    return int(next(iter(store.query(query)))["n"].value)


def _manifest(store, scheme, settings: Settings, files: dict, build_id: str, inputs) -> dict:
    graphs = {
        r["g"].value: int(r["n"].value)
        for r in store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
    }
    classes = {
        r["c"].value: int(r["n"].value)
        for r in store.query(
            f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?c }} "
            f'FILTER(STRSTARTS(STR(?c), "{scheme.vocab}")) '
            f"FILTER(?g != <{scheme.graph('ontology')}>) }} GROUP BY ?c ORDER BY ?c"
        )
    }
    return {
        "build": build_id,
        "base_iri": settings.base_iri,
        "inputs_sha256": inputs.digest(),
        "triples": _count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
        "quads": sum(graphs.values()),
        "graphs": dict(sorted(graphs.items())),
        "entities_per_class": classes,
        "dumps": files,
    }
