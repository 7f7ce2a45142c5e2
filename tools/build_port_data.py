"""Build ``data/iss_ports.csv`` and ``data/iss_stays.csv`` from the research fragments in research/fragments/.

Usage: python tools/build_port_data.py   (then refresh data/manifest.json, see update_manifest.py)

The ports file is the ports fragment, unchanged. The stays file merges the four stays fragments,
sorted by arrival, with only these edits, each justified by the row's own notes and each recorded
at the end of the row's notes as ``[kit: ...]``:

- Progress M-UM: port "Nauka nadir" -> "Prichal nadir". Its notes say the Progress M-UM
  compartment undocked "from Prichal's nadir port"; it rode on Prichal's nadir port from the moment
  the Prichal+Progress stack docked (the same convention as Progress M-SO1 on "Pirs nadir"), and
  Nauka nadir left visiting-vehicle service that day (ports fragment).
- Empty departures get a tag that :mod:`explainer.stories.ports` reads: ``[attached at coverage end]``
  when the notes say the vehicle is still docked or its undocking is planned later, otherwise
  ``[departure not found]``.
- CRS-34 is left out: its notes say the docking and undocking were NOT FOUND (only a planned
  docking on 17 May 2026, after the data's coverage end), so there is no sourced stay to record.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1] / "data"
RAW = ROOT.parent / "research" / "fragments"
FRAGMENTS = [
    "iss_stays_shuttle_atv_htv.csv",
    "iss_stays_russian_1998_2012.csv",
    "iss_stays_russian_2013_2026.csv",
    "iss_stays_commercial.csv",
]
COLUMNS = ["vehicle", "vehicle_type", "agency", "port", "arrival_utc", "departure_utc",
           "arrival_kind", "notes", "source"]

OPEN = "[attached at coverage end]"
UNKNOWN = "[departure not found]"

# vehicle -> tag, decided from each row's notes (quoted in the comment)
EMPTY_DEPARTURES = {
    "Progress M-01M (Progress 31)": UNKNOWN,  # "left about a week before Progress M-66 docked"
    "Progress M-18M (Progress 50)": UNKNOWN,  # "vacated Pirs 'two days ago' (~25-26 Jul 2013)"
    "Soyuz MS-14": UNKNOWN,  # "Undocking time NOT FOUND; capsule returned 6 Sep 2019"
    "Progress MS-32 (Progress 93)": OPEN,  # "Still docked as of 2026-03-16"
    "Soyuz MS-28": OPEN,  # "Undocking planned late July 2026"
    "Progress MS-33 (Progress 94)": OPEN,  # "Departure NOT FOUND (presumably still docked)"
    "Crew-12 Dragon Freedom": OPEN,  # "planned ~8-month mission, to about Oct 2026"
}
DROPPED = {"CRS-34": "no sourced docking (planned 17 May 2026, after coverage end)"}
PORT_FIXES = {
    ("Progress M-UM", "Nauka nadir"): (
        "Prichal nadir",
        "port recorded as Prichal nadir, not Nauka nadir: the notes say the compartment undocked "
        "from Prichal's nadir port, where it rode from the stack's docking; Nauka nadir left "
        "visiting-vehicle service that day",
    ),
}


def _sort_key(text: str) -> pd.Timestamp:
    stamp = pd.Timestamp(text)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return stamp if "T" in text else stamp + pd.Timedelta(hours=12)


def build_stays() -> list[dict]:
    rows = []
    for order, name in enumerate(FRAGMENTS):
        with open(RAW / name, newline="", encoding="utf-8") as fh:
            for n, row in enumerate(csv.DictReader(fh), start=2):
                row = {c: row[c].strip() for c in COLUMNS}
                if row["vehicle"] in DROPPED:
                    print(f"dropped {name} row {n} {row['vehicle']}: {DROPPED[row['vehicle']]}")
                    continue
                fix = PORT_FIXES.get((row["vehicle"], row["port"]))
                if fix:
                    row["port"] = fix[0]
                    row["notes"] += f" [kit: {fix[1]}]"
                if not row["departure_utc"]:
                    tag = EMPTY_DEPARTURES[row["vehicle"]]
                    row["notes"] = f"{tag} {row['notes']}"
                rows.append((_sort_key(row["arrival_utc"]), order, n, row))
    rows.sort(key=lambda r: r[:3])
    return [r[3] for r in rows]


def write(path: Path, columns: list[str], rows: list[dict]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT.parent)}: {len(rows)} rows")


def main() -> None:
    with open(RAW / "iss_ports.csv", newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        ports = [{c: v.strip() for c, v in row.items()} for row in reader]
        port_columns = reader.fieldnames
    write(ROOT / "iss_ports.csv", port_columns, ports)
    stays = build_stays()
    names = {p["port"] for p in ports} | {"Canadarm2"}
    unknown = sorted({s["port"] for s in stays} - names)
    if unknown:
        raise SystemExit(f"ports in the stays but not in iss_ports.csv: {unknown}")
    write(ROOT / "iss_stays.csv", COLUMNS, stays)


if __name__ == "__main__":
    main()
