"""Refresh the SHA-256 of every file listed in data/manifest.json (after a deliberate change).

Usage: python tools/update_manifest.py
Files on disk but not listed are reported, not added: each needs its provenance written by hand.
"""

import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "data"

manifest = json.loads((ROOT / "manifest.json").read_text())
listed = set()
for entry in manifest["datasets"]:
    folder = entry.get("folder")
    if folder:  # a folder entry lists every file under it
        entry["files"] = {
            p.relative_to(ROOT).as_posix(): ""
            for p in sorted((ROOT / folder).rglob("*"))
            if p.is_file()
        }
    for rel in entry["files"]:
        entry["files"][rel] = hashlib.sha256((ROOT / rel).read_bytes()).hexdigest()
        listed.add(rel)
(ROOT / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
for p in sorted(ROOT.rglob("*")):
    rel = p.relative_to(ROOT).as_posix()
    if p.is_file() and rel not in listed and p.name not in ("manifest.json", "README.md"):
        print("not in the manifest:", rel)
