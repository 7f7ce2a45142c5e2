"""The command line: JSON contracts, and one-line errors with a non-zero exit, never a traceback."""

import json
import subprocess
import sys

import pytest

from explainer.cli import main


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_where_json(capsys):
    code, out, err = run(capsys, "where", "2025-11-27T12:34:35Z", "--json")
    assert code == 0 and err == ""
    result = json.loads(out)
    assert set(result) >= {"time_utc", "lat_deg", "lon_deg", "alt_km", "speed_km_s", "sunlit", "tle_epoch_utc"}
    assert result["time_utc"] == "2025-11-27T12:34:35.000Z"
    # over Croatia at docking, 424-425 km up, in sunlight, using the 29 Nov set
    assert result["lat_deg"] == pytest.approx(45.75, abs=0.05)
    assert result["lon_deg"] == pytest.approx(16.40, abs=0.05)
    assert 423 < result["alt_km"] < 426 and result["sunlit"] is True
    assert 6.5 < result["speed_km_s"] < 7.3
    assert result["tle_epoch_utc"].startswith("2025-11-29T20:01:44")


def test_closest_json(capsys):
    code, out, _ = run(capsys, "closest", "41.3851,2.1734", "--start", "2025-11-27T12:00:00Z",
                       "--end", "2025-11-27T12:34:35Z", "--json")
    result = json.loads(out)
    assert code == 0 and set(result) == {"time_utc", "distance_km", "elevation_deg", "azimuth_deg"}
    assert result["time_utc"].startswith("2025-11-27T12:31:3")


def test_passes_json(capsys):
    code, out, _ = run(capsys, "passes", "41.3851,2.1734", "--start", "2025-11-27T00:00:00Z",
                       "--days", "1", "--json")
    result = json.loads(out)
    assert code == 0 and isinstance(result, list) and 4 <= len(result) <= 8
    assert {"rise_utc", "culmination_utc", "set_utc", "max_elevation_deg", "visible"} <= set(result[0])
    assert [p["rise_utc"] for p in result] == sorted(p["rise_utc"] for p in result)


@pytest.mark.parametrize("args, message", [
    (["where", "yesterday"], "explainer where: cannot read 'yesterday' as a UTC time"),
    (["where", "2030-01-01T00:00Z"], "explainer where: no element set within 14 days of 2030-01-01"),
    (["closest", "95,2", "--start", "2025-11-27T12:00Z", "--end", "2025-11-27T12:30Z"],
     "explainer closest: latitude 95.0 is out of range"),
    (["closest", "41,2", "--start", "2025-11-27T12:30Z", "--end", "2025-11-27T12:00Z"],
     "explainer closest: --end (2025-11-27T12:00Z) must be after --start"),
    (["passes", "41,2", "--start", "2025-11-27T00:00Z", "--days", "40"],
     "explainer passes: argument --days: must be more than 0 and at most 14"),
    (["passes", "41,2", "--start", "2025-11-27T00:00Z", "--days", "0"],
     "explainer passes: argument --days: must be more than 0 and at most 14 (the element sets are good for about two weeks), not 0"),
    (["passes", "41,2", "--start", "2025-11-27T00:00Z", "--days", "abc"],
     "explainer passes: argument --days: must be a number, not 'abc'"),
    (["passes", "41,2", "--start", "2025-11-27T00:00Z", "--min-elevation", "100"],
     "explainer passes: argument --min-elevation: must be at least 0 (the horizon) and less than 90"),
    (["passes", "41,2", "--start", "2025-11-27T00:00Z", "--min-elevation", "-50"],
     "explainer passes: argument --min-elevation: must be at least 0"),
    (["passes", "41,2", "--start", "2025-11-27T00:00Z", "--min-elevation", "nan"],
     "explainer passes: argument --min-elevation: must be a finite number, not 'nan'"),
    (["dashboard", "--port", "-1"], "explainer dashboard: argument --port: must be between 1 and 65535, not -1"),
    (["dashboard", "--port", "74754"], "explainer dashboard: argument --port: must be between 1 and 65535, not 74754"),
    (["dashboard", "--port", "99999"], "explainer dashboard: argument --port: must be between 1 and 65535"),
    (["dashboard", "--port", "http"], "explainer dashboard: argument --port: must be a whole number, not 'http'"),
    (["dashboard", "--pool-size", "-1"], "explainer dashboard: argument --pool-size: must be between 0 and 64"),
    (["dashboard", "--ip", "999.1.1.1"], "explainer dashboard: argument --ip: must be an IP address of this machine"),
    (["dashboard", "--ip", "192.0.2.1", "--port", "9293", "--no-browser"],
     "explainer dashboard: 192.0.2.1 is not an address of this machine; use --ip 127.0.0.1"),
    (["closest", "41,2"], "explainer closest: the following arguments are required: --start, --end (see 'explainer closest --help')"),
    (["where"], "explainer where: the following arguments are required: time"),
    (["teleport"], "explainer: argument command: invalid choice: 'teleport'"),
    ([], "explainer: the following arguments are required: command"),
])
def test_bad_input_gives_one_line_and_exit_2(capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith(message)
    assert err.count("\n") == 1 and "Traceback" not in err


def test_age_warning_goes_to_stderr_not_into_json(capsys):
    code, out, err = run(capsys, "where", "2025-12-06T00:00:00Z", "--json")
    assert code == 0
    json.loads(out)
    assert err.startswith("warning: the element set of 2025-12-01T21:34:10")


def test_python_dash_m_and_console_script_work():
    proc = subprocess.run([sys.executable, "-m", "explainer", "where", "not-a-time"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == ("explainer where: cannot read 'not-a-time' as a UTC time; "
                                   "use ISO 8601 like 2025-11-27T12:34:35Z")


def test_live_flag_falls_back_to_the_shipped_sets_with_a_warning(capsys, monkeypatch, tmp_path):
    """Offline (sockets blocked), --live cannot fetch: the answer still comes from the shipped
    sets, and stderr says why."""
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(tmp_path))
    code, out, err = run(capsys, "where", "2025-11-27T12:34:35Z", "--json", "--live")
    assert code == 0
    assert json.loads(out)["tle_epoch_utc"].startswith("2025-11-29T20:01:44")
    assert err.startswith("warning: ") and "live" in err.lower()


@pytest.mark.parametrize("place, lat, lon", [
    ("-33.87,151.21", -33.87, 151.21),  # Sydney
    ("-33.92,18.42", -33.92, 18.42),    # Cape Town
    ("-33.45,-70.67", -33.45, -70.67),  # Santiago
])
def test_places_south_of_the_equator_need_no_double_dash(capsys, place, lat, lon):
    code, out, err = run(capsys, "closest", place, "--start", "2025-11-27T00:00:00Z",
                         "--end", "2025-11-27T06:00:00Z", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert set(result) == {"time_utc", "distance_km", "elevation_deg", "azimuth_deg"}
    code, out, err = run(capsys, "passes", place, "--start", "2025-11-27T00:00:00Z", "--days", "1", "--json")
    assert code == 0, err
    assert isinstance(json.loads(out), list)


def test_a_busy_port_is_refused_before_any_url_is_printed(capsys):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, out, err = run(capsys, "dashboard", "--port", str(port), "--no-browser")
    assert code == 2 and out == ""
    assert err == f"explainer dashboard: port {port} on 127.0.0.1 is in use; choose another with --port\n"


def test_output_piped_into_a_reader_that_stops_early_is_not_an_error():
    """``explainer passes ... --json | head -1``: the reader closes the pipe; no BrokenPipeError."""
    proc = subprocess.Popen([sys.executable, "-m", "explainer", "passes", "41.3851,2.1734",
                             "--start", "2025-11-27T00:00:00Z", "--days", "3", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(1)
    proc.stdout.close()  # like head after its first line
    with proc.stderr:
        err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_ports_reads_as_a_table_not_python_lists(capsys):
    code, out, err = run(capsys, "ports", "2025-11-27T12:40:00Z")
    assert code == 0 and err == ""
    assert "[" not in out and "{" not in out
    lines = out.splitlines()
    assert lines[0] == "At 2025-11-27T12:40:00.000Z:"
    assert lines[1].split() == ["Zvezda", "aft", "Progress", "MS-32", "(Progress", "93)"]
    assert any("Unity nadir" in line and "(free)" in line for line in lines)
    assert any(line.strip().startswith("Canadarm2") and "NG-23 Cygnus XL" in line for line in lines)


def test_passes_read_as_sentences_with_the_naked_eye_window(capsys):
    """Baikonur, 27 Nov 2025: the 14:20 UTC pass is visible only for part of its length (the ISS
    enters Earth's shadow before its highest point), which the plain output says."""
    code, out, err = run(capsys, "passes", "45.965,63.055", "--start", "2025-11-27T00:00:00Z")
    assert code == 0 and "None" not in out and "=" not in out
    line = next(line for line in out.splitlines() if "highest 14:20" in line)
    assert "naked eye 14:16" in line and "not visible" not in line


@pytest.mark.parametrize("args, pool", [
    ([], 1),  # 127.0.0.1: one person at this machine
    (["--ip", "127.0.0.1"], 1),
    (["--ip", "localhost"], 1),
    (["--ip", "0.0.0.0"], "class"),  # shared on the network: a class
    (["--ip", "192.168.1.20"], "class"),
    (["--ip", "::"], "class"),
    (["--ip", "0.0.0.0", "--pool-size", "4"], 4),  # asked for: kept
    (["--pool-size", "0"], 0),
])
def test_dashboard_pool_is_class_sized_when_shared(capsys, monkeypatch, args, pool):
    """Without --pool-size, a dashboard served beyond loopback preheats a class's worth of kernels
    (thirty arriving at once otherwise wait for kernels to start one after another)."""
    import explainer.cli
    import explainer.serve

    served = {}
    monkeypatch.setattr(explainer.cli, "_check_port_free", lambda ip, port: None)
    monkeypatch.setattr(explainer.serve, "serve_dashboard", lambda **kw: served.update(kw) or 0)
    code, out, err = run(capsys, "dashboard", "--no-browser", *args)
    assert code == 0, err
    expected = explainer.serve.CLASS_POOL_SIZE if pool == "class" else pool
    assert served["pool_size"] == expected


def test_dashboard_help_names_the_class_pool(capsys):
    from explainer.serve import CLASS_POOL_SIZE

    assert main(["dashboard", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert f"default: 1 on 127.0.0.1, for one person; {CLASS_POOL_SIZE} with any other --ip" in text
