"""Review decisions that touch more than one fact, and a proposal accepted as it stands.

- Choosing a candidate for a person (a fictional article naming "Đặng Hoài An", one letter off
  the seed's Deputy Minister Đặng Hoàng An) links every fact that named the rules' new person to
  the chosen one: the attendance, the typing fact *and the membership*, whose IRI is made from
  the person (``membership/{person}--{role}--{organisation}``); the graph's own labels are kept
  (no second Vietnamese label, no membership named after the misspelling); undo restores it all.
- The Đà Nẵng test article (development data), every fact accepted as proposed, ingests: the
  series names a region the gazetteer does not have, and the proposal describes it (a
  ``Region`` typed and labelled where the article names it), so its figures' ``refArea`` refers
  to something the graph describes, with its quote.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from helpers import settings_for

from ctkg.graph.curation.layout import Curated
from ctkg.graph.curation.pipeline import propose, write
from ctkg.graph.curation.resolver import Resolver
from ctkg.graph.curation.review import Review

ROOT = Path(__file__).resolve().parent.parent
DA_NANG = ROOT / "tests" / "resources" / "curation" / "articles" / "2020-10-16-da-nang.txt"
ARTICLE = """Hội nghị ngành Công Thương các tỉnh miền Trung - Tây Nguyên lần thứ 4 năm 2021

Thứ Bảy, 16/10/2021 - Ngày 15/10/2021, tại tỉnh Khánh Hòa, Bộ Công Thương chủ trì, phối hợp \
với UBND tỉnh Khánh Hòa tổ chức Hội nghị ngành Công Thương các tỉnh miền Trung - Tây Nguyên lần \
thứ 4. Thứ trưởng Bộ Công Thương Đặng Hoài An chủ trì Hội nghị.

Nguồn: Lan Anh
"""


def _proposal(data_dir: Path, article: Path) -> str:
    proposed = propose(article, Resolver.from_sources())
    write(proposed, Curated.of(data_dir).proposals)
    return proposed.proposal.id


def _facts(review: Review) -> dict:
    return {f.id: f for f in review.proposal.facts}


def test_choosing_a_person_renames_the_memberships_made_from_it(tmp_path):
    article = tmp_path / "khanh-hoa.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    data = tmp_path / "data"
    aid = _proposal(data, article)
    review = Review(Curated.of(data), aid)
    before = {f.id: f.to_dict() for f in review.proposal.facts}
    official = next(f for f in review.proposal.facts if f.type == "Membership")
    assert official.subject == "membership/dang-hoai-an--thu-truong--bo-cong-thuong"
    res = official.resolution["props.org:member"]
    assert res.outcome == "candidates" and res.candidates[0].ref == "person/dang-hoang-an"

    review.choose(official.id, "props.org:member", "1")

    facts = _facts(review)
    text = yaml.safe_dump([f.to_dict() for f in facts.values()], allow_unicode=True)
    assert "dang-hoai-an" not in text.replace("id: official-dang-hoai-an", "").replace(
        "id: person-dang-hoai-an", ""
    ).replace("id: attended-dang-hoai-an", "")
    member = facts[official.id]
    assert member.subject == "membership/dang-hoang-an--thu-truong--bo-cong-thuong"
    assert member.props["org:member"] == "person/dang-hoang-an"
    assert member.label is None  # the seed has this membership, with its own labels
    person = next(f for f in facts.values() if f.type == "Person" and "Hoài" in f.quote)
    assert person.subject == "person/dang-hoang-an" and person.label is None
    attended = next(f for f in facts.values() if "directedBy" in f.props)
    assert attended.props["directedBy"] == "person/dang-hoang-an"

    # the log has the decision; undo restores every fact it changed, from the proposal on disk
    assert Review(Curated.of(data), aid).undo() is not None
    again = Review(Curated.of(data), aid)
    assert {f.id: f.to_dict() for f in again.proposal.facts} == before


def test_a_person_the_graph_lacks_gets_a_membership_named_after_the_choice(tmp_path):
    """Choosing a person whose membership the graph does not have: the membership is renamed and
    its label follows the chosen person's name."""
    article = tmp_path / "khanh-hoa.txt"
    article.write_text(ARTICLE.replace("Thứ trưởng Bộ Công Thương", "Bộ trưởng Bộ Công Thương"))
    data = tmp_path / "data"
    aid = _proposal(data, article)
    review = Review(Curated.of(data), aid)
    official = next(f for f in review.proposal.facts if f.type == "Membership")
    review.choose(official.id, "props.org:member", "person/dang-hoang-an")
    member = _facts(review)[official.id]
    assert member.subject == "membership/dang-hoang-an--bo-truong--bo-cong-thuong"
    assert member.label["vi"].startswith("Đặng Hoàng An - ")
    assert member.label["en"].startswith("Dang Hoang An - ")


def test_da_nang_accepted_as_proposed_ingests_with_its_new_region(tmp_path):
    from ctkg.graph.curation.ingest import ingest

    data = tmp_path / "data"
    aid = _proposal(data, DA_NANG)
    review = Review(Curated.of(data), aid)
    region = next(f for f in review.proposal.facts if f.subject.startswith("region/"))
    assert region.type == "Region" and region.quote == "miền Trung - Tây Nguyên"
    assert region.label == {"vi": "miền Trung - Tây Nguyên", "en": "mien Trung - Tay Nguyen"}
    areas = {f.props["refArea"] for f in review.proposal.facts if f.type == "Observation"}
    assert areas == {region.subject}
    review.accept_all()

    result = ingest(settings_for(data), aid, reason=False)
    assert result.quads > 0

    import pyoxigraph as ox

    store = ox.Store.read_only(str(data / "current" / "store"))
    iri = f"https://w3id.org/ctkg/id/{region.subject}"
    rows = list(
        store.query(
            "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
            "PREFIX ctkg: <https://w3id.org/ctkg/ontology#> "
            "SELECT ?quote WHERE { GRAPH ?g { ?st rdf:subject <" + iri + "> ; "
            "rdf:predicate rdf:type ; rdf:object ctkg:Region . "
            "?fact ctkg:statement ?st ; ctkg:evidence/ctkg:quote ?quote } }"
        )
    )
    assert [r["quote"].value for r in rows] == ["miền Trung - Tây Nguyên"]
