"""The manifest and the files in data/ agree; every dataset says where it came from."""

import json

import pandas as pd
import pytest

from explainer import data
from explainer.paths import data_dir


def test_manifest_matches_files_on_disk():
    assert data.verify_manifest() == []


def test_every_dataset_has_provenance():
    for entry in data.manifest()["datasets"]:
        assert entry["sources"], entry["title"]
        assert entry["licence"] and entry["retrieved"], entry["title"]
        assert any(s.startswith("http") for s in entry["sources"]) or "per row" in entry["sources"][0]


def test_a_changed_file_is_reported(tmp_path, monkeypatch):
    # copy the data folder, corrupt one byte of a file and check that the manifest notices
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    target = copy / "places.csv"
    target.write_bytes(target.read_bytes().replace(b"41.3851", b"41.3852"))
    (copy / "stray.csv").write_text("a\n1\n")
    monkeypatch.setattr(data, "data_dir", lambda: copy)
    data.manifest.cache_clear()
    try:
        problems = data.verify_manifest()
    finally:
        data.manifest.cache_clear()
    assert "places.csv: SHA-256 differs from the manifest (file changed or corrupt)" in problems
    assert "stray.csv: on disk but not in the manifest" in problems


def _signed_copy(tmp_path):
    """A copy of the whole data folder, manifest included."""
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    return copy


def _edit_ms27_departure(folder):
    # a well-formed edit: Soyuz MS-27's undocking moved by a day (still a valid ISO time)
    stays = folder / "iss_stays.csv"
    text = stays.read_text(encoding="utf-8")
    assert text.count("2025-12-09T01:41Z") == 1
    stays.write_text(text.replace("2025-12-09T01:41Z", "2025-12-10T01:41Z"), encoding="utf-8")


def test_an_unsigned_edit_is_refused_as_the_data_load(tmp_path):
    from explainer.stories import ports

    folder = _signed_copy(tmp_path)
    assert len(ports.load_stays(folder)) == len(ports.load_stays())  # the signed copy loads
    _edit_ms27_departure(folder)
    with pytest.raises(data.DataError) as err:
        ports.load_stays(folder)
    message = str(err.value)
    assert message.startswith("iss_stays.csv: SHA-256 differs from manifest.json")
    assert "tools/update_manifest.py" in message and "\n" not in message


def test_re_signing_accepts_a_deliberate_edit(tmp_path):
    from explainer.data.manifest import problems, sign
    from explainer.stories import ports

    folder = _signed_copy(tmp_path)
    _edit_ms27_departure(folder)
    assert sign(folder) == []
    stays = ports.load_stays(folder)
    ms27 = stays[stays.vehicle == "Soyuz MS-27"].iloc[0]
    assert ms27.departure_utc == pd.Timestamp("2025-12-10T01:41")
    assert problems(folder) == []


def test_an_edited_element_set_file_is_refused(tmp_path, monkeypatch):
    folder = _signed_copy(tmp_path)
    sources = folder / "tle" / "iss-2025-11-sources.csv"
    sources.write_text(sources.read_text().replace("53646", "53647"))  # one revolution number off
    monkeypatch.setattr(data, "data_dir", lambda: folder)
    data.tles.cache_clear()
    try:
        with pytest.raises(data.DataError, match=r"^tle/iss-2025-11-sources.csv: SHA-256 differs"):
            data.tles()
    finally:
        data.tles.cache_clear()


def test_a_file_not_in_the_manifest_is_refused(tmp_path):
    folder = _signed_copy(tmp_path)
    (folder / "extra.csv").write_text("name,source\nA,https://example.org\n")
    with pytest.raises(data.DataError, match=r"^extra.csv: not listed in manifest.json"):
        data.read_table("extra.csv", {"name": "required", "source": "url"}, folder=folder)


def test_a_broken_manifest_is_named(tmp_path):
    folder = _signed_copy(tmp_path)
    (folder / "manifest.json").write_text("{not json")
    with pytest.raises(data.DataError, match=r"^manifest.json: cannot be read"):
        data.read_table("places.csv", {"name": "required", "source": "url"}, folder=folder)


def test_manifest_is_valid_json_with_hashes():
    manifest = json.loads((data_dir() / "manifest.json").read_text())
    hashes = [h for entry in manifest["datasets"] for h in entry["files"].values()]
    assert hashes and all(len(h) == 64 for h in hashes)


def test_tle_sources_match_the_element_sets():
    sets = data.tles()
    assert len(sets) == 14
    assert all(s.source for s in sets)
    assert [s.epoch for s in sets] == sorted(s.epoch for s in sets)


def test_places_are_sourced():
    places = data.places()
    assert set(places.short_name) >= {"Baikonur", "Barcelona"}
    assert places.source.str.startswith("http").all()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "places.csv: the file is empty"),
        (b"name,short_name,lat_deg,lon_deg,notes,source\n", "places.csv: the file has a header but no rows"),
        (b"name,short_name,lat_deg\nA,B,1\n", "places.csv: row 1 (header) lacks the column(s) lon_deg, source"),
        (
            b"name,short_name,lat_deg,lon_deg,notes,source\nA,B,north,2,,https://x.org\n",
            "places.csv: row 2, column lat_deg: could not convert string to float: 'north'",
        ),
        (
            b"name,short_name,lat_deg,lon_deg,notes,source\nA,B,1,2,,https://x.org\nC,D,3\n",
            "places.csv: row 3 has 3 fields, the header has 6 (truncated or badly quoted line?)",
        ),
        (
            b"name,short_name,lat_deg,lon_deg,notes,source\nA,B,1,2,,memory\n",
            "places.csv: row 2, column source: needs one or more http(s) URLs",
        ),
        (b"\xff\xfe", "places.csv: not UTF-8 text"),
    ],
)
def test_corrupt_files_name_the_file_and_row(tmp_path, content, message):
    (tmp_path / "places.csv").write_bytes(content)
    schema = {"name": "required", "short_name": "required", "lat_deg": "float",
              "lon_deg": "float", "source": "url"}
    with pytest.raises(data.DataError) as err:
        data.read_table("places.csv", schema, folder=tmp_path)
    assert str(err.value).startswith(message)


def test_a_corrupt_tle_file_stops_loading_with_its_name(tmp_path, monkeypatch):
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    tle = copy / data.TLE_FILE
    lines = tle.read_text().splitlines()
    lines[4] = lines[4][:40]  # truncate the second set's line 1
    tle.write_text("\n".join(lines) + "\n")
    monkeypatch.setattr(data, "data_dir", lambda: copy)
    data.tles.cache_clear()
    try:
        with pytest.raises(data.DataError, match=r"tle/iss-2025-11.tle: text line 5: line 1: has 40 characters"):
            data.tles()
    finally:
        data.tles.cache_clear()
