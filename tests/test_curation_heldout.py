"""The held-out sets of curation test articles (tests/resources/curation/heldout-2/ to -9/).

Each set was written by someone who had not read the extraction rules, so its scores say how the
rules do on text they were not fitted to. Nothing here asserts a score (the floors a set keeps
after its one scoring are in test_curation_extract.py): a set is scored with
`ctkg eval-extract tests/resources/curation/heldout-N/articles.yaml` and its figures reported.
What is checked is that the gold is right to score against:
- every quote (and headline) is verbatim in the text the evaluator reads — for the HTML page the
  main text trafilatura extracts —, at the offsets its occurrence gives;
- every non-empty gold file loads with the build's own fact reader (known classes, properties,
  entity kinds and provinces);
- the IRIs follow the curated layout's conventions: membership, observation, edition, designation
  and participant-group IRIs are made from the fact's own values; provinces are units valid on the
  article's date (2019 names before the 2025 mergers, the 34 units after 1 July 2025); a UBND's or
  Sở's IRI and jurisdiction name the same unit;
- each set is disjoint from the development set and the other held-out sets, and scores as
  held-out data through the real CLI (a set still BLIND is kept out of that one test: its writer
  may not run the extractor on it, and the lead scores it once, after the rules are frozen).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ctkg.graph.curation.evaluate import _locate, load_manifest
from ctkg.graph.curation.source import read_article
from ctkg.graph.gazetteer import units_on
from ctkg.iris import slugify

ROOT = Path(__file__).resolve().parent.parent
CURATION = ROOT / "tests" / "resources" / "curation"
# per set: its article of another genre, and words of the saved HTML page's boilerplate that the
# main-text extraction must drop
SETS = {
    "heldout-2": ("2024-03-15-gia-thep", ("Tin liên quan", "Kon Tum", "Trang chủ")),
    "heldout-3": ("2025-12-06-dien-gia", ("Đọc nhiều", "Bình Dương", "Phú Yên")),
    "heldout-4": ("2024-11-02-ca-phe", ("Tin cùng chuyên mục", "Phú Yên", "Đắk Lắk", "Trang chủ")),
    "heldout-5": (
        "2025-03-20-thuong-mai-dien-tu",
        ("Bài viết liên quan", "Gia Lai", "Tây Nguyên", "Trang chủ"),
    ),
    "heldout-6": ("2026-05-28-cung-ung-dien", ("Tin khác", "Sơn La", "Tây Bắc", "Trang chủ")),
    "heldout-7": (
        "2026-02-12-quan-ly-thi-truong",
        ("Xem thêm", "Kon Tum", "Yên Bái", "Trang chủ"),
    ),
    "heldout-8": ("2024-06-14-khuyen-cong", ("Tin mới", "Bắc Giang", "Quảng Ninh", "Trang chủ")),
    "heldout-9": ("2025-11-07-binh-on-gia", ()),  # plain texts only: no saved page
    "heldout-10": ("2021-06-05-vai-thieu", ("Tin đã đưa", "Vĩnh Phúc", "Bắc Ninh", "Trang chủ")),
    "heldout-11": ("2028-03-18-xang-dau", ("Tin nổi bật", "Lào Cai", "Quảng Ninh", "Trang chủ")),
    "heldout-12": (
        "2024-09-07-thuy-san",
        ("Tin cùng chủ đề", "Mộc Châu", "Multimedia", "Trang chủ"),
    ),
    "heldout-13": ("2026-10-31-sau-rieng", ("Tin xem nhiều", "Quy Nhơn", "Trang chủ")),
}
SETS["heldout-14"] = (  # gold14 (session 7)
    "2026-03-14-kiem-tra-cum-cong-nghiep",
    ("Tin mới nhất", "Bình Dương", "Sơ đồ trang", "Trang chủ"),
)
SETS["heldout-15"] = (  # gold15 (session 8)
    "2027-03-20-tap-huan-hoa-chat",
    ("Tin cùng sự kiện", "Phú Yên", "Bản quyền thuộc", "Trang chủ"),
)
SETS["heldout-16"] = (  # gold16 (session 8)
    "2031-03-07-hang-viet-vung-cao",
    ("Thông tin cần biết", "Quảng Nam", "Lịch công tác", "Trang chủ"),
)
SETS["heldout-17"] = (  # gold17 (session 8)
    "2029-04-12-khuyen-cong-ha-tinh",
    ("Tin liên quan", "Hà Giang", "Liên kết website", "Trang chủ"),
)
SETS["heldout-18"] = ("2030-03-05-an-toan-thuc-pham-lai-chau", ())  # gold18: plain texts only
# the fifth to ninth sets were written in shorter slots (five, six, six, six and five articles);
# the earlier sets have at least seven
MIN_ARTICLES = {"heldout-5": 5, "heldout-6": 6, "heldout-7": 6, "heldout-8": 6, "heldout-9": 5}
MIN_ARTICLES["heldout-10"] = 6  # gold10 (session 7), written in a short slot too
MIN_ARTICLES["heldout-11"] = 6  # gold11 (session 7): six articles, one a saved page
MIN_ARTICLES["heldout-12"] = 6  # gold12 (session 7): six articles, one a saved page
MIN_ARTICLES["heldout-14"] = 6  # gold14 (session 7): six articles, one a saved page
MIN_ARTICLES["heldout-13"] = 6  # gold13 (session 7): six articles, one a saved page
MIN_ARTICLES["heldout-15"] = 6  # gold15 (session 8): six articles, one a saved page
MIN_ARTICLES["heldout-16"] = 6  # gold16 (session 8): six articles, one a saved page
MIN_ARTICLES["heldout-17"] = 4  # gold17 (session 8): four articles (a short slot), one a saved page
MIN_ARTICLES["heldout-18"] = 3  # gold18 (session 8): three plain texts (a short slot)
# sets not yet scored: nobody runs the extractor on them until the lead scores them once with the
# rules frozen (then the set leaves this list and its CLI test runs like the others')
# heldout-4 scored 10:19, heldout-5 10:36 UTC on 2026-12-03
# heldout-6 and heldout-7 scored 13:25, heldout-8 13:46 UTC on 2026-12-03; heldout-9 not yet
BLIND: set[str] = set()  # heldout-9 scored 13:53 UTC on 2026-12-03
# heldout-18 scored 20:07 UTC on 2026-12-03 (rules at c5389cf)
# heldout-17 scored 19:28 UTC on 2026-12-03 (rules at c5389cf)
# heldout-10, heldout-11 and heldout-12 scored 16:10 UTC on 2026-12-03 (rules at 60f5e46)
# heldout-13 and heldout-14 scored 16:35 UTC on 2026-12-03 (rules at 879bd67)
# heldout-15 and heldout-16 scored 19:05 UTC on 2026-12-03 (rules at 4153057)
ITEMS = [
    {**item, "heldout": name}
    for name in SETS
    for item in load_manifest(CURATION / name / "articles.yaml")
]
IDS = [f"{i['heldout']}:{i['id']}" for i in ITEMS]


def _gold(item: dict) -> dict:
    return yaml.safe_load(Path(item["gold"]).read_text(encoding="utf-8"))


def _published(item: dict, gold: dict) -> dt.date:
    value = item.get("published") or gold["article"]["published"]
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _props(fact: dict) -> dict:
    return fact.get("props") or {}


def _refs(value) -> list[str]:
    return [str(v) for v in (value if isinstance(value, list) else [value])]


def _local(iri: str, kind: str) -> str:
    assert iri.startswith(kind + "/"), (iri, kind)
    return iri.removeprefix(kind + "/")


@pytest.mark.parametrize("name", SETS)
def test_the_manifest_is_a_separate_held_out_set(name):
    folder, (other_genre, _boilerplate) = CURATION / name, SETS[name]
    items = [i for i in ITEMS if i["heldout"] == name]
    ids = [i["id"] for i in items]
    assert len(items) >= MIN_ARTICLES.get(name, 7) and len(set(ids)) == len(ids)
    assert {i["set"] for i in items} == {"heldout"}
    assert [i["id"] for i in items if i.get("genre") == "other"] == [other_genre]
    if _boilerplate:  # a set with a saved HTML page names words of its boilerplate
        assert any(Path(i["file"]).suffix == ".html" for i in items)
    others = load_manifest(CURATION / "articles.yaml") + [i for i in ITEMS if i["heldout"] != name]
    assert not {i["id"] for i in others} & set(ids)
    assert not {i["file"] for i in others} & {i["file"] for i in items}
    for item in items:
        assert item["file"].is_file() and item["gold"].is_file(), item["id"]
        assert item["file"].is_relative_to(folder) and item["gold"].is_relative_to(folder)


@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_quotes_are_verbatim_at_their_offsets(item):
    source = read_article(item["file"])
    text = source.text
    gold = _gold(item)
    assert gold["article"]["id"] == item["id"]
    if Path(item["file"]).suffix == ".html":  # the page's metadata, not the text, names these
        art = gold["article"]
        assert (source.title, source.url) == (art["headline"], art["url"])
        assert source.date == str(art["published"])
        assert art["author"] == f"person/{slugify(source.author)}"
        assert source.author not in text  # the byline paragraph is dropped with the boilerplate
        for words in SETS[item["heldout"]][1]:
            assert words not in text, words
    head = gold["article"]["headline"]
    assert _locate(text, head, 1), head
    ids = [f["id"] for f in gold["facts"]]
    assert len(set(ids)) == len(ids)
    for fact in gold["facts"]:
        n = fact.get("occurrence", 1)
        span = _locate(text, fact["quote"], n)
        assert span, (fact["id"], fact["quote"], n)
        assert text[span[0] : span[1]] == fact["quote"]
        if n > 1:  # an occurrence is given only where the first one is not meant
            assert _locate(text, fact["quote"], n - 1)


@pytest.mark.parametrize(
    "item",
    [i for i in ITEMS if i.get("genre") != "other"],
    ids=[d for i, d in zip(ITEMS, IDS, strict=True) if i.get("genre") != "other"],
)
def test_gold_loads_with_the_build_fact_reader(item, tmp_path):
    from ctkg.graph.facts import load_article_facts
    from ctkg.graph.terms import ontology_index

    gold = _gold(item)
    (tmp_path / "facts").mkdir()
    (tmp_path / "sources").mkdir()
    text = read_article(item["file"]).text
    (tmp_path / "sources" / gold["article"]["text"]).write_text(text, encoding="utf-8")
    facts_file = tmp_path / "facts" / Path(item["gold"]).name
    shutil.copy(item["gold"], facts_file)
    article, facts = load_article_facts(facts_file, ontology_index(), tmp_path / "sources")
    assert article.id == item["id"] and len(facts) == len(gold["facts"]) + 1


@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_iris_follow_the_conventions(item):
    gold = _gold(item)
    on = _published(item, gold)
    valid = {u.key for u in units_on(on)}
    for fact in gold["facts"]:
        s, props, where = str(fact["subject"]), _props(fact), (item["id"], fact["id"])
        for p, v in props.items():
            for ref in _refs(v):
                if ref.startswith("province/"):
                    assert _local(ref, "province") in valid, (*where, p, ref, on)
        if fact.get("type") == "Membership":
            member = _local(props["org:member"], "person")
            role = _local(props["org:role"], "role")
            org = _local(props["org:organization"], "organization")
            assert s == f"membership/{member}--{role}--{org}", where
        if fact.get("type") == "Observation":
            edition = _local(props["reportedAt"], "edition")
            series, year = edition.rsplit("/", 1)
            area = props["refArea"].split("/", 1)[1]
            period = _local(props["refPeriod"], "period")
            level = "/level" if props["valueKind"] == "ctkg:level" else ""
            expected = f"observation/{_local(props['indicator'], 'indicator')}/{area}/{period}"
            assert s == f"{expected}{level}/reported/{series}-{year}", where
        if "partOfSeries" in props and "year" in props:
            assert s == f"edition/{_local(props['partOfSeries'], 'series')}/{props['year']}"
        if fact.get("type") == "LocalityDesignation":
            area = _local(props["designatedArea"], "province")
            assert s == f"{props['reportedAt']}/designation/{area}", where
        if fact.get("type") == "ParticipantGroup":
            assert s.rsplit("/", 1)[1] == slugify(fact["quote"]), where
        if fact.get("type") == "Person":
            assert s == f"person/{slugify(fact['quote'])}", where
        if "jurisdiction" in props:
            unit = _local(props["jurisdiction"], "province")
            prefix = "ubnd" if fact["type"] == "ProvincialPeoplesCommittee" else "so-cong-thuong"
            assert s == f"organization/{prefix}-{unit}", where


@pytest.mark.parametrize("name", [n for n in SETS if n not in BLIND])
def test_the_set_scores_as_held_out_data_through_the_cli(name, tmp_path):
    env = {**os.environ, "CTKG_DATA_DIR": str(tmp_path)}
    env.pop("CTKG_LOG_LEVEL", None)
    manifest = CURATION / name / "articles.yaml"
    run = subprocess.run(
        [sys.executable, "-m", "ctkg.cli", "eval-extract", str(manifest), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert [f"scoring {i['id']} (heldout)" for i in ITEMS if i["heldout"] == name] == [
        line for line in run.stderr.splitlines() if line.startswith("scoring ")
    ]
    out = json.loads(run.stdout)
    assert all(v["gold"] == 0 for v in out["dev"].values())
    held = out["heldout"]
    for slot in ("edition", "date", "place", "organiser", "official", "indicator", "handover"):
        assert held[slot]["gold"] > 0, slot
        assert 0.0 <= held[slot]["strict"]["precision"] <= 1.0
