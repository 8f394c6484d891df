"""Write ``provinces-2025.csv`` from the data files of the PyPI package ``vietnamadminunits``.

Not part of the build: run once by hand, with the package's unpacked ``data/`` directory, to
regenerate the table (``python graph/gazetteer/extract_2025.py PATH/vietnamadminunits/data``).
The build reads only the CSV. Columns: the 2025 code and name as the package gives them, the
English name derived as for the 2019 table, the kind from the name's prefix, and the 2019 GSO
codes of the units each 2025 unit was formed from (the package's 63 -> 34 mapping).
"""

from __future__ import annotations

import csv
import json
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLUMNS = ("code", "name_vi", "name_en", "kind", "predecessor_codes")


def ascii_name(name: str) -> str:
    if name == "Hồ Chí Minh":
        return "Ho Chi Minh City"
    name = name.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def rows(data: Path) -> list[dict]:
    converter = json.loads((data / "converter_2025.json").read_text("utf-8"))["DICT_PROVINCE"]
    new = json.loads((data / "parser_from_2025.json").read_text("utf-8"))["DICT_PROVINCE"]
    old = json.loads((data / "parser_legacy.json").read_text("utf-8"))["DICT_PROVINCE"]
    out = []
    for key, info in new.items():
        kind = (
            "centrally-governed city" if info["province"].startswith("Thành phố ") else "province"
        )
        name = unicodedata.normalize("NFC", info["provinceShort"])
        codes = sorted(old[k]["provinceCode"] for k in converter[key])
        out.append(
            {
                "code": info["provinceCode"],
                "name_vi": name,
                "name_en": ascii_name(name),
                "kind": kind,
                "predecessor_codes": ";".join(codes),
            }
        )
    return sorted(out, key=lambda r: r["code"])


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with (HERE / "provinces-2025.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows(Path(argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
