"""Usage: python tools/merge_soyuz_fragments.py

Merge the two researched fragments into data/soyuz_flights.csv (sorted by launch).

One row is added: Soyuz TM-9 (Feb 1990) fell between the fragments (the first stops at 1989
launches, the second starts at TM-10). Its facts were read with the search tool in pages that
are cited in its source column.
"""
import csv
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1] / "data"
FRAGMENTS = ROOT.parent / "research" / "fragments"
COLUMNS = ["flight", "launch_utc", "landing_utc", "crewed", "crew", "crew_size", "generation",
           "destination", "docking_utc", "outcome", "notes", "source"]
rows = []
for name in ("soyuz_flights_1967_1989.csv", "soyuz_flights_1990_2025.csv"):
    with open(FRAGMENTS / name, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS, reader.fieldnames
        rows += [{k: v.strip() for k, v in r.items()} for r in reader]

TM9 = {
    "flight": "Soyuz TM-9",
    "launch_utc": "1990-02-11T06:16:00Z",
    "landing_utc": "1990-08-09T07:33:57Z",
    "crewed": "true",
    "crew": "Anatoly Solovyev; Aleksandr Balandin",
    "crew_size": "2",
    "generation": "Soyuz-TM",
    "destination": "Mir",
    "docking_utc": "1990-02-13T06:37:47Z",
    "outcome": "anomaly",
    "notes": (
        "Added when the two fragments were merged: TM-9 fell between them (the 1967-1989 "
        "fragment ends with 1989 launches and names TM-9 as out of its scope; the 1990-2025 "
        "fragment starts at TM-10). Mir EO-6. Launch 06:16:00 UTC (Wikipedia mirror, weebau; "
        "gl.wikipedia 6:16 GMT). Docked at Kvant 13 Feb 1990 06:37:47 UTC (weebau, Wikipedia "
        "mirror), later moved to the forward port. Anomaly (judgement call): three of the eight "
        "thermal blankets of the descent module had come loose, noticed during docking; fears "
        "for re-entry (condensation, blocked infrared sensor); a one-cosmonaut Soyuz TM-10 "
        "rescue flight was considered; a 17 Jul 1990 EVA folded back two blankets (the Kvant-2 "
        "hatch then would not close). Landed normally with its own crew after 179 days. Landing "
        "07:33:57 UTC (weebau data table, Wikipedia mirror) vs 07:35 GMT (weebau narrative, "
        "gl.wikipedia); chose 07:33:57."
    ),
    "source": " | ".join([
        "https://ar.qa.edu.vn/en/Soyuz_TM-9",
        "https://weebau.com/flights/soyuztm9.htm",
        "https://www.thelogbook.com/1990/soyuz-tm9/",
        "https://en.m.wikisource.org/wiki/Page:RP1357.pdf/71",
        "https://memim.com/soyuz-tm-9.html",
    ]),
}
assert TM9["flight"] not in {r["flight"] for r in rows}
rows.append(TM9)
rows.sort(key=lambda r: pd.Timestamp(r["launch_utc"]))
with open(ROOT / "soyuz_flights.csv", "w", encoding="utf-8", newline="") as fh:
    writer = csv.DictWriter(fh, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
print(len(rows), "rows")
