"""The proposal format and the resolver: what review, ingest and reconciliation build on.

Checks: a proposal survives a dump/load round trip; its accepted facts come out in the curated
facts format (no curation keys); a proposal edited into invalid YAML, an unknown key, a bad status
or a quote moved off its offsets is refused with the file and the line; the resolver links exact
unique folded matches only, proposes candidates for near names without merging them, dates
provinces, and mints stable new IRIs.
"""

from __future__ import annotations

import pytest

from ctkg.graph.curation.proposal import (
    Candidate,
    CurationError,
    Proposal,
    ProposedFact,
    Resolution,
    SourceInfo,
    load_proposal,
    sha256_text,
    write_proposal,
)
from ctkg.graph.curation.resolver import Resolver

TEXT = "Ngày 24⁄5⁄2019, UBND thành phố Hải Phòng phối hợp với Bộ Công Thương tổ chức Hội nghị."


def _proposal(tmp_path) -> Proposal:
    (tmp_path / "article-x.txt").write_text(TEXT, encoding="utf-8")
    quote = "UBND thành phố Hải Phòng"
    start = TEXT.index(quote)
    org = ProposedFact(
        id="org-ubnd-hai-phong",
        quote=quote,
        start=start,
        end=start + len(quote),
        subject="organization/ubnd-hai-phong",
        rule="org.ubnd",
        confidence=0.9,
        slot="entity",
        type="ProvincialPeoplesCommittee",
        label={"vi": quote},
        props={"jurisdiction": "province/hai-phong"},
        resolution={
            "props.jurisdiction": Resolution(
                "province",
                "Hải Phòng",
                "exact",
                "province/hai-phong",
                (Candidate("province/hai-phong", "Hải Phòng", 100.0),),
                "2019-05-24",
            )
        },
    )
    return Proposal(
        id="x",
        article={
            "id": "x",
            "text": "article-x.txt",
            "headline": "Hội nghị",
            "published": "2019-05-29",
            "language": "vi",
        },
        source=SourceInfo(text="article-x.txt", text_sha256=sha256_text(TEXT)),
        facts=[org],
    )


def test_round_trip_and_facts_document(tmp_path):
    path = write_proposal(_proposal(tmp_path), tmp_path)
    loaded = load_proposal(path)
    fact = loaded.fact("org-ubnd-hai-phong")
    assert fact.resolution["props.jurisdiction"].ref == "province/hai-phong"
    assert TEXT[fact.start : fact.end] == fact.quote
    assert loaded.facts_document()["facts"] == []  # nothing accepted yet
    fact.status = "accepted"
    (entry,) = loaded.facts_document()["facts"]
    assert set(entry) == {"id", "quote", "subject", "type", "label", "props"}


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda s: s.replace("status: proposed", "status: [proposed"), "invalid YAML"),
        (lambda s: s.replace("status: proposed", "status: maybe"), "status must be one of"),
        (lambda s: s.replace("rule: org.ubnd", "rule: org.ubnd\n  colour: red"), "unknown keys"),
        (lambda s: s.replace("start: 16", "start: 17"), "not at [17:"),
    ],
)
def test_bad_edits_are_refused_with_file_and_line(tmp_path, edit, message):
    path = write_proposal(_proposal(tmp_path), tmp_path)
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(CurationError) as err:
        load_proposal(path)
    assert message in str(err.value)
    assert str(path) in str(err.value) and ", line " in str(err.value)


@pytest.fixture(scope="module")
def resolver():
    return Resolver.from_sources()


@pytest.mark.parametrize(
    ("kind", "surface", "ref"),
    [
        ("province", "TP. Hải Phòng", "province/hai-phong"),
        ("province", "tinh Thai Nguyen", "province/thai-nguyen"),
        ("province", "Thanh Hoá", "province/thanh-hoa"),
        (
            "organization",
            "Sở Công Thương thành phố Hải Phòng",
            "organization/so-cong-thuong-hai-phong",
        ),
        ("organization", "Bo Cong thuong", "organization/bo-cong-thuong"),
        ("person", "Dang Hoang An", "person/dang-hoang-an"),
    ],
)
def test_exact_folded_matches_link(resolver, kind, surface, ref):
    res = resolver.resolve(kind, surface, at_date="2019-05-24")
    assert (res.outcome, res.ref) == ("exact", ref)


def test_near_names_are_candidates_never_merged(resolver):
    res = resolver.resolve("person", "Phan Thị Thắm", at_date="2023-07-28")
    assert res.outcome == "candidates"
    assert res.ref == "person/phan-thi-tham"  # a new person, not Phan Thị Thắng
    assert res.candidates[0].ref == "person/phan-thi-thang"
    assert 85 < res.candidates[0].score < 100
    assert res.candidates[0].context == "Thứ trưởng Bộ Công Thương"  # what tells them apart
    typo = resolver.resolve("province", "Quảng Nghãi", at_date="2019-05-24")
    assert typo.outcome == "candidates" and typo.candidates[0].ref == "province/quang-ngai"
    # a known other spelling (aliases.yaml) links: "Bắc Cạn" is Bắc Kạn, "TP.HCM" Hồ Chí Minh
    for surface, ref in (
        ("Bắc Cạn", "province/bac-kan"),
        ("TP.HCM", "province/ho-chi-minh"),
        ("Bà Rịa-Vũng Tàu", "province/ba-ria-vung-tau"),
    ):
        res = resolver.resolve("province", surface, at_date="2019-05-24")
        assert (res.outcome, res.ref) == ("exact", ref)


def test_provinces_by_date_and_new_refs_are_stable(resolver):
    # the 2019 units end with the mergers of 1 July 2025: no silent link to a unit gone by then
    assert resolver.resolve("province", "Hải Dương", at_date="2025-10-17").outcome != "exact"
    assert resolver.resolve("province", "Hải Dương", at_date="2019-05-24").outcome == "exact"
    # the units of 2025 (the gazetteer in time): a merged unit's name links to the new unit,
    # an unchanged unit's to the same entity as in 2019
    for surface, day, ref in (
        ("tỉnh Tuyên Quang", "2025-10-17", "province/tuyen-quang-2025"),
        ("tỉnh Tuyên Quang", "2019-05-24", "province/tuyen-quang"),
        ("Hà Nội", "2025-10-17", "province/ha-noi"),
        ("Thành phố Huế", "2025-10-17", "province/hue-2025"),
    ):
        res = resolver.resolve("province", surface, at_date=day)
        assert (res.outcome, res.ref) == ("exact", ref), (surface, day)
    a = resolver.resolve("person", "Nguyễn Văn Bình", at_date="2019-05-24")
    b = resolver.resolve("person", "Nguyen Van Binh", at_date="2019-05-24")
    assert a.outcome == "new" and a.ref == b.ref == "person/nguyen-van-binh"


def test_a_unit_gone_by_the_date_is_proposed_with_what_it_became(resolver):
    # "Hà Giang" in October 2025: no unit of that name then; never a new province, never a
    # silent link: the 2019 unit and its 2025 successor are the candidates
    res = resolver.resolve("province", "tỉnh Hà Giang", at_date="2025-10-17")
    assert res.outcome == "candidates"
    assert [c.ref for c in res.candidates] == ["province/ha-giang", "province/tuyen-quang-2025"]
    assert resolver.resolve("province", "Atlantis", at_date="2019-05-24").outcome == "new"


@pytest.mark.parametrize(
    ("surface", "day", "outcome", "ref", "gone"),
    [
        # the graph has the 2019 body: it links before the mergers, never after them (the
        # successor body is then named as the graph names it, and the old one is no candidate)
        (
            "Sở Công Thương tỉnh Thái Nguyên",
            "2019-05-24",
            "exact",
            "so-cong-thuong-thai-nguyen",
            None,
        ),
        (
            "Sở Công Thương tỉnh Thái Nguyên",
            "2026-09-19",
            "new",
            "so-cong-thuong-thai-nguyen-2025",
            "so-cong-thuong-thai-nguyen",
        ),
        (
            "Sở Công Thương TP. Hải Phòng",
            "2025-10-17",
            "new",
            "so-cong-thuong-hai-phong-2025",
            "so-cong-thuong-hai-phong",
        ),
        ("Uỷ ban nhân dân tỉnh Lào Cai", "2026-09-19", "new", "ubnd-lao-cai-2025", None),
        ("Sở Tài chính tỉnh Ninh Bình", "2026-01-05", "new", "so-tai-chinh-ninh-binh-2025", None),
        # the successor body the graph has links; the 2019 one is not even a candidate
        ("UBND tỉnh Tuyên Quang", "2025-10-17", "exact", "ubnd-tuyen-quang-2025", None),
        # an unchanged unit keeps its body
        ("Sở Công Thương thành phố Hà Nội", "2025-10-17", "exact", "so-cong-thuong-ha-noi", None),
    ],
)
def test_bodies_follow_the_unit_valid_at_the_date(resolver, surface, day, outcome, ref, gone):
    res = resolver.resolve("organization", surface, at_date=day)
    # new: no entity of the graph is that body (fuzzy candidates of other bodies may be shown)
    assert res.outcome in ({outcome, "candidates"} if outcome == "new" else {outcome}), res
    assert res.ref == f"organization/{ref}"
    if gone:
        assert f"organization/{gone}" in resolver.entities  # the graph does have the old body
        assert f"organization/{gone}" not in {c.ref for c in res.candidates}
    assert resolver.body_ref(surface, at_date=day) == f"organization/{ref}"
    assert resolver.body_ref("Bộ Công Thương", at_date=day) is None


def test_officials_and_organisers_of_a_merged_unit_name_its_successor_bodies(resolver):
    """Extraction end to end: memberships and organisers are built on the bodies of the units
    valid at the article's date (the dev article 2026-09-20-lao-cai)."""
    import datetime as dt
    from pathlib import Path

    from ctkg.graph.curation.extract import extract

    article = Path(__file__).parent / "resources/curation/articles/2026-09-20-lao-cai.txt"
    text = article.read_text(encoding="utf-8")
    facts = extract(text, resolver, published=dt.date(2026, 9, 20)).facts
    subjects = {f.subject for f in facts}
    assert "membership/le-thu-ha--giam-doc--so-cong-thuong-thai-nguyen-2025" in subjects
    assert "membership/do-quang-vinh--pho-chu-tich--ubnd-lao-cai-2025" in subjects
    assert "membership/pham-minh-duc--giam-doc--so-cong-thuong-hai-phong-2025" in subjects
    orgs = next(f for f in facts if f.id == "edition-organisers").props
    assert orgs["coOrganizer"] == "organization/ubnd-lao-cai-2025"
