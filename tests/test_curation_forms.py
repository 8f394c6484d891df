"""More of the genre's forms for `ctkg extract`, on short texts written for these tests (fictional
people and figures, never part of the real graph): each test says the form and what the rules
must make of it, and fails on the rules before the change it came with.

- the gold convention "growth unless the base is named" (graph/curation/README.md, Evaluation);
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ctkg.graph.curation.pipeline import propose
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
