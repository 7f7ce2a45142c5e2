"""Every row of the data tables cites at least one source a student can cite.

A source is citable when its host is an agency or operator, a reference work, or an established
news organisation (``ACCEPTED``). Copies of Wikipedia articles and alternative addresses of a site
are rewritten to the canonical address by ``tools/canonical_sources.py``; this test also checks that
nothing is left for it to rewrite. Rows that still rely only on secondary pages are listed in
``PENDING`` with what they rely on: the test fails for any other such row, and for a pending row
that has since gained a citable source (so the list only shrinks).
"""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from explainer.paths import data_dir

TABLES = ("iss_stays.csv", "soyuz_flights.csv", "iss_ports.csv", "ms28_facts.csv", "places.csv")

ACCEPTED = {
    # agencies, their institutes and the vehicles' operators
    "nasa.gov", "esa.int", "jaxa.jp", "roscosmos.ru", "energia.ru", "gctc.ru", "ntsomz.ru", "dlr.de",
    "asi.it", "spacex.com", "northropgrumman.com", "boeing.com",
    # reference works
    "wikipedia.org", "wikisource.org", "spacefacts.de", "russianspaceweb.com", "astronautix.com",
    "raumfahrtkalender.de", "worldspaceflight.com",
    # news organisations and agencies with an editorial desk
    "spaceflightnow.com", "nasaspaceflight.com", "space.com", "spacenews.com", "spacepolicyonline.com",
    "collectspace.com", "spaceref.com", "americaspace.com", "spaceflightinsider.com", "parabolicarc.com",
    "seradata.com", "aviationweek.com", "universetoday.com", "planetary.org", "phys.org", "cbsnews.com",
    "nbcnews.com", "reuters.com", "upi.com", "tass.com", "tass.ru", "ria.ru", "interfax.com", "interfax.ru",
    "sputnikglobe.com", "kommersant.ru", "gazeta.ru", "people.cn", "raumfahrer.net",
}

# (table, first column) -> what the row relies on; each is to be replaced by a citable source
PENDING = {
    ("iss_stays.csv", "Progress M-24M (Progress 56)"): "der-orion.com, gerhardkowalski.com (journalist's blog)",
    ("iss_stays.csv", "Soyuz TMA-04M"): "ruaviation.com (Roscosmos quote), a forum post",
    ("iss_stays.csv", "OA-5 Cygnus"): "blogs quoting NASA (orbiterchspacenews, spaceflights.news), microsiervos, satprnews",
    ("iss_stays.csv", "NG-13 Cygnus"): "forumastronautico.it, AIAA news, reposts of NASA TV notices",
    ("iss_stays.csv", "NG-18 Cygnus"): "scitechdaily (NASA repost), earthsky.org, UC San Diego Sally Ride Science",
    ("iss_stays.csv", "Crew-6 Dragon Endeavour"): "scitechdaily and other reposts of NASA blog posts",
    ("iss_stays.csv", "Crew-7 Dragon Endurance"): "news aggregators and reposts of NASA blog posts",
    ("iss_stays.csv", "CRS-29"): "news aggregators quoting NASA",
    ("iss_stays.csv", "Progress MS-26 (Progress 87)"): "reposts of Space.com and a Russian news site, a journalist's blog",
    ("iss_stays.csv", "Progress MS-29 (Progress 90)"): "blogs quoting NASA and Roscosmos",
    ("iss_stays.csv", "Crew-9 Dragon Freedom"): "news aggregators quoting NASA",
    ("iss_stays.csv", "CRS-31"): "news aggregators, friendsofnasa.org (NASA captions reposted)",
    ("iss_stays.csv", "Progress MS-31 (Progress 92)"): "meteoweb.eu, satellitetracker.space (NASA text reposted)",
    ("iss_stays.csv", "Crew-10 Dragon Endurance"): "news aggregators quoting NASA",
    ("iss_stays.csv", "NG-23 Cygnus XL"): "newsbeep.com (NASA blog reposted); the ports story owns these rows",
    ("iss_stays.csv", "Crew-12 Dragon Freedom"): "news aggregators quoting NASA",
    ("iss_stays.csv", "Boe-CFT Starliner"): "news aggregators",
    ("soyuz_flights.csv", "Soyuz TMA-04M"): "wikinews, tgdaily, nycaviation, a forum post",
}


def _host_accepted(url: str) -> bool:
    host = (urlsplit(url.strip()).hostname or "").lower()
    return any(host == a or host.endswith("." + a) for a in ACCEPTED)


def _rows():
    for name in TABLES:
        with open(data_dir() / name, encoding="utf-8", newline="") as fh:
            for number, row in enumerate(csv.DictReader(fh), start=2):
                key = row["short_name"] if name == "places.csv" else next(iter(row.values()))
                yield name, number, key, row["source"]


def test_every_row_cites_an_accepted_source_or_is_pending():
    unsourced = {}
    for name, number, key, source in _rows():
        if not any(_host_accepted(u) for u in source.split("|")):
            unsourced.setdefault((name, key), []).append(f"{name}: row {number} ({key}): {source}")
    new = [line for k, lines in unsourced.items() if k not in PENDING for line in lines]
    assert not new, "rows whose only sources are not on the accepted list:\n" + "\n".join(new)
    resolved = sorted(k for k in PENDING if k not in unsourced)
    assert not resolved, f"now citable, remove from PENDING: {resolved}"


def test_no_mirror_is_left_to_rewrite():
    path = Path(__file__).resolve().parents[1] / "tools" / "canonical_sources.py"
    spec = importlib.util.spec_from_file_location("canonical_sources", path)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    left = [f"{name}: row {number} ({key})" for name, number, key, source in _rows()
            if name != "iss_stays.csv" or "Cygnus XL" not in key
            if tool.rewrite(source) != source]
    assert not left, "run python tools/canonical_sources.py:\n" + "\n".join(left)


@pytest.mark.parametrize(
    "mirror, canonical",
    [
        # a cloudfront copy of the Wikipedia article (its text matches en.wikipedia.org/wiki/Progress_M-44)
        ("https://db0nus869y26v.cloudfront.net/en/Progress_M-44", "https://en.wikipedia.org/wiki/Progress_M-44"),
        ("https://review.clateway.com/wiki/view_html.php?q=Soyuz_TMA-7&sq=Qlik", "https://en.wikipedia.org/wiki/Soyuz_TMA-7"),
        ("https://handwiki.org/wiki/Engineering:Soyuz_TMA-13", "https://en.wikipedia.org/wiki/Soyuz_TMA-13"),
        ("https://de.zxc.wiki/wiki/Sojus_TMA-2", "https://de.wikipedia.org/wiki/Sojus_TMA-2"),
        ("https://refract.global.ssl.fastly.net/0xUHJlc3N1cml6ZWRfTWF0aW5nX0FkYXB0ZXI",
         "https://en.wikipedia.org/wiki/Pressurized_Mating_Adapter"),
        ("http://spacefacts.info/mission/english/sts-114.htm", "https://www.spacefacts.de/mission/english/sts-114.htm"),
        ("https://file-hippo.netlify.app/host-https-space.stackexchange.com/questions/2245/x?noredirect=1",
         "https://space.stackexchange.com/questions/2245/x"),
        ("https://www.nasa.gov/some/page.html", "https://www.nasa.gov/some/page.html"),
    ],
)
def test_rewrite_rules(mirror, canonical):
    path = Path(__file__).resolve().parents[1] / "tools" / "canonical_sources.py"
    spec = importlib.util.spec_from_file_location("canonical_sources", path)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert tool.canonical(mirror) == canonical
