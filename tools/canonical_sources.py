"""Cite canonical pages instead of mirrors in the `source` column of the data tables.

Usage (from the repository root): python tools/canonical_sources.py [--check]

Many rows were researched through copies of Wikipedia articles (cloudfront, clateway, piglix,
knowpia, kiwix servers, ...) or through alternative addresses of a site (spacefacts.info for
spacefacts.de). A copy of a Wikipedia article has a canonical address, en.wikipedia.org/wiki/<Title>
(de.wikipedia.org for the German copies): this script rewrites every such URL to it, and every
alias of a site to the site's own address, then drops duplicates within a row. URLs it does not
recognise are left alone. The rules are explicit per host (``RULES``) so that a reader can check
each one. With ``--check`` it only prints what would change and exits 1 if anything would.

Rows owned by the ports story's Cygnus XL research (``vehicle`` containing "Cygnus XL") are
skipped. After a rewrite, re-sign the manifest: python tools/update_manifest.py
"""

from __future__ import annotations

import base64
import csv
import io
import re
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

DATA = Path(__file__).resolve().parents[1] / "data"
TABLES = ("iss_stays.csv", "soyuz_flights.csv", "iss_ports.csv", "ms28_facts.csv", "places.csv")
SKIP = re.compile(r"Cygnus XL")

EN = "https://en.wikipedia.org/wiki/"
DE = "https://de.wikipedia.org/wiki/"
SIMPLE = "https://simple.wikipedia.org/wiki/"


def _last(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def _numbered_soyuz(slug: str) -> str:
    match = re.fullmatch(r"soyuz[-_](\d+)\.html", slug)
    if match is None:
        raise ValueError(slug)
    return f"Soyuz_{match[1]}"


def _fix_wikipedia(u) -> str:
    if u.path.startswith("/wiki/en:"):
        return EN + unquote(u.path.removeprefix("/wiki/en:")).replace(" ", "_")
    if u.path == "/wiki/" and u.query:
        return "https://en.wikipedia.org/w/index.php?" + u.query
    return u.geturl()


def _query(url, key: str) -> str:
    return parse_qs(url.query)[key][0]


ALIASES = {"Baikonour_Kosmodrome": "Baikonur_Cosmodrome", "progress-m1-4": "Progress_M1-4"}
"""Mirror titles that are redirect names, with the article they copy."""

# host -> function(urlsplit result) -> (canonical prefix, title) or a full URL
RULES = {
    # copies of English Wikipedia articles, title in the last path segment
    **{h: lambda u: (EN, _last(u.path)) for h in (
        "db0nus869y26v.cloudfront.net", "www.knowpia.com", "wikimili.com",
        "cosmos.wikisort.org", "qa.edu.vn", "ar.qa.edu.vn", "pt.qa.edu.vn", "en.m.wikipedia.org",
        "community.worldheritage.org", "worldheritage.org", "www.worldheritage.org", "www.self.gutenberg.org",
        "self.gutenberg.org", "wikiwand.com", "www.wikiwand.com", "en.m.wiki.x.io",
        "zims-en.kiwix.campusafrica.gos.orange.com", "en-m-wikipedia-org.zproxy.org", "profilbaru.com",
        "kiwix.prodb.cz", "wiki.av1.space", "a.osmarks.net", "wikien3.appspot.com", "thereaderwiki.com",
        "hitchhikersgui.de", "www.wikiplanet.click", "en.wikipedia-on-ipfs.org", "howlingpixel.com",
        "home.cydlabs.com", "everything.explained.today", "l.global.ssl.fastly.net", "www.infogalactic.com",
        "infogalactic.com", "library.kiwix.org", "kiwix.lema.org", "kiwix.casplantje.nl", "kiwix.haohe.fun",
        "iiab.me", "en.us.edu.vn", "www.wiki3.en-us.nina.az", "wikiclassic.com", "kampuspedia.com",
        "wikifreehand.com", "encyclopedia.kids.net.au", "nzt-eth.ipns.dweb.link", "39.io.vn",
    )},
    "theinfolist.com": lambda u: (EN, _query(u, "FindGo")),
    "kihulane.eu": lambda u: _query(u, "rdp_we_resource"),
    "app.surf": lambda u: (EN, ALIASES[_last(u.path)]),
    # old Wikipedia dumps: "<Title>_<4 hex>.html" or "<Title>.html"
    **{h: lambda u: (EN, re.sub(r"(_[0-9a-f]{4})?\.html$", "", _last(u.path))) for h in (
        "the-uncensored-wiki.com", "brorelol.gay")},
    "www.let.rug.nl": lambda u: _query(u, "url").replace("http://", "https://"),
    # 2004-era copies with lower-case slugs: only "soyuz-<n>" is unambiguous
    **{h: lambda u: (EN, _numbered_soyuz(_last(u.path))) for h in (
        "memim.com", "fact-index.com", "www.fact-index.com")},
    "cloudflare-ipfs.com": lambda u: (EN, _last(u.path)),
    "handwiki.org": lambda u: (EN, _last(u.path).split(":", 1)[-1]),
    "friendlywiki.com": lambda u: (EN, _query(u, "title")),
    "review.clateway.com": lambda u: (EN, _query(u, "q")),
    "askwikinow.com": lambda u: (EN, _query(u, "q")),
    "wiki.studentb.eu": lambda u: (EN, _query(u, "q")),
    "www.wiki.richxsearch.com": lambda u: (EN, _query(u, "q")),
    "pinocchiopedia.com": lambda u: (EN, re.sub(r"^STS_(\d+)$", r"STS-\1", _last(u.path))),
    "movatter.jp": lambda u: _query(u, "url").replace("http://", "https://"),
    # base64 of the article title after "0x"
    "refract.global.ssl.fastly.net": lambda u: (EN, base64.b64decode(_last(u.path)[2:] + "==").decode()),
    # piglix copies the article under one of its redirect names
    "piglix.com": lambda u: (EN, ALIASES.get(_last(u.path), _last(u.path))),
    "108.161.137.60": lambda u: (EN, ALIASES.get(_last(u.path), _last(u.path))),
    # Simple English Wikipedia copies
    "wiki.charlieakan.net": lambda u: (SIMPLE, _last(u.path)),
    # copies of German Wikipedia articles (de.zxc.wiki is a machine translation that keeps the German title)
    **{h: lambda u: (DE, _last(u.path)) for h in (
        "dewiki.de", "www.dewiki.de", "de.wiki.li", "de.zxc.wiki", "de.other.wiki", "de.m.wikipedia.org",
    )},
    "cosmos-indirekt.de": lambda u: (DE, _query(u, "title") if u.path.endswith("index.php") else _last(u.path)),
    # proxies with the copied address in the path
    "file-hippo.netlify.app": lambda u: "https://" + u.path.split("host-https-", 1)[1],
    "gamestartup.netlify.app": lambda u: "https://" + u.path.split("host-https-", 1)[1],
    # a proxy of Encyclopedia Astronautica, address in the path
    "mdsite.deno.dev": lambda u: "http://" + u.path.split(":/", 1)[1],
    # collectSPACE by its IP address
    "23.253.70.112": lambda u: "http://www.collectspace.com" + u.path,
    # malformed Wikipedia addresses: an "en:" interwiki prefix, a permalink without index.php
    "en.wikipedia.org": lambda u: _fix_wikipedia(u),
    # aliases of one site
    **{h: lambda u: "https://www.spacefacts.de" + u.path for h in (
        "spacefacts.info", "www.spacefacts.info", "spacefacts.net", "spacefacts.de", "www.spacefacts.net")},
    **{h: lambda u: "https://www.russianspaceweb.com" + u.path for h in (
        "russianspaceweb.com", "mail.russianspaceweb.com")},
}


def canonical(url: str) -> str:
    """The canonical address of ``url`` (unchanged if no rule applies)."""
    parts = urlsplit(url)
    rule = RULES.get(parts.hostname or "")
    if rule is None:
        return url
    try:
        out = rule(parts)
    except (KeyError, IndexError, ValueError):
        return url
    if isinstance(out, tuple):
        prefix, title = out
        title = unquote(title).replace(" ", "_").removesuffix(".html")
        if not title:
            return url
        return prefix + title
    return out


def rewrite(cell: str) -> str:
    """A ``source`` cell with every URL made canonical and duplicates dropped (order kept)."""
    urls = []
    for u in (p.strip() for p in cell.split("|")):
        c = canonical(u)
        if c not in urls:
            urls.append(c)
    return " | ".join(urls)


def main(check: bool) -> int:
    changed = 0
    for name in TABLES:
        path = DATA / name
        with open(path, encoding="utf-8", newline="") as fh:  # keep the file's own line endings
            raw = fh.read()
        term = "\r\n" if "\r\n" in raw else "\n"
        rows = list(csv.reader(io.StringIO(raw, newline="")))
        col = rows[0].index("source")
        for row in rows[1:]:
            if not row or SKIP.search(row[0]):
                continue
            new = rewrite(row[col])
            if new != row[col]:
                changed += 1
                if check:
                    print(f"{name}: {row[0]}: {row[col]}\n    -> {new}")
                row[col] = new
        if not check:
            out = io.StringIO()
            csv.writer(out, lineterminator=term).writerows(rows)
            path.write_text(out.getvalue(), encoding="utf-8", newline="")
    print(f"{changed} rows {'would change' if check else 'rewritten'}")
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
