#!/usr/bin/env python3
"""Regenerates the seeds of Fuzz/seeds/FuzzExtract that come from ../shared (bench pages and the
seed texts). The crafted seeds beside them are written by hand and kept as they are.

Bench pages are shrunk to keep the repository small while keeping what the parsers see: scripts
(but JSON-LD), styles, SVG and comments go, most attributes go (class, id, role, href, rel, type,
name, property, content, datetime, itemprop, charset, lang, dir stay), and long text runs are cut.

    python3 Fuzz/tools/make-seeds.py [/work/shared]
"""
import gzip, html, os, re, sys

shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../../shared")
out = os.path.join(os.path.dirname(__file__), "../seeds/FuzzExtract")
KEEP = {"class", "id", "role", "href", "rel", "type", "name", "property", "content", "datetime", "itemprop",
        "charset", "lang", "dir", "http-equiv", "hidden", "title", "src"}

def shrink(page, text_limit=160, budget=24_000):
    page = re.sub(r'(?is)<script(?![^>]*ld\+json)[^>]*>.*?</script>', '', page)
    page = re.sub(r'(?is)<(style|svg|noscript|iframe)[^>]*>.*?</\1>', '', page)
    page = re.sub(r'(?is)<!--.*?-->', '', page)
    def tag(m):
        name, attrs = m.group(1), m.group(2) or ""
        kept = [a.group(0).strip() for a in re.finditer(r'''\s([\w:-]+)(\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?''', attrs)
                if a.group(1).lower() in KEEP]
        kept = [k if len(k) < 200 else k[:200] + '"' for k in kept]
        return "<" + name + ("".join(" " + k for k in kept)) + (" /" if attrs.rstrip().endswith("/") else "") + ">"
    page = re.sub(r'<([a-zA-Z][\w:-]*)(\s[^<>]*)?>', tag, page)
    page = re.sub(r'>([^<]{%d,})<' % text_limit, lambda m: ">" + m.group(1)[:text_limit] + "<", page)
    page = re.sub(r'\s*\n\s*', '\n', page)
    data = page.encode("utf-8")
    if len(data) > budget:   # keep the start (head, top of the body) and the end (closing tags)
        data = data[:budget * 3 // 4] + b"\n" + data[-budget // 4:]
    return data

def bench(path):
    return gzip.open(os.path.join(shared, "bench", path)).read().decode("utf-8", "replace")

os.makedirs(out, exist_ok=True)
pages = {
    "rtl-fa-1523806243.html": "rtl/html/1523806243.html.gz",
    "rtl-ar-1784190729.html": "rtl/html/1784190729.html.gz",
    "aeb-0ec95c72.html": "aeb/html/0ec95c7261d122f304728e90c983450ef1ce1e0b423546835c397d50aaf0d0f2.html.gz",
    "aeb-14cc2a0c.html": "aeb/html/14cc2a0ca59c62a8c9f205a171e9ccf4ef4cf69b0c642f51c8c65c051b39024f.html.gz",
    "wcxb-0014.html": "wcxb/html/0014.html.gz",
    "wcxb-0020.html": "wcxb/html/0020.html.gz",
}
for name, path in pages.items():
    open(os.path.join(out, name), "wb").write(shrink(bench(path)))

# An Arabic page in windows-1256 with its declaration removed (the byte-statistics guess), and the
# same bytes announced by an HTTP header (the seed's first line, see FuzzExtract.swift).
arabic = shrink(bench("rtl/html/1550981615.html.gz"), budget=16_000).decode("utf-8")
arabic = re.sub(r'(?i)<meta[^>]*charset[^>]*>', '', arabic)
cp = arabic.encode("windows-1256", "replace")
open(os.path.join(out, "rtl-ar-windows-1256-undeclared.html"), "wb").write(cp)
open(os.path.join(out, "rtl-ar-windows-1256-header.html"), "wb").write(b"Content-Type: text/html; charset=windows-1256\n" + cp[:6000])

# The seed texts (real scraped Arabic/Persian news, ZWNJ, NBSP) as simple news pages.
seeds = os.path.join(shared, "seeds")
for i, name in enumerate(sorted(os.listdir(seeds))):
    lines = [l for l in open(os.path.join(seeds, name), encoding="utf-8").read().split("\n") if l.strip()]
    body = "\n".join("<p>%s</p>" % html.escape(l) for l in lines[1:40])
    lang = "fa" if i == 0 else "ar"
    page = ('<!doctype html><html lang="%s" dir="rtl"><head><meta charset="utf-8"><title>%s</title>'
            '<link rel="alternate" type="application/rss+xml" href="/feed/"></head><body>'
            '<nav><a href="/">الرئيسية</a> <a href="/category/news/">أخبار</a></nav>'
            '<article><h1>%s</h1><time datetime="2023-07-02T10:00:00+03:30">%s</time>%s</article>'
            '<aside><a href="/news/2023/07/02/related-story-12345">%s</a></aside>'
            '<footer>© 2023</footer></body></html>') % (lang, html.escape(lines[0]), html.escape(lines[0]),
                                                          html.escape(lines[min(1, len(lines) - 1)]), body,
                                                          html.escape(lines[-1]))
    open(os.path.join(out, "seed-%s.html" % name[:3]), "wb").write(page.encode("utf-8"))
