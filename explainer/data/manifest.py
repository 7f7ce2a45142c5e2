"""The data manifest: which files ``data/`` ships, with their SHA-256, checked as the data load.

``data/manifest.json`` lists, per dataset, its sources, licence, retrieval date and the SHA-256
of each file. A file whose bytes no longer match is refused when it is read, so an edited or
corrupt table cannot be used without a word. People who edit data on purpose re-sign the
manifest with ``python tools/update_manifest.py`` (see ``data/README.md``).

A folder without a ``manifest.json`` (a test's scratch folder, a teacher's own table) is not
the shipped data and is not checked. The functions here return problems as one-line strings;
``explainer.data`` turns them into :class:`explainer.data.DataError`.

Import names from here with ``from explainer.data.manifest import ...``: the package attribute
``explainer.data.manifest`` is the function returning the shipped manifest.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

MANIFEST = "manifest.json"
"""Name of the manifest file inside a data folder."""

NOT_DATA = (MANIFEST, "README.md")
"""Files in a data folder that the manifest does not list."""

RESIGN = "if the edit is deliberate, re-sign with `python tools/update_manifest.py` (data/README.md)"


def sha256(path: Path) -> str:
    """Hex SHA-256 of the file at ``path``."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return None


@cache
def _read(path: str, mtime_ns: int | None) -> dict | None:
    if mtime_ns is None:
        return None
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{MANIFEST}: cannot be read ({exc})") from None


def read(folder: Path) -> dict | None:
    """The manifest of ``folder`` as a dict, or ``None`` if the folder has none.

    Parsed once per process while the file is unchanged. Raises ``ValueError`` (one line,
    naming ``manifest.json``) when the file is not valid JSON.
    """
    path = Path(folder) / MANIFEST
    return _read(str(path.resolve()), _mtime(path))


def listed(manifest: dict) -> dict[str, str]:
    """``{path relative to the data folder: SHA-256}`` for every file the manifest lists."""
    return {rel: digest for entry in manifest["datasets"] for rel, digest in entry.get("files", {}).items()}


@cache
def _file_problem(folder: str, name: str, stat: tuple[int, int], manifest_mtime: int | None) -> str | None:
    manifest = _read(str(Path(folder) / MANIFEST), manifest_mtime)
    if manifest is None:
        return None
    expected = listed(manifest).get(name)
    if expected is None:
        return f"{name}: not listed in {MANIFEST}, so its provenance is unknown; add an entry (data/README.md)"
    if sha256(Path(folder) / name) != expected:
        return f"{name}: SHA-256 differs from {MANIFEST} (the file was edited or is corrupt); {RESIGN}"
    return None


def file_problem(folder: Path, name: str) -> str | None:
    """Why ``folder/name`` does not match ``folder/manifest.json``, or ``None`` if it does.

    Parameters
    ----------
    folder : Path
        A data folder. Without a ``manifest.json`` nothing is checked and ``None`` is returned.
    name : str
        The file's path relative to ``folder``, with ``/`` separators (``tle/iss-2025-11.tle``).

    Returns
    -------
    str or None
        A one-line message naming the file, or ``None``. The answer is cached per process
        for as long as the file's and the manifest's modification times and sizes are unchanged,
        so each file is hashed once.

    Raises
    ------
    ValueError
        The manifest exists but is not valid JSON (the message names ``manifest.json``).
    """
    folder = Path(folder).resolve()
    stat = (folder / name).stat()
    return _file_problem(str(folder), name, (stat.st_mtime_ns, stat.st_size), _mtime(folder / MANIFEST))


def problems(folder: Path) -> list[str]:
    """Every disagreement between ``folder/manifest.json`` and the files in ``folder``.

    Reports entries lacking provenance fields, files on disk but not listed (except
    ``manifest.json`` and ``README.md``), listed files that are missing and files whose SHA-256
    differs. An empty list means they agree.
    """
    folder = Path(folder)
    manifest = read(folder)
    if manifest is None:
        return [f"{MANIFEST}: missing from {folder}"]
    found = []
    for entry in manifest["datasets"]:
        for field in ("title", "description", "sources", "licence", "retrieved", "files"):
            if not entry.get(field):
                found.append(f"manifest entry {entry.get('title', '?')!r} lacks {field!r}")
    hashes = listed(manifest)
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name not in NOT_DATA}
    found += [f"{rel}: on disk but not in the manifest" for rel in sorted(on_disk - hashes.keys())]
    for rel, digest in sorted(hashes.items()):
        path = folder / rel
        if not path.is_file():
            found.append(f"{rel}: in the manifest but missing")
        elif sha256(path) != digest:
            found.append(f"{rel}: SHA-256 differs from the manifest (file changed or corrupt)")
    return found


def sign(folder: Path) -> list[str]:
    """Recompute the SHA-256 of every listed file in ``folder/manifest.json`` and write it back.

    An entry with a ``"folder"`` key is relisted from the files under that folder. Files on
    disk but not listed are not added (each needs its provenance written by hand): they are
    returned, as paths relative to ``folder``, for the caller to report.
    """
    folder = Path(folder)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))  # a fresh copy to edit
    for entry in manifest["datasets"]:
        if entry.get("folder"):
            under = sorted(p for p in (folder / entry["folder"]).rglob("*") if p.is_file())
            entry["files"] = {p.relative_to(folder).as_posix(): "" for p in under}
        entry["files"] = {rel: sha256(folder / rel) for rel in entry["files"]}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    hashes = listed(manifest)
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name not in NOT_DATA and p.relative_to(folder).as_posix() not in hashes
    )
