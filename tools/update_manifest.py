"""Re-sign data/manifest.json after a deliberate change to a file in data/.

Usage (from the repository root): python tools/update_manifest.py

Recomputes the SHA-256 of every file the manifest lists (relisting folder entries) and writes
them back, so the kit accepts the edited files again. Files on disk but not listed are reported,
not added: each needs its provenance (title, description, sources, licence, retrieved) written
by hand. See data/README.md, "Updating the data".
"""

from pathlib import Path

from explainer.data.manifest import sign

DATA = Path(__file__).resolve().parents[1] / "data"

if __name__ == "__main__":
    for rel in sign(DATA):
        print("not in the manifest:", rel)
    print(f"re-signed {DATA / 'manifest.json'}")
