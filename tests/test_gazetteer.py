"""The gazetteer in time: the 2019 and 2025 tables, the acts between them, names as of a date."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from ctkg.graph import gazetteer as gz
from ctkg.graph.errors import BuildError

D2019 = dt.date(2019, 5, 24)
D2025 = dt.date(2025, 10, 17)
# the 11 units NQ 202/2025/QH15 leaves unarranged (as the Lao Động report of the act lists them)
UNARRANGED = (
    "Cao_Bằng Điện_Biên Hà_Tĩnh Lai_Châu Lạng_Sơn Nghệ_An Quảng_Ninh Thanh_Hóa Sơn_La Hà_Nội Huế"
)
UNARRANGED = [n.replace("_", " ") for n in UNARRANGED.split()]


def test_63_units_until_the_arrangement_and_34_after():
    assert len(gz.units_on(D2019)) == 63
    assert len(gz.units_on(dt.date(2025, 6, 11))) == 63  # Huế already a city, still 63
    assert len(gz.units_on(dt.date(2025, 6, 12))) == 34  # NQ 202/2025/QH15 in force
    assert {u.key for u in gz.units_on(D2025)} == {u.key for u in gz.units_2025()}
    assert len(gz.all_units()) == 63 + 24


def test_the_2025_table_matches_the_act():
    after = gz.units_2025()
    kept = sorted(u.name_vi for u in after if len(u.predecessors) <= 1)
    assert kept == sorted(UNARRANGED)
    assert sum(len(u.predecessors) > 1 for u in after) == 23
    assert sum(u.is_city for u in after) == 6
    # every 2019 unit is in exactly one 2025 unit
    covered = [k for u in after for k in (u.predecessors or (u.key,))]
    assert sorted(covered) == sorted(u.key for u in gz.units())


def test_unchanged_unit_keeps_its_iri_merged_unit_gets_a_new_one():
    assert gz.unit_by_name("Hà Nội", on=D2025) is gz.unit_by_name("Hà Nội", on=D2019)
    old, new = gz.unit_by_name("Hải Phòng", on=D2019), gz.unit_by_name("Hải Phòng", on=D2025)
    assert str(old.iri).endswith("/id/province/hai-phong")
    assert str(new.iri).endswith("/id/province/hai-phong-2025")
    assert old.valid_until == new.valid_from == dt.date(2025, 6, 12)
    assert set(new.predecessors) == {"hai-phong", "hai-duong"}
    assert old.successors == ("hai-phong-2025",)


def test_names_resolve_as_of_a_date():
    assert gz.unit_by_name("tỉnh Tuyên Quang", on=D2025).key == "tuyen-quang-2025"
    assert gz.unit_by_name("tỉnh Tuyên Quang", on=D2019).key == "tuyen-quang"
    assert gz.unit_by_name("TP. Hải Phòng", on=D2019).key == "hai-phong"
    assert gz.unit_by_name("Haiphong", on=D2025).key == "hai-phong-2025"
    assert gz.unit_by_name("Hải Phòng").key == "hai-phong"  # no date: the 2019 table
    with pytest.raises(ValueError, match="became Tuyên Quang"):
        gz.unit_by_name("Hà Giang", on=D2025)
    with pytest.raises(ValueError, match="in no table"):
        gz.unit_by_name("Atlantis", on=D2025)


def test_what_a_2019_unit_became():
    assert [u.key for u in gz.became(gz.unit("hai-duong"), D2025)] == ["hai-phong-2025"]
    assert [u.key for u in gz.became(gz.unit("thua-thien-hue"), D2025)] == ["hue-2025"]
    assert [u.key for u in gz.became(gz.unit("ha-noi"), D2025)] == ["ha-noi"]
    assert gz.became(gz.unit("hai-phong-2025"), D2019) == ()
    hue = gz.unit("hue-2025")
    assert hue.valid_from == dt.date(2025, 1, 1) and hue.formed_by == "nq-175-2024-qh15"


def _copy(tmp_path):
    target = tmp_path / "gazetteer"
    shutil.copytree(gz.GAZETTEER_DIR, target)
    return target


def test_a_table_that_disagrees_with_the_act_fails(tmp_path):
    d = _copy(tmp_path)
    path = d / "changes.yaml"
    path.write_text(
        path.read_text("utf-8").replace("units_formed: 23", "units_formed: 22"), "utf-8"
    )
    with pytest.raises(BuildError, match="23 units formed, the act says 22"):
        gz.gazetteer(d)


def test_a_2019_unit_left_out_of_the_2025_table_fails(tmp_path):
    d = _copy(tmp_path)
    path = d / "provinces-2025.csv"
    path.write_text(path.read_text("utf-8").replace("02;08", "08"), "utf-8")
    with pytest.raises(BuildError, match=r"2019 units in no 2025 unit: \['02'\]"):
        gz.gazetteer(d)
