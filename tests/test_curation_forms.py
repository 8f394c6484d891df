"""More of the genre's forms for `ctkg extract`, on short texts written for these tests (fictional
people and figures, never part of the real graph): each test says the form and what the rules
must make of it, and fails on the rules before the change it came with.

- the gold convention "growth unless the base is named" (graph/curation/README.md, Evaluation);
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ctkg.graph.curation.pipeline import propose
from ctkg.graph.curation.proposal import CurationError
from ctkg.graph.curation.resolver import Resolver


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver.from_sources()


def _write(tmp_path: Path, *paras: str, name: str = "a.txt") -> Path:
    path = tmp_path / name
    path.write_text("\n\n".join([*paras, "Mai Anh"]) + "\n", encoding="utf-8")
    return path


def _facts(path: Path, resolver, **kw):
    return propose(path, resolver, require_edition=False, **kw).proposal.facts


def _kinds(facts) -> dict[str, str]:
    return {f.props["value"]: f.props["valueKind"] for f in facts if f.type == "Observation"}


SOUTHEAST_2024 = (
    "Hội nghị ngành Công Thương các tỉnh Đông Nam Bộ lần thứ VI năm 2024",
    "10/8/2024 - Ngày 9/8/2024, tại tỉnh Bình Dương, Sở Công Thương tỉnh Bình Dương phối hợp "
    "với Bộ Công Thương tổ chức Hội nghị ngành Công Thương các tỉnh Đông Nam Bộ lần thứ VI.",
)


def test_growth_unless_the_base_is_named(resolver, tmp_path):
    """A year's rate with no base ("Năm 2023, … tăng 7,5%") is growth (before: year-on-year, for
    any whole year); "so với năm trước", "so với cùng kỳ", "so với năm 2022" name the base."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "Năm 2023, giá trị sản xuất công nghiệp toàn vùng tăng 7,5%. Kim ngạch xuất khẩu năm "
        "2023 tăng 4,1% so với năm trước. 6 tháng đầu năm 2024, chỉ số sản xuất công nghiệp "
        "toàn vùng tăng 6,2%, kim ngạch nhập khẩu tăng 3,3% so với cùng kỳ. Tổng mức bán lẻ hàng "
        "hóa và doanh thu dịch vụ năm 2023 tăng 9,9% so với năm 2022.",
    )
    assert _kinds(_facts(path, resolver)) == {
        "7.5": "ctkg:growth",
        "4.1": "ctkg:yearOnYearGrowth",
        "6.2": "ctkg:growth",
        "3.3": "ctkg:yearOnYearGrowth",
        "9.9": "ctkg:yearOnYearGrowth",
    }


def _one(facts, fid: str):
    return next(f for f in facts if f.id == fid)


@pytest.mark.parametrize(
    "dateline, when, quote",
    [
        ("26.11.2021 - Ngày 25.11.2021, tại", "2021-11-25", "25.11.2021"),
        ("26-11-2021 - Chiều 25-11-2021, tại", "2021-11-25", "25-11-2021"),
        (
            "(Công Thương) - Trong hai ngày 24 và 25/11/2021, tại",
            "2021-11-24",
            "Trong hai ngày 24 và 25/11/2021",
        ),
        ("26/11/2021 | 08:30 - Ngày 24-25/11/2021, tại", "2021-11-24", "Ngày 24-25/11/2021"),
        ("Thứ Sáu, 26.11.2021 - Sáng ngày 25.11, tại", "2021-11-25", "Sáng ngày 25.11"),
    ],
)
def test_dates_with_dots_hyphens_and_spans(resolver, tmp_path, dateline, when, quote):
    """The paper's dateline and the meeting's day in the forms the genre uses: dots
    ("26.11.2021"), hyphens, a day without its year after a keyword ("Sáng ngày 25.11"), and a
    meeting over two days (it begins on the first). Before: a dotted dateline was not read, so
    the article was refused for want of a publication date; a span gave no date."""
    path = _write(
        tmp_path,
        "Hội nghị ngành Công Thương các tỉnh Tây Nguyên lần thứ IX năm 2021",
        f"{dateline} tỉnh Gia Lai, UBND tỉnh Gia Lai phối hợp với Bộ Công Thương tổ chức Hội nghị "
        "ngành Công Thương các tỉnh Tây Nguyên lần thứ IX.",
    )
    given = dt.date(2021, 11, 26) if dateline.startswith("(") else None  # no dateline date
    facts = _facts(path, resolver, published=given)
    date = _one(facts, "edition-date")
    assert date.props["startDate"] == when and date.quote == quote
    if not dateline.startswith("("):
        proposed = propose(path, resolver)
        assert proposed.proposal.article["published"] == "2021-11-26"


def test_a_date_line_above_the_title_is_the_publication_date(resolver, tmp_path):
    path = _write(
        tmp_path,
        "26/11/2021 08:30",
        "Hội nghị ngành Công Thương các tỉnh Tây Nguyên lần thứ IX năm 2021",
        "Ngày 25/11, tại tỉnh Gia Lai, UBND tỉnh Gia Lai tổ chức Hội nghị ngành Công Thương các "
        "tỉnh Tây Nguyên lần thứ IX.",
    )
    p = propose(path, resolver).proposal
    assert p.article["published"] == "2021-11-26"
    assert p.article["headline"].startswith("Hội nghị ngành Công Thương")
    assert _one(p.facts, "edition-date").props["startDate"] == "2021-11-25"


def _series(facts) -> list[str]:
    return [f.subject for f in facts if f.type == "ConferenceSeries"]


def test_a_new_series_named_without_an_industry_or_trade_word(resolver, tmp_path):
    """A proper name (capitalised) of an activity of the genre and a group of provinces, with an
    edition's ordinal or year after it, is a new series: "Hội nghị Kết nối cung cầu các tỉnh …",
    "Diễn đàn Hợp tác kinh tế …"; the group may follow the edition ("… lần thứ V các tỉnh Tây
    Nguyên"). Before: no industry or trade word in the name, so nothing was proposed."""
    lead = "10/4/2026 - Ngày 9/4/2026, tại tỉnh Nghệ An, Sở Công Thương tỉnh Nghệ An tổ chức "
    cases = {
        "Hội nghị Kết nối cung cầu các tỉnh Bắc Trung Bộ lần thứ 2": (
            "series/hoi-nghi-ket-noi-cung-cau-cac-tinh-bac-trung-bo"
        ),
        "Diễn đàn Hợp tác kinh tế các tỉnh Bắc Trung Bộ năm 2026": (
            "series/dien-dan-hop-tac-kinh-te-cac-tinh-bac-trung-bo"
        ),
        "Hội nghị Hợp tác phát triển công nghiệp lần thứ V các tỉnh Bắc Trung Bộ": (
            "series/hoi-nghi-hop-tac-phat-trien-cong-nghiep-cac-tinh-bac-trung-bo"
        ),
    }
    for n, (name, series) in enumerate(cases.items()):
        path = _write(tmp_path, name, f"{lead}{name}.", name=f"s{n}.txt")
        facts = _facts(path, resolver)
        assert _series(facts) == [series], name
        label = _one(facts, "series").label["vi"]
        assert label == name.split(" lần thứ")[0].split(" năm 2026")[0] or "các tỉnh" in label


def test_what_is_still_no_new_series(resolver, tmp_path):
    """A lower-case "hội nghị kết nối cung cầu" in passing, a training course "lần thứ 3", a fair
    "lần thứ 24", one province's conference: no conference facts."""
    texts = [
        "Sở Công Thương tỉnh Bắc Giang tổ chức lớp tập huấn lần thứ 3 năm 2025 cho các tỉnh, "
        "chuẩn bị cho hội nghị kết nối cung cầu các tỉnh miền núi lần thứ 2 dự kiến vào quý III.",
        "Các doanh nghiệp tham gia Hội chợ Thương mại quốc tế các tỉnh Việt Bắc lần thứ 24 năm "
        "2025.",
        "UBND tỉnh Bắc Giang tổ chức Hội nghị Kết nối cung cầu tỉnh Bắc Giang năm 2025.",
        "UBND tỉnh Bắc Giang tổ chức Hội nghị Kết nối cung cầu năm 2025 tại tỉnh Bắc Giang.",
    ]
    for n, text in enumerate(texts):
        path = _write(tmp_path, "Bắc Giang: tin ngắn", f"20/3/2025 - {text}", name=f"o{n}.txt")
        assert _facts(path, resolver) == [], text


def test_an_indicator_of_a_named_province_keeps_it_for_its_growth(resolver, tmp_path):
    """'kim ngạch xuất khẩu của tỉnh X ước đạt 22,9 tỷ USD, tăng 5,1%': both figures are X's
    (before: the level was X's, the growth the region's); a base named in the sentence before
    was another figure's."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "6 tháng đầu năm 2024, kim ngạch xuất khẩu toàn vùng đạt 60,4 tỷ USD, tăng 9,2% so với "
        "cùng kỳ. Trong 6 tháng, kim ngạch xuất khẩu của tỉnh Tây Ninh ước đạt 2,9 tỷ USD, tăng "
        "5,1%, đứng thứ ba cả nước.",
    )
    obs = {
        (f.props["refArea"], f.props["value"], f.props["valueKind"])
        for f in _facts(path, resolver)
        if f.type == "Observation"
    }
    assert obs == {
        ("region/southeast", "60400000000", "ctkg:level"),
        ("region/southeast", "9.2", "ctkg:yearOnYearGrowth"),
        ("province/tay-ninh", "2900000000", "ctkg:level"),
        ("province/tay-ninh", "5.1", "ctkg:growth"),
    }


def test_two_leading_localities_with_dan_dau(resolver, tmp_path):
    """'tỉnh A và tỉnh B là hai địa phương dẫn đầu về phát triển công nghiệp': both are leading
    localities (before: only "đầu tàu" was read); "dẫn đầu về thu hút đầu tư" is not this."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "Hội nghị đánh giá tỉnh Bình Dương và tỉnh Đồng Nai là hai địa phương dẫn đầu về phát "
        "triển công nghiệp của vùng. Tỉnh Tây Ninh dẫn đầu về thu hút đầu tư.",
    )
    areas = [f.props["designatedArea"] for f in _facts(path, resolver) if f.slot == "locality"]
    assert areas == ["province/binh-duong", "province/dong-nai"]


def test_a_counted_group_after_cung_in_a_list(resolver, tmp_path):
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "Cùng dự có ông Trần Văn Bình, Giám đốc Sở Công Thương tỉnh Tây Ninh; cùng hơn 300 doanh "
        "nghiệp của các tỉnh trong vùng.",
    )
    groups = [f.label["vi"] for f in _facts(path, resolver) if f.type == "ParticipantGroup"]
    assert groups == ["Hơn 300 doanh nghiệp của các tỉnh trong vùng"]


# ------------------------------------------------------------------------------ degradation


def test_no_dateline_is_refused_with_how_to_give_the_date(resolver, tmp_path):
    """A conference report with no dateline the rules read is refused with one message naming
    ``--published`` — the meeting's date is not the paper's (often the day before), and the
    article's date is a fact of the graph — and with the curator's date every fact is read."""
    path = _write(
        tmp_path,
        "Hội nghị ngành Công Thương các tỉnh Tây Nguyên lần thứ IX năm 2021",
        "(Báo Mẫu) - Ngày 25/11/2021, tại tỉnh Gia Lai, UBND tỉnh Gia Lai tổ chức Hội nghị ngành "
        "Công Thương các tỉnh Tây Nguyên lần thứ IX.",
    )
    with pytest.raises(CurationError, match="--published"):
        propose(path, resolver)
    p = propose(path, resolver, published=dt.date(2021, 11, 26)).proposal
    assert p.article["published"] == "2021-11-26"
    assert {f.id for f in p.facts} >= {"edition", "edition-date", "edition-place"}
    date = next(f for f in p.facts if f.id == "edition-date")
    assert date.props["startDate"] == "2021-11-25"


def test_a_sapo_before_the_dateline_gives_the_date_and_place(resolver, tmp_path):
    """The date and place in a sapo ("Sáng 25/11, Hội nghị … đã khai mạc tại tỉnh Gia Lai.")
    and the organisers in the sentence after: each from where it is said (before: only the first
    sentence with "khai mạc/tổ chức/diễn ra" was read, so the organisers were lost)."""
    path = _write(
        tmp_path,
        "Hội nghị ngành Công Thương các tỉnh Tây Nguyên lần thứ IX năm 2021",
        "Sáng 25/11, Hội nghị ngành Công Thương các tỉnh Tây Nguyên lần thứ IX đã khai mạc tại "
        "tỉnh Gia Lai.",
        "26/11/2021 - Hội nghị do UBND tỉnh Gia Lai phối hợp với Bộ Công Thương tổ chức.",
    )
    facts = _facts(path, resolver)
    assert _one(facts, "edition-date").props["startDate"] == "2021-11-25"
    assert _one(facts, "edition-place").props["heldIn"] == "province/gia-lai"
    org = _one(facts, "edition-organisers").props
    assert org == {
        "organizer": "organization/ubnd-gia-lai",
        "coOrganizer": "organization/bo-cong-thuong",
    }


def test_a_series_named_only_in_the_title_without_an_edition(resolver, tmp_path):
    """ "Hội nghị Kết nối cung cầu các tỉnh Tây Nguyên tại Gia Lai" with no ordinal or year
    anywhere: the series and its edition, the year from the date (marked inferred); before:
    nothing. A lower-case or one province's title stays no series."""
    path = _write(
        tmp_path,
        "Hội nghị Kết nối cung cầu các tỉnh Tây Nguyên tại Gia Lai",
        "26/11/2021 - Ngày 25/11/2021, tại tỉnh Gia Lai, Sở Công Thương tỉnh Gia Lai tổ chức Hội "
        "nghị Kết nối cung cầu các tỉnh Tây Nguyên.",
    )
    facts = _facts(path, resolver)
    assert _series(facts) == ["series/hoi-nghi-ket-noi-cung-cau-cac-tinh-tay-nguyen"]
    edition = _one(facts, "edition")
    assert edition.subject == "edition/hoi-nghi-ket-noi-cung-cau-cac-tinh-tay-nguyen/2021"
    assert edition.inferred == ["props.year"]
    for n, title in enumerate(
        ["Hội nghị kết nối cung cầu các tỉnh Tây Nguyên", "Hội nghị Kết nối cung cầu tỉnh Gia Lai"]
    ):
        other = _write(
            tmp_path,
            title,
            f"26/11/2021 - Ngày 25/11/2021, Sở Công Thương tỉnh Gia Lai tổ chức {title[0].lower()}"
            f"{title[1:]}.",
            name=f"t{n}.txt",
        )
        assert _facts(other, resolver) == [], title


# ------------------------------------------------------------------------------ more forms


def _members(facts) -> set[tuple[str, str, str]]:
    return {
        (f.props["org:member"], f.props["org:role"], f.props["org:organization"])
        for f in facts
        if f.type == "Membership"
    }


def test_posts_the_genre_writes_and_names_with_titles(resolver, tmp_path):
    """ "Phó Chủ tịch Thường trực UBND tỉnh X Y", "Quyền Giám đốc Sở …" (an acting post, not the
    Director's), "đồng chí X, Bí thư Tỉnh ủy Y" (the provincial Party Committee), "Chủ tịch HĐND
    tỉnh", a five-word name in brackets' form "ông Y Thanh Hà Niê Kđăm (Chủ tịch UBND …)", an
    academic title "TS." (not a sentence end, not part of the name); each listed one attended."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "Tham dự Hội nghị có Phó Chủ tịch Thường trực UBND tỉnh Tây Ninh Đỗ Tiến Đông; Quyền "
        "Giám đốc Sở Công Thương tỉnh Đồng Nai Lê Thị Mai; đồng chí Trần Quốc Hùng, Bí thư Tỉnh "
        "ủy Bình Phước; ông Y Thanh Hà Niê Kđăm (Chủ tịch HĐND tỉnh Bình Dương); TS. Phạm Văn "
        "Minh, Giám đốc Sở Công Thương tỉnh Bà Rịa - Vũng Tàu.",
    )
    facts = _facts(path, resolver)
    assert _members(facts) == {
        ("person/do-tien-dong", "role/pho-chu-tich-thuong-truc", "organization/ubnd-tay-ninh"),
        ("person/le-thi-mai", "role/quyen-giam-doc", "organization/so-cong-thuong-dong-nai"),
        ("person/tran-quoc-hung", "role/bi-thu", "organization/tinh-uy-binh-phuoc"),
        ("person/y-thanh-ha-nie-kdam", "role/chu-tich", "organization/hdnd-binh-duong"),
        ("person/pham-van-minh", "role/giam-doc", "organization/so-cong-thuong-ba-ria-vung-tau"),
    }
    attended = {f.props["attendee"] for f in facts if f.slot == "attendance"}
    assert attended == {m[0] for m in _members(facts)}
    types = {f.subject: f.type for f in facts if f.slot == "entity"}
    assert types["organization/tinh-uy-binh-phuoc"] == "Organization"
    assert types["organization/hdnd-binh-duong"] == "GovernmentBody"


def test_the_capital_a_city_prefix_and_a_venue_after_tp(resolver, tmp_path):
    """ "tại Thủ đô Hà Nội" is Hà Nội; "tại Tp. Buôn Ma Thuột, tỉnh Đắk Lắk" is the province after
    the city (before: neither gave a place)."""
    for n, (where, province) in enumerate(
        [
            ("Thủ đô Hà Nội", "province/ha-noi"),
            ("Tp. Buôn Ma Thuột, tỉnh Đắk Lắk", "province/dak-lak"),
        ]
    ):
        path = _write(
            tmp_path,
            "Hội nghị ngành Công Thương các tỉnh Tây Nguyên lần thứ IX năm 2021",
            f"26/11/2021 - Ngày 25/11/2021, tại {where}, Bộ Công Thương tổ chức Hội nghị ngành "
            "Công Thương các tỉnh Tây Nguyên lần thứ IX.",
            name=f"p{n}.txt",
        )
        assert _one(_facts(path, resolver), "edition-place").props["heldIn"] == province


def test_a_quarter_without_its_year_and_negative_growth(resolver, tmp_path):
    """ "Quý III, kim ngạch xuất khẩu đạt …" is July–September of the paragraph's year (marked
    inferred; before: the previous period's); "tăng trưởng âm 1,4%" is −1.4 (before: nothing)."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "9 tháng năm 2024, chỉ số sản xuất công nghiệp toàn vùng tăng 6,8%. Quý III, kim ngạch "
        "xuất khẩu đạt gần 2,3 tỷ USD, giảm 2,1%. Kim ngạch nhập khẩu 9 tháng đạt 812,4 triệu "
        "USD, tăng trưởng âm 1,4%.",
    )
    obs = {
        (f.props["indicator"], f.props["refPeriod"], f.props["value"], tuple(f.inferred))
        for f in _facts(path, resolver)
        if f.type == "Observation"
    }
    assert obs == {
        ("indicator/industrial-production-index", "period/2024-01--2024-09", "6.8", ()),
        (
            "indicator/export-turnover",
            "period/2024-07--2024-09",
            "2300000000",
            ("props.refPeriod",),
        ),
        ("indicator/export-turnover", "period/2024-07--2024-09", "-2.1", ("props.refPeriod",)),
        ("indicator/import-turnover", "period/2024-01--2024-09", "812400000", ("props.refPeriod",)),
        ("indicator/import-turnover", "period/2024-01--2024-09", "-1.4", ("props.refPeriod",)),
    }


RED_RIVER_2023 = (
    "Hội nghị Xúc tiến thương mại các tỉnh Đồng bằng sông Hồng lần thứ 6 năm 2023 tại Hưng Yên",
    "22/9/2023 - Ngày 21/9/2023, UBND tỉnh Hưng Yên tổ chức Hội nghị Xúc tiến thương mại các "
    "tỉnh Đồng bằng sông Hồng lần thứ 6 tại thành phố Hưng Yên.",
)


def test_who_directed_named_after_or_around_the_words(resolver, tmp_path):
    """ "Hội nghị do Thứ trưởng … X chủ trì", "Tới dự và phát biểu chỉ đạo Hội nghị có … Y": both
    attended and directed (before: neither was read as attending)."""
    path = _write(
        tmp_path,
        *RED_RIVER_2023,
        "Hội nghị do Thứ trưởng Bộ Công Thương Phan Thị Thắng chủ trì. Tới dự và phát biểu chỉ "
        "đạo Hội nghị có Phó Chủ tịch UBND tỉnh Hưng Yên Nguyễn Hùng Nam.",
    )
    directed = {f.props.get("directedBy") for f in _facts(path, resolver) if f.slot == "attendance"}
    assert directed == {"person/phan-thi-thang", "person/nguyen-hung-nam"}


@pytest.mark.parametrize(
    "sentence, host, inferred",
    [
        (
            "Tại Hội nghị, UBND tỉnh Hưng Yên đã trao cờ đăng cai Hội nghị lần thứ 7 cho UBND "
            "tỉnh Thái Bình.",
            "province/thai-binh",
            ["props.year"],
        ),
        ("Tỉnh Thái Bình sẽ đăng cai Hội nghị lần thứ 7 vào năm 2024.", "province/thai-binh", []),
        (
            "Hội nghị thống nhất giao tỉnh Thái Bình đăng cai tổ chức Hội nghị lần thứ 7 năm 2024.",
            "province/thai-binh",
            [],
        ),
    ],
)
def test_the_next_edition_in_more_forms(resolver, tmp_path, sentence, host, inferred):
    """A hand-over naming the next edition by its ordinal only (the 7th at the 6th: next year's,
    marked inferred), "X sẽ đăng cai Hội nghị lần thứ N vào năm Y", "giao X đăng cai …" (before:
    nothing proposed for them)."""
    path = _write(tmp_path, *RED_RIVER_2023, sentence)
    nxt = _one(_facts(path, resolver), "edition-2024-designated")
    assert nxt.props["hostProvince"] == host and nxt.props["ordinal"] == 7
    assert nxt.inferred == inferred


def test_a_parts_figures_are_not_the_wholes(resolver, tmp_path):
    """ "…, trong đó xuất khẩu nông sản đạt 4,2 tỷ USD, tăng 3,1%": the part's level and growth
    are not the region's export turnover (before: a second, conflicting value for the same
    observation); a ratio "bằng 108,2%" and "2,3 điểm phần trăm" are no growth."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "Kim ngạch xuất khẩu 6 tháng đầu năm 2024 của vùng ước đạt 18,6 tỷ USD, tăng 12% so với "
        "cùng kỳ, trong đó xuất khẩu nông sản đạt 4,2 tỷ USD, tăng 3,1%. Chỉ số sản xuất công "
        "nghiệp toàn vùng bằng 108,2% so với cùng kỳ. Tổng mức bán lẻ hàng hóa và doanh thu dịch "
        "vụ tiêu dùng đạt 95% kế hoạch năm, tăng 2,3 điểm phần trăm.",
    )
    obs = sorted(f.props["value"] for f in _facts(path, resolver) if f.type == "Observation")
    assert obs == ["12", "18600000000"]


def test_the_index_by_its_other_names_an_em_dash_and_today(resolver, tmp_path):
    """ "Chỉ số phát triển công nghiệp (IIP)" and "chỉ số sản xuất ngành công nghiệp" are the
    index of industrial production; "bà X — Giám đốc …" an official; "Hôm nay (9/8)" the day."""
    path = _write(
        tmp_path,
        "Hội nghị ngành Công Thương các tỉnh Đông Nam Bộ lần thứ VI năm 2024",
        "10/8/2024 - Hôm nay (9/8), tại tỉnh Bình Dương, Sở Công Thương tỉnh Bình Dương tổ chức "
        "Hội nghị ngành Công Thương các tỉnh Đông Nam Bộ lần thứ VI.",
        "Tham dự có bà Lê Thị Hoa — Giám đốc Sở Công Thương tỉnh Tây Ninh. 6 tháng đầu năm 2024, "
        "chỉ số phát triển công nghiệp (IIP) toàn vùng tăng 7,1%. Năm 2023, chỉ số sản xuất ngành "
        "công nghiệp tăng 6,6%.",
    )
    facts = _facts(path, resolver)
    assert _one(facts, "edition-date").props["startDate"] == "2024-08-09"
    assert ("person/le-thi-hoa", "role/giam-doc", "organization/so-cong-thuong-tay-ninh") in (
        _members(facts)
    )
    iip = {
        f.props["value"]
        for f in facts
        if f.props.get("indicator") == "indicator/industrial-production-index"
    }
    assert iip == {"7.1", "6.6"}


def test_an_ordinal_after_the_year_and_the_northern_series_shorter_names(resolver, tmp_path):
    """ "… năm 2024 (lần thứ XII)" gives the ordinal; "Hội nghị ngành Công Thương khu vực phía
    Bắc" is the northern series (an alias in aliases.yaml), not a new one."""
    path = _write(
        tmp_path,
        "Hội nghị ngành Công Thương các tỉnh Tây Nguyên năm 2024 (lần thứ XII)",
        "15/11/2024 - Ngày 14/11/2024, tại tỉnh Kon Tum, UBND tỉnh Kon Tum tổ chức Hội nghị ngành "
        "Công Thương các tỉnh Tây Nguyên năm 2024 (lần thứ XII).",
    )
    assert _one(_facts(path, resolver), "edition").props["ordinal"] == 12
    path = _write(
        tmp_path,
        "Hội nghị ngành Công Thương khu vực phía Bắc năm 2023",
        "22/9/2023 - Ngày 21/9/2023, tại tỉnh Hưng Yên, UBND tỉnh Hưng Yên tổ chức Hội nghị ngành "
        "Công Thương khu vực phía Bắc năm 2023.",
        name="b.txt",
    )
    assert _series(_facts(path, resolver)) == ["series/hoi-nghi-cong-thuong-phia-bac"]


def test_co_chairs_of_one_list_directed_and_attendees_did_not(resolver, tmp_path):
    """ "Đồng chủ trì Hội nghị có đồng chí A, Bộ trưởng … và đồng chí B, Chủ tịch …": both
    directed (before: B only attended); "Tham dự có ông C, … và bà D, …": both attended only."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "Đồng chủ trì Hội nghị có đồng chí Nguyễn Hồng Diên, Bộ trưởng Bộ Công Thương và đồng chí "
        "Võ Văn Minh, Chủ tịch UBND tỉnh Bình Dương. Tham dự có ông Trần Văn Hai, Giám đốc Sở "
        "Công Thương tỉnh Tây Ninh và bà Lê Thị Hoa, Giám đốc Sở Công Thương tỉnh Đồng Nai.",
    )
    att = {
        f.props["attendee"]: f.props.get("directedBy")
        for f in _facts(path, resolver)
        if f.slot == "attendance"
    }
    assert att == {
        "person/nguyen-hong-dien": "person/nguyen-hong-dien",
        "person/vo-van-minh": "person/vo-van-minh",
        "person/tran-van-hai": None,
        "person/le-thi-hoa": None,
    }


def test_an_unnamed_province_after_an_indicator_is_not_the_region(resolver, tmp_path):
    """ "ông X, Giám đốc Sở Công Thương tỉnh Tây Ninh cho biết, kim ngạch xuất khẩu của tỉnh đạt
    …, tăng …": Tây Ninh's figures (before: the region's); "… toàn tỉnh đạt …" in the next
    sentence: the province that sentence named, Tây Ninh (cur5; before: no figure); opening a
    paragraph with no province named before it: no figure (before cur3: the region's)."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "Theo báo cáo, 6 tháng đầu năm 2024, chỉ số sản xuất công nghiệp toàn vùng tăng 7,2%. "
        "Phát biểu tại Hội nghị, ông Trần Văn Hai, Giám đốc Sở Công Thương tỉnh Tây Ninh cho "
        "biết, kim ngạch xuất khẩu của tỉnh đạt 3,2 tỷ USD, tăng 9,1%. Toàn tỉnh có 2.100 doanh "
        "nghiệp, tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng toàn tỉnh đạt 120 nghìn "
        "tỷ đồng.",
        "6 tháng đầu năm 2024, kim ngạch nhập khẩu toàn tỉnh đạt 2,9 tỷ USD.",
    )
    obs = {
        (f.props["refArea"], f.props["value"])
        for f in _facts(path, resolver)
        if f.type == "Observation"
    }
    assert obs == {
        ("region/southeast", "7.2"),
        ("province/tay-ninh", "3200000000"),
        ("province/tay-ninh", "9.1"),
        ("province/tay-ninh", "120000000000000"),
    }


def test_a_year_less_meeting_day_takes_the_titles_year(resolver, tmp_path):
    """ "(Công Thương) - Sáng 14/11, …" under a title with "năm 2024", no dateline: the meeting's
    day takes its year from the title; "Thứ trưởng Thường trực Bộ Công Thương X" is an official
    (before: no official, the post not read)."""
    path = _write(
        tmp_path,
        "Hội nghị ngành Công Thương các tỉnh Tây Nguyên lần thứ XII năm 2024",
        "(Công Thương) - Sáng 14/11, tại tỉnh Kon Tum, UBND tỉnh Kon Tum tổ chức Hội nghị ngành "
        "Công Thương các tỉnh Tây Nguyên lần thứ XII. Thứ trưởng Thường trực Bộ Công Thương Cao "
        "Quốc Hưng dự và chỉ đạo Hội nghị.",
    )
    p = propose(path, resolver, published=dt.date(2024, 11, 15)).proposal
    date = next(f for f in p.facts if f.id == "edition-date")
    assert date.props["startDate"] == "2024-11-14"
    assert _members(p.facts) == {
        ("person/cao-quoc-hung", "role/thu-truong-thuong-truc", "organization/bo-cong-thuong")
    }


def test_a_name_before_a_party_post_and_the_post_read(resolver, tmp_path):
    """ "ông X, Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch UBND tỉnh Y", "đồng chí X - Tỉnh ủy
    viên, Giám đốc Sở …", "bà X, Phó Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh Y": the person holds the
    post whose body is named (before: no official, since a post stood between name and post)."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "Tham dự Hội nghị có ông Nguyễn Văn Hùng, Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch "
        "UBND tỉnh Tây Ninh; đồng chí Lê Minh Tuấn - Tỉnh ủy viên, Giám đốc Sở Công Thương tỉnh "
        "Đồng Nai; bà Trần Thị Lan, Phó Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh Bình Phước.",
    )
    facts = _facts(path, resolver)
    assert _members(facts) == {
        ("person/nguyen-van-hung", "role/pho-chu-tich", "organization/ubnd-tay-ninh"),
        ("person/le-minh-tuan", "role/giam-doc", "organization/so-cong-thuong-dong-nai"),
        ("person/tran-thi-lan", "role/chu-tich", "organization/hdnd-binh-phuoc"),
    }
    assert {f.props["attendee"] for f in facts if f.slot == "attendance"} == {
        m[0] for m in _members(facts)
    }


@pytest.mark.parametrize(
    "signature, authors",
    [
        ("MINH ANH", ["person/minh-anh"]),
        ("THU HÀ - NGỌC LAN", ["person/thu-ha", "person/ngoc-lan"]),
        ("BÁO CÔNG THƯƠNG", []),
        ("UBND", []),
    ],
)
def test_a_signature_in_capitals(resolver, tmp_path, signature, authors):
    """The genre often signs in capitals: "MINH ANH" is the author (before: none); a paper's
    name or an acronym is not."""
    path = tmp_path / "a.txt"
    path.write_text(
        "\n\n".join([*SOUTHEAST_2024, signature]) + "\n",
        encoding="utf-8",
    )
    facts = _facts(path, resolver)
    assert [f.subject for f in facts if f.slot == "article"] == authors


def test_a_place_after_dien_ra_o(resolver, tmp_path):
    """ "Hội nghị diễn ra ở TP. Kon Tum, tỉnh Kon Tum" gives the place (before: only "tại" did);
    "doanh nghiệp ở tỉnh Gia Lai" in the same sentence does not."""
    path = _write(
        tmp_path,
        "Hội nghị ngành Công Thương các tỉnh Tây Nguyên lần thứ XII năm 2024",
        "15/11/2024 - Ngày 14/11/2024, UBND tỉnh Kon Tum tổ chức Hội nghị ngành Công Thương các "
        "tỉnh Tây Nguyên lần thứ XII với các doanh nghiệp ở tỉnh Gia Lai. Hội nghị diễn ra ở TP. "
        "Kon Tum, tỉnh Kon Tum.",
    )
    assert _one(_facts(path, resolver), "edition-place").props["heldIn"] == "province/kon-tum"


@pytest.mark.parametrize(
    "lead",
    [
        # a venue with "Hội nghị" in its name, then the host and its partner before the series
        "Sáng ngày 9/8/2024, tại Trung tâm Hội nghị tỉnh Bình Dương, UBND tỉnh Bình Dương phối "
        "hợp với Cục Công Thương địa phương tổ chức",
        # a "Tỉnh X:" lead-in the paper puts before its report
        "Tỉnh Bình Dương: ngày 9/8/2024, tại Hội trường Hội nghị tỉnh, Sở Công Thương tỉnh Bình "
        "Dương chủ trì, phối hợp với Bộ Công Thương tổ chức",
    ],
)
def test_a_new_series_name_starts_at_its_own_hoi_nghi(resolver, tmp_path, lead):
    """A new series named in the body after a lead-in that holds another "Hội nghị" (a venue:
    "Trung tâm Hội nghị tỉnh X, UBND tỉnh X phối hợp với … tổ chức Hội nghị Liên kết …"): the
    name starts at the series' own "Hội nghị" (before: at the venue's, so the name ran over the
    organisers and every IRI of the article carried it)."""
    path = _write(
        tmp_path,
        "Hội nghị Liên kết phát triển công thương các tỉnh Đông Nam Bộ lần thứ III tại Bình Dương",
        f"10/8/2024 - {lead} Hội nghị Liên kết phát triển công thương các tỉnh Đông Nam Bộ lần "
        "thứ III năm 2024.",
    )
    facts = _facts(path, resolver)
    series = _one(facts, "series")
    assert series.subject == "series/hoi-nghi-lien-ket-phat-trien-cong-thuong-cac-tinh-dong-nam-bo"
    assert series.label["vi"] == "Hội nghị Liên kết phát triển công thương các tỉnh Đông Nam Bộ"


def test_a_series_name_holding_its_organisers_is_no_series(resolver, tmp_path):
    """Precision first: a name that would hold an organiser phrase ("… UBND tỉnh X phối hợp với
    … tổ chức …", no other "Hội nghị" to start from) is not proposed as a series."""
    path = _write(
        tmp_path,
        "Tin hoạt động",
        "10/8/2024 - Hội nghị tỉnh Bình Dương, UBND tỉnh Bình Dương phối hợp với Cục Công "
        "Thương địa phương tổ chức liên kết phát triển công thương các tỉnh Đông Nam Bộ lần thứ "
        "III năm 2024.",
    )
    assert not [f for f in _facts(path, resolver) if f.slot == "series"]


def test_attendance_after_du_hoi_nghi_co_colon(resolver, tmp_path):
    """ "Dự Hội nghị có: ông X - post; bà Y - post; đại diện …": the list after a colon is
    read like the list without one (before: no attendee, no group)."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "Dự Hội nghị có: ông Trần Văn Hai - Phó Chủ tịch UBND tỉnh Tây Ninh; bà Lê Thị Hoa - "
        "Giám đốc Sở Công Thương tỉnh Đồng Nai; đại diện các hiệp hội doanh nghiệp trong vùng.",
    )
    facts = _facts(path, resolver)
    assert {f.props["attendee"] for f in facts if f.slot == "attendance"} == {
        "person/tran-van-hai",
        "person/le-thi-hoa",
    }
    assert [f.label["vi"] for f in facts if f.type == "ParticipantGroup"] == [
        "Đại diện các hiệp hội doanh nghiệp trong vùng"
    ]


def _obs(facts) -> set[tuple[str, str]]:
    return {(f.props["refArea"], f.props["value"]) for f in facts if f.type == "Observation"}


def test_a_provinces_report_gives_the_provinces_figures(resolver, tmp_path):
    """A Sở's or UBND's report: "Theo Sở Công Thương tỉnh X, … trên địa bàn tỉnh đạt …; kim
    ngạch xuất khẩu đạt …" — both X's (before: the second the region's); "Sở Công Thương tỉnh Y
    cho biết, …" likewise; "Giám đốc Sở … tỉnh Z cho biết, bán lẻ của tỉnh đạt …, kim ngạch xuất
    khẩu đạt …" (the sentence goes on with Z's); "toàn vùng" after it is the region again."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "Theo Sở Công Thương tỉnh Tây Ninh, 6 tháng đầu năm 2024, tổng mức bán lẻ hàng hóa và "
        "doanh thu dịch vụ tiêu dùng trên địa bàn tỉnh đạt 60 nghìn tỷ đồng; kim ngạch xuất "
        "khẩu đạt 2,5 tỷ USD, tăng 7,7%.",
        "Sở Công Thương tỉnh Đồng Nai cho biết, 6 tháng đầu năm 2024, kim ngạch nhập khẩu đạt "
        "9,1 tỷ USD.",
        "Ông Trần Văn Hai, Giám đốc Sở Công Thương tỉnh Bình Phước cho biết, 6 tháng đầu năm "
        "2024, tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng của tỉnh đạt 30 nghìn tỷ "
        "đồng, kim ngạch xuất khẩu đạt 1,8 tỷ USD; chỉ số sản xuất công nghiệp toàn vùng tăng "
        "6,4%.",
    )
    assert _obs(_facts(path, resolver)) == {
        ("province/tay-ninh", "60000000000000"),
        ("province/tay-ninh", "2500000000"),
        ("province/tay-ninh", "7.7"),
        ("province/dong-nai", "9100000000"),
        ("province/binh-phuoc", "30000000000000"),
        ("province/binh-phuoc", "1800000000"),
        ("region/southeast", "6.4"),
    }


def test_a_province_as_the_clauses_subject(resolver, tmp_path):
    """ "Tỉnh X có giá trị sản xuất công nghiệp … đạt …, tăng …" and "…; tỉnh Y, kim ngạch xuất
    khẩu đạt …": the province's figures (before: the region's); "Tỉnh X và tỉnh Y …" is no
    clause of one province's; "tăng bình quân 8,9%" is a growth figure (before: none)."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "6 tháng đầu năm 2024, chỉ số sản xuất công nghiệp toàn vùng tăng bình quân 8,9% so với "
        "cùng kỳ. Tỉnh Tây Ninh có giá trị sản xuất công nghiệp 6 tháng đạt 150.200 tỷ đồng, "
        "tăng 11,2%, xếp thứ hai trong vùng; tỉnh Đồng Nai, kim ngạch xuất khẩu đạt 12,3 tỷ USD. "
        "Tỉnh Bình Phước và tỉnh Bình Dương có kim ngạch nhập khẩu đạt 7,4 tỷ USD.",
    )
    assert _obs(_facts(path, resolver)) == {
        ("region/southeast", "8.9"),
        ("province/tay-ninh", "150200000000000"),
        ("province/tay-ninh", "11.2"),
        ("province/dong-nai", "12300000000"),
        ("region/southeast", "7400000000"),
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "Hội nghị ghi nhận tỉnh Tây Ninh tiếp tục dẫn đầu vùng về phát triển công nghiệp.",
        "Tỉnh Tây Ninh được các đại biểu đánh giá là địa phương dẫn đầu về phát triển công "
        "nghiệp của vùng.",
        "Tỉnh Tây Ninh dẫn đầu về phát triển công nghiệp của vùng.",
        "Tỉnh Tây Ninh tiếp tục giữ vững vị trí dẫn đầu về phát triển công nghiệp của vùng.",
    ],
)
def test_a_leading_locality_without_a_verb_or_in_the_passive(resolver, tmp_path, sentence):
    """ "X tiếp tục dẫn đầu vùng về phát triển công nghiệp" (no "là/giữ"), "X được các đại biểu
    đánh giá là địa phương dẫn đầu …" (an agent in the passive): X is a leading locality
    (before: none); "dẫn đầu về thu hút đầu tư" stays none."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        sentence + " Tỉnh Đồng Nai tiếp tục dẫn đầu về thu hút đầu tư.",
    )
    areas = [f.props["designatedArea"] for f in _facts(path, resolver) if f.slot == "locality"]
    assert areas == ["province/tay-ninh"]


def test_a_directors_report_of_the_regions_figures_stays_the_regions(resolver, tmp_path):
    """Precision: "Ông X, Giám đốc Sở … tỉnh Y cho biết, … chỉ số … của các tỉnh Đông Nam Bộ
    tăng …" is the region's figure (a host's director often reports the region's), and so is a
    figure after "Sở Công Thương tỉnh Y tổ chức …"; "Sở … tỉnh Z cho biết, … của các tỉnh Đông
    Nam Bộ tăng …" too (before: Z's); only "của tỉnh"/"trên địa bàn tỉnh" or a sentence that
    opens with the Sở's report, naming no other area, makes them the province's."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "Ông Trần Văn Hai, Giám đốc Sở Công Thương tỉnh Bình Phước cho biết, 6 tháng đầu năm "
        "2024, chỉ số sản xuất công nghiệp của các tỉnh Đông Nam Bộ tăng 6,6%, kim ngạch xuất "
        "khẩu đạt 40,2 tỷ USD.",
        "Sở Công Thương tỉnh Đồng Nai tổ chức nhiều hoạt động, 6 tháng đầu năm 2024, kim ngạch "
        "nhập khẩu đạt 30,5 tỷ USD.",
        "Sở Công Thương tỉnh Tây Ninh cho biết, 6 tháng đầu năm 2024, tổng mức bán lẻ hàng hóa "
        "và doanh thu dịch vụ tiêu dùng của các tỉnh Đông Nam Bộ tăng 8,1%.",
    )
    assert _obs(_facts(path, resolver)) == {
        ("region/southeast", "8.1"),
        ("region/southeast", "6.6"),
        ("region/southeast", "40200000000"),
        ("region/southeast", "30500000000"),
    }


def test_a_body_named_in_a_participant_group_is_an_entity(resolver, tmp_path):
    """ "…; lãnh đạo Sở Công Thương tỉnh X và đại diện …": the Sở is typed like an official's
    body (before: only the group); "lãnh đạo Sở Công Thương các tỉnh A, B" names no one body."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "Tham dự Hội nghị có bà Lê Thị Hoa, Giám đốc Sở Công Thương tỉnh Đồng Nai; lãnh đạo Sở "
        "Công Thương tỉnh Tây Ninh và lãnh đạo Sở Công Thương các tỉnh Bình Phước, Bà Rịa - "
        "Vũng Tàu.",
    )
    facts = _facts(path, resolver)
    orgs = {f.subject for f in facts if f.slot == "entity" and f.subject.startswith("organi")}
    assert {"organization/so-cong-thuong-tay-ninh", "organization/so-cong-thuong-dong-nai"} <= orgs
    assert not {"organization/so-cong-thuong-binh-phuoc"} & orgs
    assert len([f for f in facts if f.type == "ParticipantGroup"]) == 2


@pytest.mark.parametrize(
    "opener",
    ["Tham dự Hội nghị có các đồng chí: ông", "Tham dự Hội nghị gồm có ông", "Dự Hội nghị có: ông"],
)
def test_an_attendance_list_after_cac_dong_chi_or_gom_co(resolver, tmp_path, opener):
    """ "Tham dự Hội nghị có các đồng chí: …", "Tham dự Hội nghị gồm có …": the list's people
    attended and its "đại diện …" is a group (before: none of them)."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        f"{opener} Trần Văn Hai, Phó Chủ tịch UBND tỉnh Tây Ninh; bà Lê Thị Hoa, Giám đốc Sở "
        "Công Thương tỉnh Đồng Nai; đại diện các doanh nghiệp trong vùng.",
    )
    facts = _facts(path, resolver)
    assert {f.props["attendee"] for f in facts if f.slot == "attendance"} == {
        "person/tran-van-hai",
        "person/le-thi-hoa",
    }
    assert len([f for f in facts if f.type == "ParticipantGroup"]) == 1


@pytest.mark.parametrize("dateline", ["Kon Tum, 15/11/2024 - ", "Kon Tum (ngày 15/11/2024) - "])
def test_a_dateline_with_the_paper_s_place_before_it(resolver, tmp_path, dateline):
    """ "Kon Tum, 15/11/2024 - Sáng 14/11, …", "Kon Tum (ngày 15/11/2024) - …" (cur5): the paper's
    dateline with its place first is the publication date (before: not read, so the article was
    refused for want of a date)."""
    path = _write(
        tmp_path,
        "Hội nghị ngành Công Thương các tỉnh Tây Nguyên lần thứ XII năm 2024",
        dateline + "Sáng 14/11, tại tỉnh Kon Tum, UBND tỉnh Kon Tum tổ chức Hội nghị ngành Công "
        "Thương các tỉnh Tây Nguyên lần thứ XII.",
    )
    p = propose(path, resolver).proposal
    assert p.article["published"] == "2024-11-15"
    date = next(f for f in p.facts if f.id == "edition-date")
    assert date.props["startDate"] == "2024-11-14"


def test_a_unit_of_the_ministry_written_thuoc_is_not_the_ministry_organising(resolver, tmp_path):
    """ "phối hợp với Cục Công Thương địa phương thuộc Bộ Công Thương tổ chức": the unit
    co-organises, the ministry is only whose unit it is, as with "(Bộ Công Thương)" (before:
    the ministry was proposed as a co-organiser too)."""
    path = _write(
        tmp_path,
        "Hội nghị ngành Công Thương các tỉnh Tây Nguyên lần thứ XII năm 2024",
        "15/11/2024 - Ngày 14/11/2024, tại tỉnh Kon Tum, UBND tỉnh Kon Tum phối hợp với Cục Công "
        "Thương địa phương thuộc Bộ Công Thương tổ chức Hội nghị ngành Công Thương các tỉnh Tây "
        "Nguyên lần thứ XII.",
    )
    facts = propose(path, resolver).proposal.facts
    co = set()
    for f in facts:
        if f.slot == "organiser":
            value = f.props.get("coOrganizer") or []
            co |= set(value if isinstance(value, list) else [value])
    assert "organization/bo-cong-thuong" not in co
    assert co, [f.props for f in facts if f.slot == "organiser"]


def test_a_figure_s_province_named_after_its_indicator_holds_for_the_clause(resolver, tmp_path):
    """The province that owns an indicator ("… của tỉnh X", "… trên địa bàn tỉnh X", a bracket
    or a period between: "(theo giá so sánh năm 2010) của tỉnh X", "năm 2023 của tỉnh X") owns
    all its figures (before: the first only, the growth after it went to the region); the
    sentence's later indicators after ";" are X's too, but not after "riêng tỉnh Y, …" (Y's) or
    "toàn vùng" (the region again)."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "6 tháng đầu năm 2024, giá trị sản xuất công nghiệp (theo giá so sánh năm 2010) của tỉnh "
        "Bình Phước ước đạt 52.300 tỷ đồng, tăng 9,4%; kim ngạch xuất khẩu đạt 2,3 tỷ USD, bằng "
        "48% kế hoạch năm.",
        "6 tháng đầu năm 2024, tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng trên địa "
        "bàn tỉnh Tây Ninh đạt 61.450 tỷ đồng, tăng 11,3% so với cùng kỳ; riêng tỉnh Đồng Nai, "
        "kim ngạch nhập khẩu đạt 8,8 tỷ USD.",
        "Năm 2023, kim ngạch xuất khẩu năm 2023 của tỉnh Bình Dương đạt 31,4 tỷ USD, tăng 2,2%; "
        "chỉ số sản xuất công nghiệp toàn vùng tăng 5,5%.",
    )
    assert _obs(_facts(path, resolver)) == {
        ("province/binh-phuoc", "52300000000000"),
        ("province/binh-phuoc", "9.4"),
        ("province/binh-phuoc", "2300000000"),
        ("province/tay-ninh", "61450000000000"),
        ("province/tay-ninh", "11.3"),
        ("province/dong-nai", "8800000000"),
        ("province/binh-duong", "31400000000"),
        ("province/binh-duong", "2.2"),
        ("region/southeast", "5.5"),
    }


def test_an_unnamed_province_opening_a_sentence_is_the_paragraph_s(resolver, tmp_path):
    """ "… của tỉnh X đạt …. Chỉ số sản xuất công nghiệp (IIP) của tỉnh tăng …": the province the
    paragraph's previous sentence named (before: no figure); when that sentence named two
    provinces, which one is meant cannot be told: no figure; a paragraph's first sentence takes
    nothing from the paragraph before."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "Theo báo cáo, 6 tháng đầu năm 2024, tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu "
        "dùng của tỉnh Bình Phước đạt 28.100 tỷ đồng. Chỉ số sản xuất công nghiệp (IIP) của tỉnh "
        "tăng 10,2%, cao hơn mức tăng chung của cả nước (7,1%). Kim ngạch xuất khẩu của tỉnh đạt "
        "2,4 tỷ USD.",
        "6 tháng đầu năm 2024, tỉnh Tây Ninh và tỉnh Đồng Nai có nhiều dự án mới. Kim ngạch nhập "
        "khẩu của tỉnh đạt 5,5 tỷ USD.",
        "Giá trị sản xuất công nghiệp 6 tháng đầu năm 2024 của tỉnh tăng 8,8%.",
    )
    assert _obs(_facts(path, resolver)) == {
        ("province/binh-phuoc", "28100000000000"),
        ("province/binh-phuoc", "10.2"),
        ("province/binh-phuoc", "2400000000"),
    }


@pytest.mark.parametrize(
    "sentence, leading",
    [
        (
            "Hội nghị đánh giá tỉnh Tây Ninh tiếp tục dẫn đầu các tỉnh Đông Nam Bộ về phát triển "
            "công nghiệp, nhất là công nghiệp chế biến.",
            ["province/tay-ninh"],
        ),
        (
            "Tỉnh Bình Dương là địa phương dẫn đầu khu vực về giá trị sản xuất công nghiệp.",
            ["province/binh-duong"],
        ),
        (
            "Tỉnh Đồng Nai tiếp tục đứng đầu vùng về sản xuất công nghiệp.",
            ["province/dong-nai"],
        ),
        (
            "Tỉnh Bình Dương xếp thứ nhất trong vùng về giá trị sản xuất công nghiệp.",
            ["province/binh-duong"],
        ),
        (
            "Các địa phương dẫn đầu về phát triển công nghiệp của vùng là tỉnh Bình Dương, tỉnh "
            "Đồng Nai và tỉnh Tây Ninh.",
            ["province/binh-duong", "province/dong-nai", "province/tay-ninh"],
        ),
        ("Tỉnh Tây Ninh xếp thứ hai trong vùng về giá trị sản xuất công nghiệp.", []),
        ("Tỉnh Tây Ninh dẫn đầu vùng về tốc độ tăng trưởng công nghiệp.", []),
        ("Tỉnh Bình Phước là địa phương dẫn đầu vùng về thu hút đầu tư là nhờ …", []),
        (
            "Đứng đầu vùng về giá trị sản xuất công nghiệp là tỉnh Bình Dương.",
            ["province/binh-duong"],
        ),
        (
            "Tỉnh Đồng Nai được đánh giá là địa phương đi đầu về phát triển công nghiệp.",
            ["province/dong-nai"],
        ),
        ("Thành phố Hồ Chí Minh tiếp tục là đầu tàu kinh tế của cả nước.", []),
    ],
)
def test_a_leading_locality_over_a_group_or_by_its_field(resolver, tmp_path, sentence, leading):
    """ "X dẫn đầu các tỉnh Đông Nam Bộ / khu vực về phát triển công nghiệp / giá trị sản xuất
    công nghiệp", "đứng đầu vùng", "xếp thứ nhất trong vùng", a list after "các địa phương dẫn
    đầu … là", "Đứng đầu vùng về … là tỉnh X", "đi đầu": leading localities (before: none); the
    second place, a growth rate or another field ("đầu tàu kinh tế": before, a leading industrial
    locality) are none."""
    path = _write(tmp_path, *SOUTHEAST_2024, sentence)
    areas = [f.props["designatedArea"] for f in _facts(path, resolver) if f.slot == "locality"]
    assert areas == leading


@pytest.mark.parametrize(
    "sentence, directed",
    [
        ("Thứ trưởng Bộ Công Thương Trần Minh Khoa tới dự và phát biểu chỉ đạo.", True),
        ("Thứ trưởng Bộ Công Thương Trần Minh Khoa dự và có ý kiến chỉ đạo tại Hội nghị.", True),
        ("Thứ trưởng Bộ Công Thương Trần Minh Khoa phát biểu chỉ đạo Hội nghị.", True),
        (
            "Phát biểu chỉ đạo tại Hội nghị, Thứ trưởng Bộ Công Thương Trần Minh Khoa đề nghị các "
            "địa phương tăng cường liên kết.",
            True,
        ),
        (
            "Phát biểu tại Hội nghị, Thứ trưởng Bộ Công Thương Trần Minh Khoa đề nghị các địa "
            "phương tăng cường liên kết.",
            False,
        ),
    ],
)
def test_who_directed_with_the_meeting_understood_or_by_a_speech(
    resolver, tmp_path, sentence, directed
):
    """ "X tới dự và phát biểu chỉ đạo." (the meeting understood), "X dự và có ý kiến chỉ đạo tại
    Hội nghị", "X phát biểu chỉ đạo Hội nghị", "Phát biểu chỉ đạo tại Hội nghị, X …": X attended
    and directed (before: the first two not read, the last two attended only); a speech that is
    not "chỉ đạo" is attendance only."""
    path = _write(tmp_path, *SOUTHEAST_2024, sentence)
    att = [f.props for f in _facts(path, resolver) if f.slot == "attendance"]
    expected = {"attendee": "person/tran-minh-khoa"}
    if directed:
        expected["directedBy"] = "person/tran-minh-khoa"
    assert att == [expected]


@pytest.mark.parametrize(
    "sentence, host_org, inferred",
    [
        (
            "Theo kế hoạch, Hội nghị lần thứ VII năm 2025 sẽ do UBND tỉnh Tây Ninh đăng cai tổ "
            "chức.",
            "organization/ubnd-tay-ninh",
            [],
        ),
        (
            "Hội nghị lần thứ VII sẽ do Sở Công Thương tỉnh Tây Ninh đăng cai.",
            "organization/so-cong-thuong-tay-ninh",
            ["props.year"],
        ),
        (
            "Theo kế hoạch, UBND tỉnh Tây Ninh sẽ đăng cai Hội nghị lần thứ VII năm 2025.",
            "organization/ubnd-tay-ninh",
            [],
        ),
    ],
)
def test_the_next_edition_hosted_by_a_body(resolver, tmp_path, sentence, host_org, inferred):
    """ "Hội nghị lần thứ N (năm Y) sẽ do UBND / Sở Công Thương tỉnh X đăng cai (tổ chức)", "UBND
    tỉnh X sẽ đăng cai Hội nghị lần thứ N năm Y": the next edition, hosted by that body in its
    province (before: none — only "sẽ do tỉnh X" was read); without the year, the next ordinal
    is next year's (inferred)."""
    path = _write(tmp_path, *SOUTHEAST_2024, sentence)
    facts = _facts(path, resolver)
    nxt = _one(facts, "edition-2025-designated")
    assert nxt.props["hostOrganization"] == host_org
    assert nxt.props["hostProvince"] == "province/tay-ninh"
    assert nxt.props["ordinal"] == 7
    assert nxt.inferred == inferred
    assert any(f.subject == host_org for f in facts if f.slot == "entity")


def test_a_share_s_whole_is_no_new_subject_and_unread_periods_end_the_last(resolver, tmp_path):
    """ "… của tỉnh X đạt …, chiếm 38% kim ngạch xuất khẩu toàn vùng, tăng 8,4%": the growth is
    X's (before: the region's — the share's whole was read as the clause's next indicator); a
    period the rules do not read ("Giai đoạn 2021-2025", "Riêng tháng 6 năm 2024", "Tháng
    5/2024", "Từ đầu năm đến nay") is not the paragraph's earlier year (before: 2023's figures)."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "6 tháng đầu năm 2024, kim ngạch xuất khẩu của tỉnh Đồng Nai đạt 12,1 tỷ USD, chiếm 38% "
        "kim ngạch xuất khẩu toàn vùng, tăng 8,4% so với cùng kỳ.",
        "Năm 2023, chỉ số sản xuất công nghiệp toàn vùng tăng 6,1%. Giai đoạn 2021-2025, giá trị "
        "sản xuất công nghiệp toàn vùng tăng bình quân 9,2%/năm. Riêng tháng 6 năm 2024, kim "
        "ngạch xuất khẩu toàn vùng đạt 4,1 tỷ USD. Tháng 5/2024, kim ngạch nhập khẩu đạt 3 tỷ "
        "USD. Từ đầu năm đến nay, tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng toàn "
        "vùng đạt 400 nghìn tỷ đồng.",
    )
    assert _obs(_facts(path, resolver)) == {
        ("province/dong-nai", "12100000000"),
        ("province/dong-nai", "8.4"),
        ("region/southeast", "6.1"),
    }


@pytest.mark.parametrize(
    "sentence, directed",
    [
        (
            "Thứ trưởng Bộ Công Thương Trần Minh Khoa và Phó Chủ tịch UBND tỉnh Bình Dương Lê Văn "
            "Phúc đồng chủ trì Hội nghị.",
            ["person/tran-minh-khoa", "person/le-van-phuc"],
        ),
        (
            "Hội nghị do Thứ trưởng Bộ Công Thương Trần Minh Khoa và Phó Chủ tịch UBND tỉnh Bình "
            "Dương Lê Văn Phúc đồng chủ trì.",
            ["person/tran-minh-khoa", "person/le-van-phuc"],
        ),
        (
            "Thứ trưởng Bộ Công Thương Trần Minh Khoa và Phó Chủ tịch UBND tỉnh Bình Dương Lê Văn "
            "Phúc dự và phát biểu tại Hội nghị.",
            [],
        ),
    ],
)
def test_two_co_chairs_before_or_after_do(resolver, tmp_path, sentence, directed):
    """ "A và B đồng chủ trì Hội nghị", "Hội nghị do A và B đồng chủ trì": both attended and
    directed (before: only B, or neither); "X dự và phát biểu tại Hội nghị" attended (before:
    not read)."""
    path = _write(tmp_path, *SOUTHEAST_2024, sentence)
    att = [f.props for f in _facts(path, resolver) if f.slot == "attendance"]
    assert [a["directedBy"] for a in att if "directedBy" in a] == directed
    assert "person/le-van-phuc" in [a["attendee"] for a in att]


def test_targets_the_country_s_figures_and_an_index_s_level_are_no_observations(resolver, tmp_path):
    """A target ("phấn đấu …", "đặt mục tiêu …", a sentence opening "Mục tiêu năm 2025, …" or
    "Kế hoạch năm 2024, …"), the country's figure named before its indicator ("cả nước có chỉ
    số … tăng 7,5%") and a sum of money after an index ("Trong đó, X đạt 15 tỷ USD" after the
    IIP) are no observations (before: each the region's or the province's)."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "Năm 2023, chỉ số sản xuất công nghiệp toàn vùng tăng 6,1%. Năm 2024, toàn vùng phấn đấu "
        "giá trị sản xuất công nghiệp tăng 9%. Mục tiêu năm 2025, kim ngạch xuất khẩu đạt 50 tỷ "
        "USD. Kế hoạch năm 2024, kim ngạch nhập khẩu tăng 5%. Các tỉnh đặt mục tiêu tổng mức bán "
        "lẻ hàng hóa và doanh thu dịch vụ tiêu dùng năm 2024 tăng 12%.",
        "6 tháng đầu năm 2024, cả nước có chỉ số sản xuất công nghiệp tăng 7,5%; kim ngạch xuất "
        "khẩu toàn vùng đạt 45 tỷ USD.",
        "6 tháng đầu năm 2024, chỉ số sản xuất công nghiệp của tỉnh Bình Dương tăng 7,4%. Trong "
        "đó, tỉnh Bình Dương đạt 15 tỷ USD.",
    )
    assert _obs(_facts(path, resolver)) == {
        ("region/southeast", "6.1"),
        ("region/southeast", "45000000000"),
        ("province/binh-duong", "7.4"),
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "Tính riêng tỉnh Tây Ninh, chỉ số sản xuất công nghiệp tăng 9,4%.",
        "Tỉnh Tây Ninh: chỉ số sản xuất công nghiệp tăng 9,4%.",
        "Báo cáo của Sở Công Thương tỉnh Tây Ninh cho thấy, chỉ số sản xuất công nghiệp tăng 9,4%.",
        "Riêng đối với tỉnh Tây Ninh, chỉ số sản xuất công nghiệp tăng 9,4%.",
        "Ở tỉnh Tây Ninh, chỉ số sản xuất công nghiệp tăng 9,4%.",
        "Trên địa bàn tỉnh Tây Ninh, chỉ số sản xuất công nghiệp tăng 9,4%.",
        "Tây Ninh có chỉ số sản xuất công nghiệp tăng 9,4%.",
        "Ông Trần Văn Hai, Giám đốc Sở Công Thương tỉnh Tây Ninh cho biết, chỉ số sản xuất công "
        "nghiệp của địa phương tăng 9,4%.",
        "Theo số liệu của Cục Thống kê tỉnh Tây Ninh, chỉ số sản xuất công nghiệp tăng 9,4%.",
    ],
)
def test_more_openings_of_a_province_s_clause(resolver, tmp_path, sentence):
    """ "Tính riêng tỉnh X, …", "Tỉnh X: …", "Báo cáo của Sở Công Thương tỉnh X cho thấy, …",
    "Riêng đối với tỉnh X, …", "Ở / Trên địa bàn tỉnh X, …", a bare name as the subject ("X
    có …"), "… của địa phương" after X's official, "Theo (số liệu của) Cục Thống kê tỉnh X, …":
    X's figures (before: the region's)."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "6 tháng đầu năm 2024, kim ngạch xuất khẩu toàn vùng đạt 45 tỷ USD. " + sentence,
    )
    assert _obs(_facts(path, resolver)) == {
        ("region/southeast", "45000000000"),
        ("province/tay-ninh", "9.4"),
    }


def test_a_group_of_provinces_figure_is_no_one_province_s(resolver, tmp_path):
    """ "kim ngạch xuất khẩu của tỉnh A và tỉnh B đạt …, tăng …", "… của tỉnh A, B đạt …", "A và
    B lần lượt tăng …": a group's sum, or which is whose cannot be told — no figure, nor for the
    sentence's next indicator (before: all B's); one province per clause stays its own."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "6 tháng đầu năm 2024, kim ngạch xuất khẩu của tỉnh Tây Ninh và tỉnh Bình Phước đạt 6,2 "
        "tỷ USD, tăng 8,1%; kim ngạch nhập khẩu đạt 4,4 tỷ USD.",
        "6 tháng đầu năm 2024, tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng của tỉnh "
        "Tây Ninh, Bình Phước đạt 90 nghìn tỷ đồng.",
        "6 tháng đầu năm 2024, chỉ số sản xuất công nghiệp của tỉnh Bình Dương và tỉnh Đồng Nai "
        "lần lượt tăng 9,1% và 7,3%; tỉnh Tây Ninh tăng 10,2%.",
    )
    assert _obs(_facts(path, resolver)) == {("province/tay-ninh", "10.2")}


def test_periods_of_the_current_year_said_in_words(resolver, tmp_path):
    """ "Trong 9 tháng qua, …", "Quý I năm nay, …": the months of the edition's year (inferred;
    before: the paragraph's earlier year, or no figure); "6 tháng cuối năm, …" is not read and
    takes no earlier period (before: the paragraph's year)."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "Năm 2023, chỉ số sản xuất công nghiệp toàn vùng tăng 6,1%. Trong 9 tháng qua, kim ngạch "
        "xuất khẩu toàn vùng đạt 45 tỷ USD.",
        "Quý I năm nay, kim ngạch nhập khẩu toàn vùng đạt 21 tỷ USD.",
        "Năm 2023, giá trị sản xuất công nghiệp toàn vùng tăng 7,7%. 6 tháng cuối năm, tổng mức "
        "bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng toàn vùng đạt 400 nghìn tỷ đồng.",
    )
    obs = {
        (f.props["refPeriod"], f.props["value"], tuple(f.inferred))
        for f in _facts(path, resolver)
        if f.type == "Observation"
    }
    assert obs == {
        ("period/2023", "6.1", ()),
        ("period/2024-01--2024-09", "45000000000", ("props.refPeriod",)),
        ("period/2024-01--2024-03", "21000000000", ("props.refPeriod",)),
        ("period/2023", "7.7", ()),
    }


def test_the_indicators_other_names_and_a_sector_named_after_it(resolver, tmp_path):
    """ "giá trị sản xuất toàn ngành công nghiệp", "IIP toàn vùng tăng …" (the indicators by
    other names; before: not read); "chỉ số sản xuất công nghiệp chế biến, chế tạo tăng …",
    "giá trị sản xuất ngành công nghiệp chế biến …": a sector's, no figure (before: the whole's,
    the region's)."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "6 tháng đầu năm 2024, giá trị sản xuất toàn ngành công nghiệp của vùng đạt 1.250 nghìn "
        "tỷ đồng; IIP toàn vùng tăng 8,1%, cùng kỳ IIP của cả nước tăng 7,2%. Giá trị sản xuất "
        "ngành công nghiệp chế biến, chế tạo tăng 9%; chỉ số sản xuất công nghiệp khai khoáng "
        "giảm 3%.",
    )
    assert _obs(_facts(path, resolver)) == {
        ("region/southeast", "1250000000000000"),
        ("region/southeast", "8.1"),
    }


def test_the_base_named_as_the_same_months_or_as_the_quarter_before(resolver, tmp_path):
    """ "tăng 8,1% so với 6 tháng đầu năm 2023", "so với cùng thời điểm năm trước": year-on-year
    (the base is named; before: growth); "so với quý IV/2023", "so với quý trước", "so với tháng
    trước": another base, no observation of the period (before: growth)."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "6 tháng đầu năm 2024, chỉ số sản xuất công nghiệp toàn vùng tăng 8,1% so với 6 tháng đầu "
        "năm 2023; kim ngạch xuất khẩu tăng 5% so với cùng thời điểm năm trước.",
        "Quý I/2024, kim ngạch nhập khẩu toàn vùng tăng 2,1% so với quý IV/2023. Quý II/2024, "
        "tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng toàn vùng tăng 3% so với quý "
        "trước.",
    )
    assert _kinds(_facts(path, resolver)) == {
        "8.1": "ctkg:yearOnYearGrowth",
        "5": "ctkg:yearOnYearGrowth",
    }


def test_an_indicator_s_province_named_without_tinh(resolver, tmp_path):
    """ "kim ngạch xuất khẩu của TP.HCM đạt …, tăng …; kim ngạch nhập khẩu đạt …", "… của Bình
    Dương tăng …; …": the province's, carried to the sentence's next indicator (before: the next
    indicator was the region's)."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "6 tháng đầu năm 2024, kim ngạch xuất khẩu của TP.HCM đạt 20 tỷ USD, tăng 5%; kim ngạch "
        "nhập khẩu đạt 18 tỷ USD. Chỉ số sản xuất công nghiệp của Bình Dương tăng 9%; tổng mức "
        "bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng đạt 100 nghìn tỷ đồng.",
    )
    assert _obs(_facts(path, resolver)) == {
        ("province/ho-chi-minh", "20000000000"),
        ("province/ho-chi-minh", "5"),
        ("province/ho-chi-minh", "18000000000"),
        ("province/binh-duong", "9"),
        ("province/binh-duong", "100000000000000"),
    }


@pytest.mark.parametrize(
    "sentence, ordinal, handover, inferred",
    [
        (
            "Bế mạc Hội nghị, UBND tỉnh Bình Dương đã trao cờ đăng cai cho UBND tỉnh Tây Ninh, địa "
            "phương đăng cai Hội nghị lần thứ VII năm 2025.",
            7,
            True,
            [],
        ),
        (
            "Bế mạc Hội nghị, UBND tỉnh Bình Dương đã trao cờ đăng cai cho UBND tỉnh Tây Ninh.",
            7,
            True,
            ["props.ordinal", "props.year"],
        ),
        (
            "Tại Hội nghị, UBND tỉnh Tây Ninh đã nhận cờ đăng cai Hội nghị lần thứ VII năm 2025.",
            7,
            False,
            [],
        ),
        (
            "Hội nghị thống nhất chọn tỉnh Tây Ninh là địa phương đăng cai Hội nghị lần thứ VII "
            "năm 2025.",
            7,
            False,
            [],
        ),
    ],
)
def test_the_next_edition_handed_to_a_host_named_first(
    resolver, tmp_path, sentence, ordinal, handover, inferred
):
    """ "A đã trao cờ đăng cai cho B(, địa phương đăng cai Hội nghị lần thứ N năm Y)" (the
    edition after B; none named: the next ordinal, next year, inferred), "B đã nhận cờ đăng cai
    Hội nghị … " (from whom not said), "chọn tỉnh B là địa phương đăng cai …": B hosts the 2025
    edition (before: none of them read)."""
    path = _write(tmp_path, *SOUTHEAST_2024, sentence)
    facts = _facts(path, resolver)
    nxt = _one(facts, "edition-2025-designated")
    assert nxt.props["hostProvince"] == "province/tay-ninh"
    assert nxt.props["ordinal"] == ordinal
    assert nxt.inferred == inferred
    assert any(f.type == "HostingHandover" for f in facts) == handover


def test_a_national_conference_is_a_series_with_only_provinces_figures(resolver, tmp_path):
    """A national conference of the Ministry ("Hội nghị toàn quốc về …", "Diễn đàn toàn quốc
    về …") with an edition after it is a series, like a regional one (before: no group of
    provinces in the name, so the article gave nothing); the country's figures there are context
    (no observation), a named province's are observations."""
    name = "Hội nghị toàn quốc về phát triển thương mại điện tử lần thứ 3"
    path = _write(
        tmp_path,
        f"{name} năm 2026",
        "Nghệ An, 12/9/2026 - Sáng 11/9, tại tỉnh Nghệ An, Bộ Công Thương chủ trì, phối hợp với "
        f"UBND tỉnh Nghệ An tổ chức {name}.",
        "8 tháng năm 2026, chỉ số sản xuất công nghiệp toàn ngành tăng 8,1% so với cùng kỳ. "
        "8 tháng năm 2026, kim ngạch xuất khẩu của tỉnh Nghệ An đạt 2.150 triệu USD, tăng 12,4%.",
    )
    facts = _facts(path, resolver)
    assert _series(facts) == ["series/hoi-nghi-toan-quoc-ve-phat-trien-thuong-mai-dien-tu"]
    assert _one(facts, "edition").props["ordinal"] == 3
    obs = {(f.props["refArea"], f.props["value"]) for f in facts if f.type == "Observation"}
    assert obs == {("province/nghe-an", "2150000000"), ("province/nghe-an", "12.4")}


def test_a_ministry_unit_the_graph_lacks_named_after_its_heads_post(resolver, tmp_path):
    """A unit the graph does not hold ("Vụ …", "Cục …") is a ministry's unit when the article
    says so: after its head's post ("Vụ trưởng Vụ Thị trường trong nước, …", "Phó Cục trưởng Cục
    Xuất nhập khẩu Y") or with ", Bộ Công Thương" after it, and then everywhere in the article (a
    co-organiser "phối hợp với Cục Xuất nhập khẩu tổ chức"); a unit of a province ("Cục trưởng
    Cục Thống kê tỉnh X") is none. Before: no membership and no organiser for such a unit."""
    path = _write(
        tmp_path,
        "Hội nghị ngành Công Thương các tỉnh Đông Nam Bộ lần thứ VI năm 2024",
        "10/8/2024 - Ngày 9/8/2024, tại tỉnh Bình Dương, Sở Công Thương tỉnh Bình Dương phối hợp "
        "với Cục Xuất nhập khẩu tổ chức Hội nghị ngành Công Thương các tỉnh Đông Nam Bộ lần thứ "
        "VI.",
        "Dự Hội nghị có ông Lê Văn Hải, Vụ trưởng Vụ Kế hoạch - Tài chính, Bộ Công Thương; ông "
        "Trần Minh Khoa, Vụ trưởng Vụ Thị trường châu Á; Phó Cục trưởng Cục Xuất nhập khẩu Đào "
        "Thị Thu; ông Phan Văn Lực, Cục trưởng Cục Thống kê tỉnh Bình Dương.",
    )
    facts = _facts(path, resolver)
    members = _members(facts)
    khoa = ("person/tran-minh-khoa", "role/vu-truong", "organization/vu-thi-truong-chau-a")
    thu = ("person/dao-thi-thu", "role/pho-cuc-truong", "organization/cuc-xuat-nhap-khau")
    assert khoa in members and thu in members
    assert not any("thong-ke" in m[2] for m in members)
    organisers = _one(facts, "edition-organisers").props
    assert organisers["coOrganizer"] == "organization/cuc-xuat-nhap-khau"
    types = {f.subject: f.type for f in facts if f.slot == "entity"}
    assert types["organization/cuc-xuat-nhap-khau"] == "MinistryUnit"


def test_rose_to_lead_and_months_before_a_price_base(resolver, tmp_path):
    """ "Tỉnh X đã vươn lên dẫn đầu các tỉnh … về phát triển công nghiệp" is a leading locality;
    "9 tháng (theo giá so sánh 2010) ước đạt …" is the nine months' figure (before: no locality,
    and the months were not read as a period, so the figures had none)."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "Hội nghị đánh giá tỉnh Tây Ninh đã vươn lên dẫn đầu các tỉnh Đông Nam Bộ về phát triển "
        "công nghiệp.",
        "Riêng tỉnh Tây Ninh, giá trị sản xuất công nghiệp 9 tháng (theo giá so sánh 2010) ước đạt "
        "41.250 tỷ đồng, tăng 8,3%.",
    )
    facts = _facts(path, resolver)
    assert [f.props["designatedArea"] for f in facts if f.type == "LocalityDesignation"] == [
        "province/tay-ninh"
    ]
    obs = {(f.props["refPeriod"], f.props["value"]) for f in facts if f.type == "Observation"}
    assert obs == {
        ("period/2024-01--2024-09", "41250000000000"),
        ("period/2024-01--2024-09", "8.3"),
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "Hội nghị lần thứ 7 năm 2024 sẽ do UBND tỉnh Thái Bình phối hợp với Bộ Công Thương tổ "
        "chức.",
        "Theo Ban tổ chức, Hội nghị lần thứ 7 năm 2024 sẽ do UBND tỉnh Thái Bình tổ chức.",
    ],
)
def test_the_next_edition_organised_by_a_body_with_the_ministry(resolver, tmp_path, sentence):
    """ "Hội nghị lần thứ N năm Y sẽ do UBND tỉnh X phối hợp với Bộ Công Thương tổ chức" (or "sẽ
    do UBND tỉnh X tổ chức") designates the next edition, hosted by that body (before: only "…
    đăng cai" was read)."""
    path = _write(tmp_path, *RED_RIVER_2023, sentence)
    nxt = _one(_facts(path, resolver), "edition-2024-designated")
    assert nxt.props["hostProvince"] == "province/thai-binh" and nxt.props["ordinal"] == 7
    assert nxt.props["hostOrganization"] == "organization/ubnd-thai-binh"


@pytest.mark.parametrize(
    "where, province",
    [
        ("Trung tâm Hội nghị tỉnh, phường Tân Lợi, tỉnh Đắk Lắk", "province/dak-lak"),
        ("Nhà văn hóa Lao động, số 12 đường Hùng Vương, tỉnh Gia Lai", "province/gia-lai"),
        ("Trung tâm Hội nghị tỉnh ở thành phố Kon Tum", "province/kon-tum"),
        ("thành phố Pleiku", "province/gia-lai"),
        ("khách sạn Hoàng Anh ở TP. Buôn Ma Thuột", "province/dak-lak"),
        ("Hội nghị, Giám đốc Sở Công Thương tỉnh Gia Lai", None),
        ("khách sạn Sao Mai, ông Trần Văn Bình, tỉnh Gia Lai", None),
    ],
)
def test_a_venue_s_address_and_a_city_that_is_not_its_province(resolver, tmp_path, where, province):
    """The province at the end of a venue's address ("…, phường X, tỉnh Y", "… ở thành phố Y")
    and a city whose name is not its province's ("tại thành phố Pleiku" is in Gia Lai); before:
    no place. Only units of an address may stand between the venue and the province."""
    path = _write(
        tmp_path,
        "Hội nghị ngành Công Thương các tỉnh Tây Nguyên lần thứ IX năm 2021",
        f"26/11/2021 - Ngày 25/11/2021, tại {where}, Bộ Công Thương tổ chức Hội nghị ngành "
        "Công Thương các tỉnh Tây Nguyên lần thứ IX.",
    )
    places = [f.props["heldIn"] for f in _facts(path, resolver) if f.id == "edition-place"]
    assert places == ([province] if province else [])


def test_a_city_of_a_province_that_had_ended_names_no_place(resolver, tmp_path):
    """ "tại thành phố Đồng Hới" in 2026: tỉnh Quảng Bình had ended (2025), so no place is
    proposed rather than a province of another time; in 2023 it is Quảng Bình."""
    for n, (year, expected) in enumerate([(2023, ["province/quang-binh"]), (2026, [])]):
        path = _write(
            tmp_path,
            f"Hội nghị Hợp tác phát triển công thương các tỉnh Bắc Trung Bộ lần thứ II năm {year}",
            f"10/6/{year} - Ngày 9/6/{year}, tại thành phố Đồng Hới, Bộ Công Thương tổ chức Hội "
            "nghị Hợp tác phát triển công thương các tỉnh Bắc Trung Bộ lần thứ II.",
            name=f"c{n}.txt",
        )
        places = [f.props["heldIn"] for f in _facts(path, resolver) if f.id == "edition-place"]
        assert places == expected


@pytest.mark.parametrize(
    "title, body, province",
    [
        (
            "Gia Lai đăng cai Hội nghị ngành Công Thương các tỉnh Tây Nguyên lần thứ IX",
            "26/11/2021 - Ngày 25/11/2021, Bộ Công Thương tổ chức Hội nghị ngành Công Thương các "
            "tỉnh Tây Nguyên lần thứ IX năm 2021.",
            "province/gia-lai",
        ),
        (
            "Hội nghị ngành Công Thương các tỉnh Tây Nguyên lần thứ IX năm 2021",
            "Đắk Lắk, 26/11/2021 - Ngày 25/11, Bộ Công Thương tổ chức Hội nghị ngành Công Thương "
            "các tỉnh Tây Nguyên lần thứ IX.",
            "province/dak-lak",
        ),
        (  # the sentence's "tại" wins over the dateline
            "Hội nghị ngành Công Thương các tỉnh Tây Nguyên lần thứ IX năm 2021",
            "Đắk Lắk, 26/11/2021 - Ngày 25/11, tại tỉnh Kon Tum, Bộ Công Thương tổ chức Hội nghị "
            "ngành Công Thương các tỉnh Tây Nguyên lần thứ IX.",
            "province/kon-tum",
        ),
        (
            "Hội nghị ngành Công Thương các tỉnh Tây Nguyên lần thứ IX năm 2021",
            "26/11/2021 - Ngày 25/11, Bộ Công Thương tổ chức Hội nghị ngành Công Thương các tỉnh "
            "Tây Nguyên lần thứ IX.",
            None,
        ),
    ],
)
def test_the_host_in_the_headline_or_the_dateline_s_place(
    resolver, tmp_path, title, body, province
):
    """No sentence says where: "X đăng cai Hội nghị …" in the headline, else the dateline's
    province ("Đắk Lắk, 26/11/2021 - "), is the place (before: none); a "tại" comes first."""
    path = _write(tmp_path, title, body)
    places = [f.props["heldIn"] for f in _facts(path, resolver) if f.id == "edition-place"]
    assert places == ([province] if province else [])


def test_a_province_opening_the_sentence_with_its_verb_owns_its_figures(resolver, tmp_path):
    """ "Tỉnh X tiếp tục dẫn đầu vùng về kim ngạch xuất khẩu, đạt …, tăng …": the sentence's
    subject is X, so its figures are X's (before: the region's, a resolution error); "Tỉnh X và
    tỉnh Y …" names no one province, and a bare region's sentence stays the region's."""
    path = _write(
        tmp_path,
        "Hội nghị ngành Công Thương các tỉnh Tây Nguyên lần thứ IX năm 2021",
        "26/11/2021 - Ngày 25/11/2021, tại tỉnh Gia Lai, Bộ Công Thương tổ chức Hội nghị ngành "
        "Công Thương các tỉnh Tây Nguyên lần thứ IX.",
        "9 tháng đầu năm 2021, kim ngạch xuất khẩu toàn vùng đạt 2.140 triệu USD, tăng 6,4%. "
        "Tỉnh Kon Tum tiếp tục dẫn đầu vùng về giá trị sản xuất công nghiệp, ước đạt 31.250 tỷ "
        "đồng, tăng 12,5% so với cùng kỳ.",
    )
    obs = {
        (f.props["refArea"], f.props["value"])
        for f in _facts(path, resolver)
        if f.type == "Observation"
    }
    assert ("province/kon-tum", "12.5") in obs and ("province/kon-tum", "31250000000000") in obs
    assert not any(v in ("12.5", "31250000000000") for a, v in obs if a != "province/kon-tum")
    assert ("region/central-highlands", "6.4") in obs


def test_a_ministry_unit_whose_name_joins_two_words_with_a_dash(resolver, tmp_path):
    """ "Vụ Kế hoạch – Tài chính" (an en dash or a hyphen between spaces) is one unit: after its
    head's post, with ", Bộ Công Thương", and as a co-organiser "với sự phối hợp của Vụ … (Bộ
    Công Thương)" (before: the name stopped at the dash, so no membership and no organiser)."""
    path = _write(
        tmp_path,
        "Hội nghị ngành Công Thương các tỉnh Đông Nam Bộ lần thứ VI năm 2024",
        "10/8/2024 - Ngày 9/8/2024, tại tỉnh Bình Dương, Sở Công Thương tỉnh Bình Dương chủ trì "
        "tổ chức Hội nghị ngành Công Thương các tỉnh Đông Nam Bộ lần thứ VI, với sự phối hợp của "
        "Vụ Pháp chế – Tổng hợp (Bộ Công Thương).",
        "Dự Hội nghị có ông Lê Văn Hải, Vụ trưởng Vụ Kế hoạch - Tài chính, Bộ Công Thương; bà "
        "Trần Thu Nga, Phó Vụ trưởng Vụ Pháp chế – Tổng hợp.",
    )
    facts = _facts(path, resolver)
    members = _members(facts)
    assert ("person/le-van-hai", "role/vu-truong", "organization/vu-ke-hoach-tai-chinh") in members
    assert (
        "person/tran-thu-nga",
        "role/pho-vu-truong",
        "organization/vu-phap-che-tong-hop",
    ) in members
    organisers = _one(facts, "edition-organisers").props
    assert organisers["coOrganizer"] == "organization/vu-phap-che-tong-hop"


@pytest.mark.parametrize(
    "organisers, expected",
    [
        (
            "Sở Công Thương tỉnh Bình Dương chủ trì, phối hợp với Cục Phát triển thị trường tổ "
            "chức Hội nghị ngành Công Thương các tỉnh Đông Nam Bộ lần thứ VI",
            "organization/cuc-phat-trien-thi-truong",
        ),
        (
            "UBND tỉnh Bình Dương chủ trì tổ chức Hội nghị ngành Công Thương các tỉnh Đông Nam Bộ "
            "lần thứ VI, với sự phối hợp của Cục Công Thương địa phương và Cục Phát triển thị "
            "trường, Bộ Công Thương",
            [
                "organization/cuc-cong-thuong-dia-phuong",
                "organization/cuc-phat-trien-thi-truong",
            ],
        ),
        (
            "Sở Công Thương tỉnh Bình Dương phối hợp với Cục Thống kê tỉnh Bình Dương tổ chức Hội "
            "nghị ngành Công Thương các tỉnh Đông Nam Bộ lần thứ VI",
            None,
        ),
    ],
)
def test_co_organising_units_of_the_ministry(resolver, tmp_path, organisers, expected):
    """A "Cục …"/"Vụ …" the organisers' sentence names as a co-organiser ("phối hợp với Cục …
    tổ chức", "với sự phối hợp của Cục A và Cục B, Bộ Công Thương") is a ministry's unit, each
    of a list co-organises, and the ministry after the last is the unit's, not an organiser
    (before: an unknown unit was dropped, and only the first of a list read); a province's
    "Cục Thống kê tỉnh X" is none."""
    path = _write(
        tmp_path,
        "Hội nghị ngành Công Thương các tỉnh Đông Nam Bộ lần thứ VI năm 2024",
        f"10/8/2024 - Ngày 9/8/2024, tại tỉnh Bình Dương, {organisers}.",
    )
    props = _one(_facts(path, resolver), "edition-organisers").props
    assert props.get("coOrganizer") == expected


def test_a_base_named_for_one_province_is_not_the_next_one_s(resolver, tmp_path):
    """ "tỉnh A đạt …, tăng 10,2% so với cùng kỳ; tỉnh B đạt …, tăng 9,1%": B's rate names no
    base, so it is growth (before: year-on-year, the base of A's clause carried over the ";");
    a base after the figure's own clause still counts."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "9 tháng đầu năm 2024, kim ngạch xuất khẩu của các tỉnh trong vùng đều tăng. Trong đó, "
        "tỉnh Bình Dương đạt 24.310 triệu USD, tăng 10,2% so với cùng kỳ; tỉnh Đồng Nai đạt "
        "19.870 triệu USD, tăng 9,1%; tỉnh Tây Ninh đạt 6.240 triệu USD, tăng 7,3% so với cùng "
        "kỳ năm 2023.",
    )
    assert {
        v: k for v, k in _kinds(_facts(path, resolver)).items() if v in ("10.2", "9.1", "7.3")
    } == {
        "10.2": "ctkg:yearOnYearGrowth",
        "9.1": "ctkg:growth",
        "7.3": "ctkg:yearOnYearGrowth",
    }


def test_a_series_named_after_a_region_without_the_provinces(resolver, tmp_path):
    """ "Hội nghị … vùng Tây Nguyên" / "… khu vực Tây Nguyên" (no "các tỉnh"): the figures of the
    whole are the region's (before: the series had no area, so no figure at all)."""
    for n, word in enumerate(["vùng", "khu vực"]):
        path = _write(
            tmp_path,
            f"Hội nghị Liên kết phát triển công thương {word} Tây Nguyên lần thứ 2 năm 2024",
            f"10/8/2024 - Ngày 9/8/2024, tại tỉnh Gia Lai, Sở Công Thương tỉnh Gia Lai tổ chức "
            f"Hội nghị Liên kết phát triển công thương {word} Tây Nguyên lần thứ 2.",
            "6 tháng đầu năm 2024, kim ngạch xuất khẩu của các tỉnh trong vùng ước đạt 1.520 "
            "triệu USD, tăng 7,4% so với cùng kỳ. Trong đó, tỉnh Kon Tum đạt 210 triệu USD.",
            name=f"r{n}.txt",
        )
        assert _obs(_facts(path, resolver)) == {
            ("region/central-highlands", "1520000000"),
            ("region/central-highlands", "7.4"),
            ("province/kon-tum", "210000000"),
        }


def test_a_turnover_s_short_name_for_one_province_after_the_region_s(resolver, tmp_path):
    """ "… kim ngạch xuất khẩu toàn vùng đạt …. Trong đó, xuất khẩu của tỉnh X đạt …, tăng …":
    the short name goes on with the sentence before's turnover, and the figures are X's (before:
    none); "Trong đó, xuất khẩu nông sản đạt …" (a part, no province) stays no observation."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "6 tháng đầu năm 2024, kim ngạch xuất khẩu toàn vùng đạt 48,6 tỷ USD, tăng 11,2%. Trong "
        "đó, xuất khẩu của tỉnh Đồng Nai đạt 12,4 tỷ USD, tăng 9,6%. Trong đó, xuất khẩu nông "
        "sản đạt 3,1 tỷ USD.",
    )
    obs = _obs(_facts(path, resolver))
    assert {("province/dong-nai", "12400000000"), ("province/dong-nai", "9.6")} <= obs
    assert not any(v == "3100000000" for _a, v in obs)


@pytest.mark.parametrize(
    "opener",
    [
        "Tới dự Hội nghị có các ông:",
        "Tham dự Hội nghị có các ông, bà:",
        "Về phía các địa phương có ông",
        "Về phía tỉnh Đồng Nai có ông",
    ],
)
def test_an_attendance_list_after_cac_ong_or_ve_phia(resolver, tmp_path, opener):
    """ "Tới dự Hội nghị có các ông: X, …; Y, …", "Về phía các địa phương có ông X, …": the
    list's people attended (before: none of them)."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        f"{opener} Trần Văn Hai, Phó Chủ tịch UBND tỉnh Tây Ninh; Lê Quốc Hòa, Giám đốc Sở Công "
        "Thương tỉnh Đồng Nai.",
    )
    facts = _facts(path, resolver)
    assert {f.props["attendee"] for f in facts if f.slot == "attendance"} == {
        "person/tran-van-hai",
        "person/le-quoc-hoa",
    }


def test_who_directed_with_the_unit_s_ministry_before_the_verb(resolver, tmp_path):
    """ "Đồng chí X, Cục trưởng Cục …, Bộ Công Thương dự và phát biểu chỉ đạo Hội nghị": X
    attended and directed (before: the ministry between the post and the verb hid both)."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "Đồng chí Hoàng Văn Lâm, Cục trưởng Cục Công Thương địa phương, Bộ Công Thương dự và "
        "phát biểu chỉ đạo Hội nghị.",
    )
    att = [f.props for f in _facts(path, resolver) if f.slot == "attendance"]
    assert att == [{"attendee": "person/hoang-van-lam", "directedBy": "person/hoang-van-lam"}]


def test_an_attendance_list_at_a_video_link_point(resolver, tmp_path):
    """ "Dự tại điểm cầu tỉnh X có A; B và gần 40 doanh nghiệp …": the list's people attended and
    the counted group took part (before: none of them)."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "Dự tại điểm cầu Tây Ninh có Phó Chủ tịch UBND tỉnh Tây Ninh Trần Văn Hai; Giám đốc Sở "
        "Công Thương tỉnh Tây Ninh Lê Quốc Hòa và gần 40 doanh nghiệp trên địa bàn tỉnh.",
    )
    facts = _facts(path, resolver)
    assert {f.props["attendee"] for f in facts if f.slot == "attendance"} == {
        "person/tran-van-hai",
        "person/le-quoc-hoa",
    }
    assert len([f for f in facts if f.type == "ParticipantGroup"]) == 1


@pytest.mark.parametrize(
    ("title", "quotes"),
    [
        (  # the prefix names the province, the headline names no conference: the body only
            "Tây Ninh: Mở rộng đầu ra cho nông sản của vùng Đông Nam Bộ",
            ["tại Trung tâm Hội nghị tỉnh Tây Ninh"],
        ),
        (  # the headline names the conference: the body's sentence, and the headline besides
            "Tây Ninh: Khai mạc Hội nghị ngành Công Thương các tỉnh Đông Nam Bộ lần thứ IV",
            [
                "tại Trung tâm Hội nghị tỉnh Tây Ninh",
                "Tây Ninh: Khai mạc Hội nghị ngành Công Thương các tỉnh Đông Nam Bộ lần thứ IV",
            ],
        ),
    ],
)
def test_the_body_s_venue_before_a_headline_s_place_prefix(resolver, tmp_path, title, quotes):
    """ "X: …" heads the article and the body says "tại Trung tâm Hội nghị tỉnh X (thành phố Y)":
    the body's sentence is the place's evidence (before: only the headline, whose prefix names a
    place, not the meeting's); the headline is evidence too when it names the conference."""
    path = _write(
        tmp_path,
        title,
        "15/6/2022 - Ngày 14/6/2022, tại Trung tâm Hội nghị tỉnh Tây Ninh (thành phố Tây Ninh), "
        "Sở Công "
        "Thương tỉnh Tây Ninh tổ chức Hội nghị ngành Công Thương các tỉnh Đông Nam Bộ lần thứ IV "
        "năm 2022.",
    )
    facts = [f for f in _facts(path, resolver) if f.slot == "place"]
    assert [f.quote for f in facts] == quotes
    assert {f.props["heldIn"] for f in facts} == {"province/tay-ninh"}


def test_the_designated_edition_from_the_clause_that_names_it(resolver, tmp_path):
    """ "Hội nghị lần thứ V năm 2023 sẽ do tỉnh B đăng cai; UBND tỉnh A đã trao cờ đăng cai cho
    UBND tỉnh B": the designated edition is the clause that names it, ordinal and year as said
    (before: quoted from "cho UBND tỉnh B", its ordinal inferred); the hand-over stays the
    flag's clause."""
    path = _write(
        tmp_path,
        "Hội nghị ngành Công Thương các tỉnh Đông Nam Bộ lần thứ IV năm 2022",
        "15/6/2022 - Ngày 14/6/2022, tại tỉnh Tây Ninh, Sở Công Thương tỉnh Tây Ninh tổ chức "
        "Hội nghị ngành Công Thương các tỉnh Đông Nam Bộ lần thứ IV năm 2022.",
        "Hội nghị lần thứ V năm 2023 sẽ do tỉnh Bình Phước đăng cai; UBND tỉnh Tây Ninh đã trao "
        "cờ đăng cai cho UBND tỉnh Bình Phước.",
    )
    facts = _facts(path, resolver)
    nxt = _one(facts, "edition-2023-designated")
    assert nxt.quote == "Hội nghị lần thứ V năm 2023 sẽ do tỉnh Bình Phước đăng cai"
    assert (nxt.props["ordinal"], nxt.props["hostProvince"]) == (5, "province/binh-phuoc")
    assert "props.ordinal" not in nxt.inferred
    handover = _one(facts, "handover")
    assert handover.quote == "UBND tỉnh Tây Ninh đã trao cờ đăng cai cho UBND tỉnh Bình Phước"


def test_a_group_of_firms_after_va_cac_is_its_own(resolver, tmp_path):
    """ "… cùng đại diện lãnh đạo Sở Công Thương các tỉnh A, B và các doanh nghiệp tiêu biểu
    trong vùng": two groups, the departments' and the firms' (before: one group of both)."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "Tham dự Hội nghị có đại diện lãnh đạo Sở Công Thương các tỉnh Tây Ninh, Đồng Nai và các "
        "doanh nghiệp tiêu biểu trong vùng.",
    )
    groups = [f.quote for f in _facts(path, resolver) if f.type == "ParticipantGroup"]
    assert groups == [
        "đại diện lãnh đạo Sở Công Thương các tỉnh Tây Ninh, Đồng Nai",
        "các doanh nghiệp tiêu biểu trong vùng",
    ]


def test_a_post_of_several_departments_is_a_group(resolver, tmp_path):
    """ "…; Giám đốc Sở Công Thương các tỉnh A, B, C cùng hơn 150 doanh nghiệp": the directors of
    several departments are a participant group (before: dropped, no person and no group)."""
    path = _write(
        tmp_path,
        *SOUTHEAST_2024,
        "Tham dự Hội nghị có ông Lê Quốc Hòa, Giám đốc Sở Công Thương tỉnh Tây Ninh; Giám đốc Sở "
        "Công Thương các tỉnh Đồng Nai, Bình Phước, Bình Dương cùng hơn 150 doanh nghiệp.",
    )
    groups = [f.quote for f in _facts(path, resolver) if f.type == "ParticipantGroup"]
    assert groups == [
        "Giám đốc Sở Công Thương các tỉnh Đồng Nai, Bình Phước, Bình Dương",
        "hơn 150 doanh nghiệp",
    ]


@pytest.mark.parametrize(
    "organisers, expected",
    [
        (
            "Sở Công Thương tỉnh Bình Dương chủ trì, phối hợp với Cục Phát triển thị trường, Bộ "
            "Công Thương tổ chức Hội nghị ngành Công Thương các tỉnh Đông Nam Bộ lần thứ VI",
            {
                "organizer": "organization/so-cong-thuong-binh-duong",
                "coOrganizer": "organization/cuc-phat-trien-thi-truong",
            },
        ),
        (
            "UBND tỉnh Bình Dương chủ trì, phối hợp với Cục Công Thương địa phương, Bộ Công "
            "Thương và Sở Công Thương tỉnh Bình Dương tổ chức Hội nghị ngành Công Thương các "
            "tỉnh Đông Nam Bộ lần thứ VI",
            {
                "organizer": "organization/ubnd-binh-duong",
                "coOrganizer": [
                    "organization/cuc-cong-thuong-dia-phuong",
                    "organization/so-cong-thuong-binh-duong",
                ],
            },
        ),
    ],
)
def test_the_ministry_after_a_co_organising_unit_is_the_unit_s(
    resolver, tmp_path, organisers, expected
):
    """ "A chủ trì, phối hợp với Cục B, Bộ Công Thương tổ chức": "Bộ Công Thương" after the unit
    and a comma names the unit's ministry, not a third organiser (before: the Ministry was
    proposed as a co-organiser too)."""
    path = _write(
        tmp_path,
        "Hội nghị ngành Công Thương các tỉnh Đông Nam Bộ lần thứ VI năm 2024",
        f"10/8/2024 - Ngày 9/8/2024, tại tỉnh Bình Dương, {organisers}.",
    )
    assert _one(_facts(path, resolver), "edition-organisers").props == expected


@pytest.mark.parametrize(
    "organisers, expected",
    [
        (
            "Hội nghị do UBND tỉnh Bình Dương và Bộ Công Thương phối hợp tổ chức",
            {
                "organizer": "organization/ubnd-binh-duong",
                "coOrganizer": "organization/bo-cong-thuong",
            },
        ),
        (
            "Bộ Công Thương và UBND tỉnh Bình Dương cùng phối hợp tổ chức Hội nghị",
            {
                "organizer": "organization/bo-cong-thuong",
                "coOrganizer": "organization/ubnd-binh-duong",
            },
        ),
        (
            "Hội nghị do UBND tỉnh Bình Dương tổ chức",
            {"organizer": "organization/ubnd-binh-duong"},
        ),
    ],
)
def test_a_and_b_phoi_hop_to_chuc(resolver, tmp_path, organisers, expected):
    """ "Hội nghị do A và B phối hợp tổ chức": as with "A phối hợp với B tổ chức", the first
    named organises and the others co-organise, one organiser per edition as in the seed
    (before: both read as organisers)."""
    path = _write(
        tmp_path,
        "Hội nghị ngành Công Thương các tỉnh Đông Nam Bộ lần thứ VI năm 2024",
        "10/8/2024 - Sáng 9/8/2024, tại tỉnh Bình Dương, Hội nghị ngành Công Thương các tỉnh "
        f"Đông Nam Bộ lần thứ VI đã khai mạc. {organisers}.",
    )
    assert _one(_facts(path, resolver), "edition-organisers").props == expected
