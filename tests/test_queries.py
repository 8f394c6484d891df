"""Named queries: every ``queries/*.rq`` file run on the real graph with its expected answers,
parameters bound by type (never interpolated), the CLI and the HTTP blueprint."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pyoxigraph as ox
import pytest

from ctkg import cli
from ctkg.config import Settings
from ctkg.graph.store import open_store
from ctkg.queries import catalog
from ctkg.queries.catalog import (
    NamedQuery,
    Param,
    QueryDefinitionError,
    QueryParameterError,
    UnknownQueryError,
    run_named,
)

ROOT = Path(__file__).resolve().parent.parent
GRAPH_DIR = ROOT / "graph"  # articleFile is relative to it
ID = "https://w3id.org/ctkg/id/"
CTKG = "https://w3id.org/ctkg/ontology#"
E2019 = ID + "edition/hoi-nghi-cong-thuong-phia-bac/2019"
E2020 = ID + "edition/hoi-nghi-cong-thuong-phia-bac/2020"
INJECTION = '"} ; DROP ALL ; {"'

# names of the named queries some test below runs with expected answers
COVERED: set[str] = set()


def covers(*names: str):
    """Mark a test as checking the answers of these named queries."""
    COVERED.update(names)
    return lambda func: func


@pytest.fixture(scope="session")
def settings(real_data_dir) -> Settings:
    return Settings.from_env({}, data_dir=str(real_data_dir))


@pytest.fixture(scope="session")
def store(settings) -> ox.Store:
    return open_store(settings)


def run(store, name: str, **params) -> list[dict[str, str]]:
    """The named query's rows, each {variable: lexical value} for the bound variables."""
    result = run_named(store, name, params)
    names = [v.value for v in result.variables]
    return [{n: sol[n].value for n in names if sol[n] is not None} for sol in result]


def terms(store, name: str, **params) -> list[dict[str, ox.NamedNode | ox.Literal]]:
    result = run_named(store, name, params)
    names = [v.value for v in result.variables]
    return [{n: sol[n] for n in names if sol[n] is not None} for sol in result]


def article_text(file_name: str) -> str:
    return unicodedata.normalize("NFC", (GRAPH_DIR / file_name).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- the catalogue


def test_every_query_file_has_a_test():
    names = {q.name for q in catalog.all_queries()}
    assert names, "no named queries found"
    untested = names - COVERED
    assert not untested, f"named queries without a test of their answers: {sorted(untested)}"
    assert not COVERED - names, f"tests name queries that do not exist: {COVERED - names}"


@pytest.mark.parametrize("query", catalog.all_queries(), ids=lambda q: q.name)
def test_every_query_is_well_formed(query: NamedQuery):
    catalog.check(query)  # SPARQL 1.1 syntax on Oxigraph; every parameter variable projected
    assert set(query.title) >= {"vi", "en"} and set(query.description) >= {"vi", "en"}
    assert query.view in catalog.VIEWS
    for p in query.params:
        assert p.description.get("en") and p.description.get("vi"), (query.name, p.name)
    described = query.to_dict()
    assert json.loads(json.dumps(described)) == described


LABEL_LISTS = {"organizers", "directedBy", "addressedTo", "mentionedAreas"}


@pytest.mark.parametrize(
    "query",
    [q for q in catalog.all_queries() if any(p.name == "lang" for p in q.params)],
    ids=lambda q: q.name,
)
def test_lang_parameter_selects_the_labels(store, query: NamedQuery):
    """With lang=en no label in the answer is Vietnamese (and the reverse): every named query
    that has a lang parameter."""
    required = {"subject": E2019, "text": "Hai Phong"}
    params = {p.name: required[p.name] for p in query.params if p.required}
    for lang, other in (("en", "vi"), ("vi", "en")):
        found = terms(store, query.name, **params, lang=lang)
        assert found, f"{query.name} returns nothing with its defaults"
        tagged = [
            (k, t.value)
            for row in found
            for k, t in row.items()
            if isinstance(t, ox.Literal)
            and t.language == other
            and (k.lower().endswith("label") or k in LABEL_LISTS)
            and k != "matchedLabel"  # find-entity: the label that matched, in any language
        ]
        assert not tagged, tagged[:3]


# --------------------------------------------------------------------------- the answers


@covers("series-editions")
def test_who_hosted_which_edition(store):
    rows = run(store, "series-editions")
    assert [r["year"] for r in rows] == [
        "2014",
        "2016",
        "2018",
        "2019",
        "2020",
        "2022",
        "2023",
        "2024",
        "2025",
    ]
    by_year = {r["year"]: r for r in rows}
    e19 = by_year["2019"]
    assert e19["ordinal"] == "6" and e19["date"] == "2019-05-24"
    assert e19["hostProvinceLabel"] == "Hải Phòng" and e19["heldIn"] == ID + "province/hai-phong"
    assert e19["status"] == CTKG + "held" and e19["statusLabel"] == "đã tổ chức"
    assert set(e19["organizers"].split("; ")) == {"UBND thành phố Hải Phòng", "Bộ Công Thương"}
    assert e19["directedBy"] == "Đặng Hoàng An"
    e20 = by_year["2020"]
    assert e20["ordinal"] == "7" and e20["status"] == CTKG + "designated"
    assert e20["hostProvinceLabel"] == "Thái Nguyên"
    assert e20["hostOrganizationLabel"] == "Sở Công Thương tỉnh Thái Nguyên"
    assert "heldIn" not in e20 and "date" not in e20 and "organizers" not in e20
    assert "ordinal" not in by_year["2014"] and "hostProvince" not in by_year["2014"]
    # the 2025 edition: in the Tuyên Quang formed in 2025 (no ISO code known), its own title
    e25 = by_year["2025"]
    assert e25["heldIn"] == ID + "province/tuyen-quang-2025" and "hostIso" not in e25
    assert e25["editionLabel"] == "Hội nghị ngành Công Thương các tỉnh, thành phố phía Bắc năm 2025"
    assert "UBND tỉnh Tuyên Quang" in e25["organizers"].split("; ")
    assert (e20["statusAsOf"], e19["statusAsOf"]) == ("2019-05-24", "2019-05-24")
    assert by_year["2019"]["hostIso"] == "VN-HP"
    en = {r["year"]: r for r in run(store, "series-editions", lang="en")}
    assert en["2019"]["hostProvinceLabel"] == "Hai Phong"
    assert en["2019"]["editionLabel"].startswith("6th Industry and Trade Conference")
    assert not run(store, "series-editions", series=ID + "series/no-such-series")


@covers("units-as-of")
def test_units_as_of_a_date(store):
    """63 units until NQ 202/2025/QH15 took effect (2025-06-12), 34 from that day."""
    assert len(run(store, "units-as-of", date="2019-05-24")) == 63
    assert len(run(store, "units-as-of", date="2025-06-11")) == 63
    rows = run(store, "units-as-of")  # default: 2025-10-17
    assert len(rows) == 34
    by_iri = {r["unit"]: r for r in rows}
    tq = by_iri[ID + "province/tuyen-quang-2025"]
    assert (tq["unitLabel"], tq["code"], tq["validFrom"]) == ("Tuyên Quang", "08", "2025-06-12")
    assert sorted(tq["formedFrom"].split(", ")) == ["Hà Giang", "Tuyên Quang"]
    hanoi = by_iri[ID + "province/ha-noi"]  # unchanged: the same entity as in 2019
    assert "validFrom" not in hanoi and "formedFrom" not in hanoi
    assert by_iri[ID + "province/hue-2025"]["validFrom"] == "2025-01-01"
    assert ID + "province/hai-phong" not in by_iri and ID + "province/hai-phong-2025" in by_iri


@covers("unit-as-of")
def test_what_a_unit_became(store):
    rows = run(store, "unit-as-of")  # default: Hải Dương on 2025-10-17
    assert [(r["asOf"], r["actId"], r["validFrom"]) for r in rows] == [
        (ID + "province/hai-phong-2025", "202/2025/QH15", "2025-06-12")
    ]
    same = run(store, "unit-as-of", unit="id:province/ha-noi", date="2025-10-17")
    assert [r["asOf"] for r in same] == [ID + "province/ha-noi"] and "act" not in same[0]
    hue = run(store, "unit-as-of", unit="id:province/thua-thien-hue", date="2025-03-01", lang="en")
    assert [(r["asOfLabel"], r["actId"]) for r in hue] == [("Hue", "175/2024/QH15")]
    assert [r["asOf"] for r in run(store, "unit-as-of", date="2019-05-24")] == [
        ID + "province/hai-duong"
    ]
    assert not run(store, "unit-as-of", unit="id:province/hai-phong-2025", date="2019-05-24")


@covers("edition-status-as-of")
def test_edition_status_as_of_a_date(store):
    rows = run(store, "edition-status-as-of", lang="en")  # default: 2019-06-01
    assert [(r["year"], r["statusLabel"], r["asOf"]) for r in rows] == [
        ("2016", "held", "2016-09-06"),
        ("2018", "held", "2018-08-02"),
        ("2019", "held", "2019-05-24"),
        ("2020", "designated", "2019-05-24"),
    ]
    before = run(store, "edition-status-as-of", date="2019-05-23")
    assert [r["year"] for r in before] == ["2016", "2018"]
    later = {r["year"]: r["status"] for r in run(store, "edition-status-as-of", date="2025-12-31")}
    assert later["2020"] == CTKG + "designated" and later["2025"] == CTKG + "held"


@covers("province-editions")
def test_editions_a_province_hosted_or_will_host(store):
    rows = run(store, "province-editions")  # default: Hải Phòng
    assert [(r["year"], r["ordinal"], r["held"], r["statusLabel"]) for r in rows] == [
        ("2019", "6", "true", "đã tổ chức")
    ]
    rows = run(store, "province-editions", province="id:province/thai-nguyen", lang="en")
    assert [(r["year"], r["held"], r["statusLabel"]) for r in rows] == [
        ("2020", "false", "designated")
    ]
    assert "date" not in rows[0]
    assert [
        r["year"] for r in run(store, "province-editions", province=ID + "province/ha-noi")
    ] == ["2024"]
    assert not run(store, "province-editions", province="id:province/ha-giang")


@covers("edition-attendees")
def test_who_attended_an_edition(store):
    rows = run(store, "edition-attendees")  # default: 2019
    people = [r for r in rows if r["kind"] == CTKG + "Person"]
    assert [
        (r["attendeeLabel"], r["roleLabel"], r["organizationLabel"], r["directed"]) for r in people
    ] == [("Đặng Hoàng An", "Thứ trưởng", "Bộ Công Thương", "true")]
    groups = {r["attendeeLabel"] for r in rows if r["kind"] == CTKG + "ParticipantGroup"}
    assert groups == {
        "Lãnh đạo các đơn vị trực thuộc Bộ Công Thương",
        "Lãnh đạo UBND và Sở Công Thương 28 tỉnh, thành phố khu vực phía Bắc",
    }
    assert rows[0]["attendeeLabel"] == "Đặng Hoàng An", "the directing official comes first"
    rows = run(
        store,
        "edition-attendees",
        edition="id:edition/hoi-nghi-cong-thuong-phia-bac/2025",
        lang="en",
    )
    assert [(r["attendeeLabel"], r["roleLabel"]) for r in rows] == [
        ("Nguyen Hong Dien", "Minister")
    ]
    assert not run(store, "edition-attendees", edition=E2020)


@covers("indicator-observations")
def test_indicators_by_region_period_and_edition(store):
    rows = run(store, "indicator-observations")
    assert len(rows) == 5
    assert {r["unitLabel"] for r in rows} == {"phần trăm"}
    assert {r["edition"] for r in rows} == {E2019}
    rows = run(
        store,
        "indicator-observations",
        region="id:region/northern-28",
        period="id:period/2018",
        lang="en",
    )
    assert {r["indicatorLabel"]: r["value"] for r in rows} == {
        "Export turnover": "18.2",
        "Industrial production value": "14.9",
        "Total retail sales of goods and services revenue": "11.8",
    }
    assert {r["periodLabel"] for r in rows} == {"2018"}
    assert {(r["periodStart"], r["periodEnd"]) for r in rows} == {("2018-01-01", "2018-12-31")}
    rows = run(
        store, "indicator-observations", indicator="id:indicator/industrial-production-value"
    )
    assert [(r["periodLabel"], r["value"]) for r in rows] == [
        ("Năm 2018", "14.9"),
        ("4 tháng đầu năm 2019", "9.7"),
    ]
    assert not run(store, "indicator-observations", edition=E2020)
    assert not run(store, "indicator-observations", region="id:province/hai-phong")


@covers("indicator-ranking")
def test_fastest_growing_indicator(store):
    rows = run(store, "indicator-ranking")  # default: 2018
    assert rows[0]["indicator"] == ID + "indicator/export-turnover"
    assert rows[0]["indicatorLabel"] == "Kim ngạch xuất khẩu" and rows[0]["value"] == "18.2"
    assert [r["value"] for r in rows] == ["18.2", "14.9", "11.8"]
    rows = run(store, "indicator-ranking", year="2019", lang="en")
    assert [(r["indicatorLabel"], r["value"], r["periodLabel"]) for r in rows] == [
        ("Total retail sales of goods and services revenue", "13", "January–April 2019"),
        ("Industrial production value", "9.7", "January–April 2019"),
    ]
    assert not run(store, "indicator-ranking", year="2017")
    assert not run(store, "indicator-ranking", region="id:region/southeast")


LEADING = {
    "Hải Phòng",
    "Hà Nội",
    "Quảng Ninh",
    "Vĩnh Phúc",
    "Hải Dương",
    "Thái Nguyên",
    "Bắc Ninh",
    "Hà Tĩnh",
}


@covers("region-provinces")
def test_provinces_of_a_region(store):
    rows = run(store, "region-provinces")  # default: the 28 northern provinces
    assert len(rows) == 28 and len({r["province"] for r in rows}) == 28
    assert {r["provinceLabel"] for r in rows if r["leading"] == "true"} == LEADING
    assert {r["leadingAt"] for r in rows if r["leading"] == "true"} == {"2019"}
    assert all("leadingAt" not in r for r in rows if r["leading"] == "false")
    by_name = {r["provinceLabel"]: r for r in rows}
    assert by_name["Hải Phòng"]["kind"] == CTKG + "CentrallyGovernedCity"
    assert by_name["Hải Phòng"]["iso"] == "VN-HP" and by_name["Hà Nội"]["gsoCode"] == "01"
    assert by_name["Thanh Hóa"]["subRegion"] == ID + "region/northern-28-north-central"
    assert by_name["Lào Cai"]["subRegionLabel"] == "Trung du và miền núi phía Bắc"
    assert [r["gsoCode"] for r in rows] == sorted(r["gsoCode"] for r in rows)
    delta = run(store, "region-provinces", region="id:region/red-river-delta", lang="en")
    assert len(delta) == 11 and all("subRegion" not in r for r in delta)
    assert {r["provinceLabel"] for r in delta if r["leading"] == "true"} == {
        "Hai Phong",
        "Ha Noi",
        "Quang Ninh",
        "Vinh Phuc",
        "Hai Duong",
        "Bac Ninh",
    }
    assert len(run(store, "region-provinces", region="id:region/mekong-river-delta")) == 13


@covers("fact-sources")
def test_the_quote_behind_a_fact(store):
    for predicate in ("ctkg:startDate", "ctkg:organizer"):
        rows = run(store, "fact-sources", subject=E2019, predicate=predicate)
        quoted = [r for r in rows if "quote" in r]
        assert quoted, predicate
        for r in quoted:
            assert "24⁄5⁄2019" in r["quote"]
            assert r["source"] == ID + "article/2019-05-29-hai-phong"
            assert r["sourceKind"] == CTKG + "NewsArticle"
            assert r["published"] == "2019-05-29"
            assert r["headline"].startswith("Hội nghị ngành Công Thương 28 tỉnh")
            text = article_text(r["articleFile"])
            assert text[int(r["startOffset"]) : int(r["endOffset"])] == r["quote"]
        # the series table's statement of the same fact: the table and the seed article, with a
        # confidence; not the preparation article of April (it supports only the planned venue)
        table = [r for r in rows if r["graph"].endswith("/graph/source/series-editions")]
        assert table and {r["confidenceLabel"] for r in table} == {"cao"}
        assert {r["sourceKind"] for r in table} == {CTKG + "SourceDataset", CTKG + "NewsArticle"}

    held_in = run(store, "fact-sources", subject=E2019, predicate="ctkg:heldIn", lang="en")
    assert {r["object"] for r in held_in} == {ID + "province/hai-phong"}
    quotes = {r["quote"] for r in held_in if "quote" in r}
    assert quotes == {
        "Hội nghị ngành Công Thương 28 tỉnh, thành phố khu vực phía Bắc lần thứ VI năm 2019 "
        "tại tỉnh Hải Phòng"
    }
    assert {r["confidenceLabel"] for r in held_in if "confidence" in r} == {"high"}
    assert {r["predicateLabel"] for r in held_in} == {"held in"}

    everything = run(store, "fact-sources", subject=E2019)
    assert len({r["predicate"] for r in everything}) >= 15
    for r in everything:
        if "quote" in r:
            text = article_text(r["articleFile"])
            assert text[int(r["startOffset"]) : int(r["endOffset"])] == r["quote"]
    # a designated edition: the hand-over quote, and nothing dated
    e2020 = run(store, "fact-sources", subject=E2020)
    assert not {r["predicate"] for r in e2020} & {CTKG + "startDate", CTKG + "heldIn"}
    assert any("Thái Nguyên" in r.get("quote", "") for r in e2020)


@covers("person-posts")
def test_people_and_their_posts_over_time(store):
    rows = run(store, "person-posts", person="id:person/dang-hoang-an")
    assert [(r["year"], r["roleLabel"], r["organizationLabel"]) for r in rows] == [
        ("2018", "Thứ trưởng", "Bộ Công Thương"),
        ("2019", "Thứ trưởng", "Bộ Công Thương"),
        ("2022", "Thứ trưởng", "Bộ Công Thương"),
    ]
    everyone = run(store, "person-posts", lang="en")
    assert len(everyone) == 8
    assert [r["year"] for r in everyone] == sorted(r["year"] for r in everyone)
    posts = {(r["personLabel"], r["roleLabel"], r["organizationLabel"]) for r in everyone}
    assert ("Nguyen Hong Dien", "Minister", "Ministry of Industry and Trade") in posts
    assert (
        "Nguyen Ngoc Thach",
        "Vice Chairperson",
        "Ninh Binh Provincial People's Committee",
    ) in posts
    assert not run(store, "person-posts", person="id:person/tran-thu")  # the author holds no post


@covers("edition-limitations")
def test_limitations_of_an_edition(store):
    rows = run(store, "edition-limitations")
    assert len(rows) == 7
    assert rows[0]["limitationLabel"] == (
        "Chuyển dịch cơ cấu ở một số lĩnh vực công nghiệp chưa thực sự bền vững"
    )
    assert rows[2]["limitationLabel"] == "Quy hoạch phát triển cụm công nghiệp còn chậm"
    assert {r["reportLabel"] for r in rows} == {"Báo cáo tại Hội nghị"}
    assert not run(store, "edition-limitations", edition=E2020)


@covers("edition-tasks")
def test_tasks_of_an_edition(store):
    rows = run(store, "edition-tasks")
    assert len(rows) == 9
    assert {r["numberOfTaskGroups"] for r in rows} == {"19"}
    assert {r["periodLabel"] for r in rows} == {"Các tháng còn lại năm 2019"}
    assert rows[7]["taskLabel"].startswith("Đẩy mạnh công tác tuyên truyền")  # label corrects
    en = run(store, "edition-tasks", lang="en")
    assert en[0]["taskLabel"].startswith("Continue to implement effectively")
    assert not run(store, "edition-tasks", edition=E2020)


@covers("edition-directions")
def test_directions_at_an_edition(store):
    rows = run(store, "edition-directions")
    assert len(rows) == 7
    assert {r["speakerLabel"] for r in rows} == {"Đặng Hoàng An"}
    assert rows[0]["addressedTo"] == "Sở Công Thương của 28 tỉnh, thành phố"
    assert {"Hà Nội", "Hải Phòng", "Quảng Ninh"} <= set(rows[1]["mentionedAreas"].split("; "))
    assert not run(store, "edition-directions", edition=E2020)


@covers("designated-hosts")
def test_who_hosts_next(store):
    rows = run(store, "designated-hosts")
    assert len(rows) == 1
    r = rows[0]
    assert (r["year"], r["ordinal"], r["hostProvinceLabel"]) == ("2020", "7", "Thái Nguyên")
    assert r["hostOrganizationLabel"] == "Sở Công Thương tỉnh Thái Nguyên"
    assert r["handoverFromLabel"] == "Sở Công Thương Hải Phòng"
    assert (r["handoverAt"], r["handoverAtYear"]) == (E2019, "2019")
    assert r["laterEditionHeld"] == "true", "2022–2025 were held after the 2020 designation"


@covers("find-entity")
def test_find_entity(store):
    rows = run(store, "find-entity", text="hải phòng")
    assert rows[0]["entity"] == ID + "province/hai-phong"
    assert ID + "organization/so-cong-thuong-hai-phong" in {r["entity"] for r in rows}
    rows = run(store, "find-entity", text="HAI PHONG", lang="en")
    assert rows[0]["label"] == "Hai Phong" and "CentrallyGovernedCity" in rows[0]["types"]
    rows = run(store, "find-entity", text="Đặng Hoàng")
    assert rows[0]["entity"] == ID + "person/dang-hoang-an" and rows[0]["types"] == "Person"
    assert {r["entity"] for r in rows[1:]} == {
        ID + "membership/dang-hoang-an--thu-truong--bo-cong-thuong",
        ID + "edition/hoi-nghi-cong-thuong-phia-bac/2019/speech/dang-hoang-an",
    }


# --------------------------------------------------------------------------- binding safely


def test_injection_is_bound_as_a_literal_and_changes_nothing(store, monkeypatch):
    query = catalog.get("find-entity")
    before = len(store)
    seen = []
    real_execute = catalog.execute

    def spy(store_, text, substitutions):
        seen.append((text, substitutions))
        return real_execute(store_, text, substitutions)

    monkeypatch.setattr(catalog, "execute", spy)
    rows = terms(store, "find-entity", text=INJECTION)
    assert rows == []  # looked for as text, found nowhere
    ((text, substitutions),) = seen
    assert text == query.text, "the query text is the file's, untouched"
    assert substitutions[ox.Variable("text")] == ox.Literal(INJECTION)
    assert len(store) == before
    # bound as exactly that value: a label containing it would be found
    rows = terms(store, "find-entity", text="Hải Phòng")
    assert rows and rows[0]["text"] == ox.Literal("Hải Phòng")


@pytest.mark.parametrize(
    ("name", "param", "value"),
    [
        ("province-editions", "province", INJECTION),
        ("province-editions", "province", 'urn:x"} ; DROP ALL ; {"'),
        ("province-editions", "province", "https://w3id.org/ctkg/id/x> } ; DROP ALL ; {<"),
        ("fact-sources", "subject", "<https://w3id.org/ctkg/id/x>"),
        ("series-editions", "lang", 'vi") || true || ("'),
        ("indicator-ranking", "year", '2018") } DROP ALL { ("'),
    ],
)
def test_injection_into_typed_parameters_is_rejected(store, name, param, value):
    before = len(store)
    with pytest.raises(QueryParameterError, match=param):
        run_named(store, name, {param: value})
    assert len(store) == before


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("indicator-ranking", {"year": "20x8"}, "not a year"),
        ("indicator-ranking", {"year": "2018-01-01"}, "not a year"),
        ("series-editions", {"series": "hoi-nghi"}, "not an IRI"),
        ("series-editions", {"series": "nope:x"}, "unknown prefix 'nope'"),
        ("series-editions", {"lang": "not a tag"}, "not a language tag"),
        ("series-editions", {"colour": "red"}, "unknown parameter 'colour'"),
        ("fact-sources", {}, "'subject' (iri) is required"),
        ("fact-sources", {"subject": ""}, "is required"),
        ("find-entity", {"text": "x" * 3000}, "longer than"),
    ],
)
def test_bad_parameter_values(store, name, params, message):
    with pytest.raises(QueryParameterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run_named(store, name, params)


def test_unknown_query(store):
    with pytest.raises(UnknownQueryError, match=r"unknown named query 'who-won'.*series-editions"):
        run_named(store, "who-won", {})


@pytest.mark.parametrize(
    ("type_", "value", "expected"),
    [
        ("iri", "id:province/hai-phong", ox.NamedNode(ID + "province/hai-phong")),
        ("iri", "ctkg:heldIn", ox.NamedNode(CTKG + "heldIn")),
        ("iri", "urn:isbn:123", ox.NamedNode("urn:isbn:123")),
        ("string", ' "quoted" ', ox.Literal(' "quoted" ')),
        ("lang-string", "Hải Phòng@vi", ox.Literal("Hải Phòng", language="vi")),
        ("lang", "EN", ox.Literal("en")),
        ("integer", "-42", ox.Literal("-42", datatype=ox.NamedNode(catalog.XSD + "integer"))),
        ("integer", 7, ox.Literal("7", datatype=ox.NamedNode(catalog.XSD + "integer"))),
        ("decimal", "14.9", ox.Literal("14.9", datatype=ox.NamedNode(catalog.XSD + "decimal"))),
        (
            "date",
            "2019-05-24",
            ox.Literal("2019-05-24", datatype=ox.NamedNode(catalog.XSD + "date")),
        ),
        ("year", "2019", ox.Literal("2019", datatype=ox.NamedNode(catalog.XSD + "gYear"))),
        ("iri", ox.NamedNode("http://example.org/x"), ox.NamedNode("http://example.org/x")),
    ],
)
def test_parameter_types_parse(type_, value, expected):
    assert Param("p", type_).term(value) == expected


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        ("iri", "a b"),
        ("iri", "http://example.org/a b"),
        ("lang-string", "no tag"),
        ("lang-string", "text@not a tag"),
        ("integer", "1.5"),
        ("integer", "1e3"),
        ("decimal", "14,9"),
        ("decimal", "NaN"),
        ("date", "2019-02-30"),
        ("date", "24/5/2019"),
        ("year", "19"),
        ("iri", ox.Literal("http://example.org/x")),
        ("year", ox.Literal("2019")),
        ("string", True),
    ],
)
def test_parameter_types_reject(type_, value):
    with pytest.raises(QueryParameterError, match="parameter 'p'"):
        Param("p", type_).term(value)


HEADER = """\
# name: sample
# title@vi: Mẫu
# title@en: Sample
# description@vi: Một truy vấn mẫu
# description@en: A sample query
#   that goes on
# param: x iri default=id:province/hai-phong — a place
# param@vi: x — một nơi
# view: map

SELECT ?x WHERE { ?x ?p ?o }
"""


def test_header_format(tmp_path):
    path = tmp_path / "sample.rq"
    path.write_text(HEADER, encoding="utf-8")
    q = catalog.parse(path)
    assert q.title == {"vi": "Mẫu", "en": "Sample"}
    assert q.description["en"] == "A sample query that goes on"
    assert q.params == (
        Param("x", "iri", "id:province/hai-phong", False, {"en": "a place", "vi": "một nơi"}),
    )
    assert q.view == "map"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("# name: sample", "# name: other"), "'# name: sample' expected"),
        (("# title@vi: Mẫu\n", ""), "title@vi and description@vi needed"),
        (("x iri default", "x colour default"), "type 'colour' not one of"),
        (("default=id:province/hai-phong", "default=nope:x"), "bad default"),
        (("# view: map", "# view: pie"), "view 'pie' not one of"),
        (("# view: map", "# veiw: map"), "unknown header key 'veiw'"),
        (("# view: map", "# just a comment"), "header line not understood"),
        (("SELECT ?x WHERE { ?x ?p ?o }", "SELECT ?y WHERE { ?y ?p ?o }"), "has no ?x"),
        (("# param@vi: x", "# param@vi: y"), "param@vi for undeclared 'y'"),
    ],
)
def test_header_errors(tmp_path, change, message):
    path = tmp_path / "sample.rq"
    path.write_text(HEADER.replace(*change), encoding="utf-8")
    with pytest.raises(QueryDefinitionError, match=message.replace("?", r"\?")):
        catalog.parse(path)


def test_check_finds_an_unprojected_parameter(tmp_path):
    path = tmp_path / "sample.rq"
    path.write_text(
        HEADER.replace("SELECT ?x WHERE { ?x", "SELECT ?p WHERE { ?x"), encoding="utf-8"
    )
    with pytest.raises(RuntimeError, match="projection"):
        catalog.check(catalog.parse(path))


def test_another_base_iri(built_graph):
    """Queries and IRI parameters follow CTKG_BASE_IRI."""
    base = "http://example.org/kg/"
    other = Settings.from_env({}, data_dir=str(built_graph(base)), base_iri=base)
    store = open_store(other)
    result = run_named(
        store, "province-editions", {"province": "id:province/thai-nguyen"}, base_iri=base
    )
    rows = [sol["edition"].value for sol in result]
    assert rows == [base + "id/edition/hoi-nghi-cong-thuong-phia-bac/2020"]


# --------------------------------------------------------------------------- the CLI


def test_cli_run(settings, capsys):
    code = cli.main(
        [
            "--data-dir",
            settings.data_dir,
            "run",
            "province-editions",
            "--province",
            "id:province/thai-nguyen",
            "--format",
            "csv",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    header, row = out.splitlines()[:2]
    assert header.startswith("province,provinceLabel,edition")
    assert "Thái Nguyên" in row and ",2020," in row

    code = cli.main(
        [
            "--data-dir",
            settings.data_dir,
            "run",
            "indicator-ranking",
            "--param",
            "year=2018",
            "--lang=en",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[2].startswith("id:indicator/export-turnover")
    assert "18.2" in out.splitlines()[2] and "(3 rows)" in out

    code = cli.main(
        ["--data-dir", settings.data_dir, "run", "region-provinces", "--format", "json"]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and len(data["results"]["bindings"]) == 28


def test_cli_lists_and_describes(settings, capsys):
    assert cli.main(["--data-dir", settings.data_dir, "queries"]) == 0
    out = capsys.readouterr().out
    for q in catalog.all_queries():
        assert f"{q.name}  " in out and q.title["en"] in out
    assert cli.main(["queries", "fact-sources", "--lang", "vi"]) == 0
    out = capsys.readouterr().out
    assert "--subject (iri, required)" in out and "Nguồn và trích dẫn" in out
    assert cli.main(["--data-dir", settings.data_dir, "run", "fact-sources", "--help"]) == 0
    assert "--predicate (iri, optional)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["run", "province-editions", "--province", INJECTION], 2, "parameter 'province' (iri)"),
        (["run", "fact-sources"], 2, "parameter 'subject' (iri) is required"),
        (["run", "series-editions", "--colour", "red"], 2, "unknown parameter 'colour'"),
        (["run", "series-editions", "--format", "yaml"], 2, "--format must be one of"),
        (["run", "series-editions", "--lang"], 2, "--lang needs a value"),
        (["run", "series-editions", "stray"], 2, "unexpected argument 'stray'"),
        (["run", "who-won"], 2, "unknown named query 'who-won'"),
    ],
)
def test_cli_errors_are_one_line(settings, capsys, args, code, message):
    assert cli.main(["--data-dir", settings.data_dir, *args]) == code
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith("ctkg run: error:")


# --------------------------------------------------------------------------- HTTP


@pytest.fixture(scope="module")
def client(settings):
    from ctkg.server.app import create_app

    return create_app(settings).test_client()


def test_http_catalogue(client):
    response = client.get("/api/queries")
    assert response.status_code == 200
    listed = {q["name"]: q for q in response.get_json()}
    assert set(listed) == {q.name for q in catalog.all_queries()}
    region = listed["region-provinces"]
    assert region["title"]["vi"] == "Các tỉnh, thành phố của một vùng" and region["view"] == "map"
    assert region["params"][0] == {
        "name": "region",
        "type": "iri",
        "default": "id:region/northern-28",
        "required": False,
        "description": {"en": "the region", "vi": "vùng"},
    }
    assert region["url"] == "/api/queries/region-provinces"
    assert "SELECT" in region["sparql"]


def test_http_results(client):
    response = client.get("/api/queries/province-editions?province=id:province/thai-nguyen")
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    (row,) = response.get_json()["results"]["bindings"]
    assert row["year"]["value"] == "2020" and row["provinceLabel"]["value"] == "Thái Nguyên"

    response = client.get("/api/queries/indicator-ranking?year=2018&format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert (
        response.get_data(as_text=True)
        .splitlines()[1]
        .startswith(ID + "indicator/export-turnover,Kim ngạch xuất khẩu,18.2")
    )
    response = client.get(
        "/api/queries/series-editions", headers={"Accept": "text/tab-separated-values"}
    )
    assert response.status_code == 200 and response.mimetype == "text/tab-separated-values"
    response = client.get(
        "/api/queries/series-editions", headers={"Accept": "application/sparql-results+xml"}
    )
    assert response.status_code == 200 and b"<sparql" in response.data


@pytest.mark.parametrize(
    ("url", "headers", "status", "message"),
    [
        ("/api/queries/who-won", {}, 404, "unknown named query 'who-won'"),
        ("/api/queries/fact-sources", {}, 400, "'subject' (iri) is required"),
        (
            "/api/queries/province-editions?province=%22%7D%20;%20DROP%20ALL%20;%20%7B%22",
            {},
            400,
            "parameter 'province' (iri)",
        ),
        ("/api/queries/indicator-ranking?year=20x8", {}, 400, "not a year"),
        ("/api/queries/series-editions?colour=red", {}, 400, "unknown parameter 'colour'"),
        ("/api/queries/series-editions?lang=vi&lang=en", {}, 400, "given 2 times"),
        ("/api/queries/series-editions", {"Accept": "image/png"}, 406, "offered"),
    ],
)
def test_http_errors(client, url, headers, status, message):
    response = client.get(url, headers=headers)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert message in response.get_json()["message"]
