#!/usr/bin/env python3
"""The HTML report (--format=html -o DIR) as a browser shows it: headless Chromium opens the
index and one finding's page, and this script checks the DOM the browser built, after the
index's sort script ran, against what rccheck reported (--format=json of the same run).

  index.html#sort=function  the table says it is sorted by function (data-sorted) and its rows
                            are in that order; #sort=check the same by check; every finding has
                            a row linking to its page
  fN.html (the leak)        its message, its line marked (tr.hit), every line of its path marked
                            (tr.step) with the note numbered under it, in path order

Screenshots of both pages (index.png, finding.png), the DOMs (*.dom.html) and the report stay
in OUTDIR for a human to look at. Usage: html_browser_test.py RCCHECK RC_INCLUDE_DIR OUTDIR.
Exit 77 (skip), saying so, where no chromium is installed (scripts/install-deps --html-test);
RCCHECK_CHROMIUM names another binary."""

import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile

from testlib import check, line_of, verdict

A_SRC = """#include <rc/rc.h>
extern const rc_type thing_type;
int consume(rc_object *o);

int bad_zeta_leak(rc_heap *heap, int n)
{
	rc_object *obj = rc_new(heap, &thing_type); /*@acquire*/
	if (!obj)
		return -1;
	/* markup in the source: <b>bold</b> & "quotes" */
	if (n > 2 && consume(obj) < 0)
		return -2; /*@leak*/
	rc_decref(obj);
	return 0;
}
"""

B_SRC = """#include <rc/rc.h>
extern const rc_type thing_type;

void bad_alpha_double(rc_heap *heap)
{
	rc_object *obj = rc_new(heap, &thing_type);
	if (!obj)
		return;
	rc_decref(obj);
	rc_decref(obj); /*@double*/
}

int bad_middle_leak(rc_heap *heap)
{
	rc_object *obj = rc_new(heap, &thing_type);
	if (!obj)
		return -1;
	return 0;
}
"""


class Dom(html.parser.HTMLParser):
    """What the checks read from a page: the index's rows and sort state, the source table's
    rows (id, classes, text) in document order, the finding's message."""

    def __init__(self):
        super().__init__()
        self.sorted = None
        self.index = []  # (data-n, file, function, check, href)
        self.rows = []   # [id, classes, text]
        self.message = None
        self.in_message = False
        self.row = None
        self.index_row = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("id") == "findings":
            self.sorted = a.get("data-sorted")
        if tag == "tr" and "data-n" in a:
            self.index_row = [a["data-n"], a.get("data-file"), a.get("data-function"), a.get("data-check"), None]
            self.index.append(self.index_row)
        elif tag == "tr":
            self.row = [a.get("id"), (a.get("class") or "").split(), ""]
            self.rows.append(self.row)
        if tag == "a" and self.index_row is not None and self.index_row[4] is None:
            self.index_row[4] = a.get("href")
        if tag == "span" and a.get("class") == "message":
            self.in_message = True
            self.message = ""

    def handle_endtag(self, tag):
        if tag == "tr":
            self.row = self.index_row = None
        if tag == "span":
            self.in_message = False

    def handle_data(self, data):
        if self.row is not None:
            self.row[2] += data
        if self.in_message:
            self.message += data


def chromium_binary():
    name = os.environ.get("RCCHECK_CHROMIUM")
    if name:
        return shutil.which(name)
    return shutil.which("chromium") or shutil.which("chromium-browser")


def browser(chromium, profile, url, what):
    """chromium --headless WHAT URL (WHAT: --dump-dom, or --screenshot=FILE); returns stdout."""
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
           f"--user-data-dir={profile}", "--window-size=1200,900", what, url]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    print(f"$ {' '.join(cmd)} -> {p.returncode}")
    if p.returncode != 0:
        print(p.stderr[-3000:])
    return p.stdout


def png_size(path):
    """(width, height) of a PNG file, or None."""
    try:
        with open(path, "rb") as f:
            head = f.read(24)
    except OSError:
        return None
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    rccheck, include, outdir = os.path.abspath(sys.argv[1]), sys.argv[2], os.path.abspath(sys.argv[3])
    chromium = chromium_binary()
    if not chromium:
        print("SKIP: no chromium on PATH (scripts/install-deps --html-test installs it)")
        return 77
    shutil.rmtree(outdir, ignore_errors=True)
    os.makedirs(outdir)
    src = os.path.join(outdir, "src")
    os.makedirs(src)
    for name, text in (("a.c", A_SRC), ("b.c", B_SRC)):
        with open(os.path.join(src, name), "w") as f:
            f.write(text)
    args = ["a.c", "b.c", "--", "-I" + include]
    p = subprocess.run([rccheck, "-q", "--show-guesses", "--format=html", "-o", "../report"] + args, cwd=src,
                       capture_output=True, text=True, timeout=300)
    check(p.returncode == 1, "rccheck --format=html -o DIR: exit status 1 (findings)", p.stderr)
    p = subprocess.run([rccheck, "-q", "--show-guesses", "--format=json"] + args, cwd=src, capture_output=True,
                       text=True, timeout=300)
    findings = json.loads(p.stdout)["findings"]
    report = os.path.join(outdir, "report")
    pages = sorted(n for n in os.listdir(report) if n != "index.html")
    check(len(findings) == 3 and pages == [f"f{i}.html" for i in range(1, len(findings) + 1)],
          "index.html and one page per finding", f"{len(findings)} findings, {pages}")
    for name in ["index.html"] + pages:
        with open(os.path.join(report, name), encoding="utf-8") as f:
            text = f.read()
        check("http:" not in text and "https:" not in text and " src=" not in text and "<link" not in text,
              f"{name} is self-contained (no network, no other file)")

    with tempfile.TemporaryDirectory(prefix="rc-chromium-") as profile:
        index_url = "file://" + os.path.join(report, "index.html")
        for key in ("function", "check"):
            dom_text = browser(chromium, profile, f"{index_url}#sort={key}", "--dump-dom")
            with open(os.path.join(outdir, f"index-{key}.dom.html"), "w") as f:
                f.write(dom_text)
            dom = Dom()
            dom.feed(dom_text)
            col = 2 if key == "function" else 3
            shown = [r[col] for r in dom.index]
            check(dom.sorted == key and len(shown) == len(findings) and shown == sorted(shown),
                  f"index.html#sort={key}: the browser ran the sort script, rows in {key} order",
                  f"data-sorted={dom.sorted} {shown}")
            if key == "function":
                check(shown == ["bad_alpha_double", "bad_middle_leak", "bad_zeta_leak"],
                      "sorted by function, not in report order", str(shown))
                leak_row = [r for r in dom.index if r[2] == "bad_zeta_leak"]
        browser(chromium, profile, f"{index_url}#sort=function", f"--screenshot={os.path.join(outdir, 'index.png')}")

        leak = [f for f in findings if f["function"] == "bad_zeta_leak"]
        check(len(leak) == 1 and len(leak_row) == 1 and leak_row[0][4], "the leak has a row linking to its page",
              str(leak_row))
        leak, href = leak[0], leak_row[0][4]
        page_url = "file://" + os.path.join(report, href)
        dom_text = browser(chromium, profile, page_url, "--dump-dom")
        with open(os.path.join(outdir, "finding.dom.html"), "w") as f:
            f.write(dom_text)
        browser(chromium, profile, page_url, f"--screenshot={os.path.join(outdir, 'finding.png')}")
    dom = Dom()
    dom.feed(dom_text)
    check(dom.message == leak["message"], f"{href} shows the finding's message", f"{dom.message!r}")
    hits = [r[0] for r in dom.rows if "hit" in r[1]]
    check(hits == [f"L{line_of(A_SRC, 'leak')}"], "the finding's line is marked", str(hits))
    steps = [r[0] for r in dom.rows if "step" in r[1]]
    want = sorted({f"L{n['line']}" for n in leak["path"]}, key=lambda s: int(s[1:]))
    check(steps == want and f"L{line_of(A_SRC, 'acquire')}" in steps,
          "every line of the path is marked, and only those", f"{steps} (want {want})")
    # each note numbered under its line: the source row above note k is the line of step k
    under = {}
    last = None
    for rid, cls, text in dom.rows:
        if "note" in cls:
            num, _, msg = text.partition(" ")
            under[int(num)] = (last, msg)
        elif rid:
            last = rid
    expect = {k + 1: (f"L{n['line']}", n["message"]) for k, n in enumerate(leak["path"])}
    check(under == expect, "each step's note is numbered in path order under its line", f"{under}\nwant {expect}")
    code = [r[2] for r in dom.rows if r[0] == "L10"]
    check(code and '<b>bold</b> & "quotes"' in code[0], "the source shows markup as text", str(code))

    for name in ("index.png", "finding.png"):
        size = png_size(os.path.join(outdir, name))
        check(size == (1200, 900), f"a screenshot of the page: {os.path.join(outdir, name)}", str(size))
    return verdict("html-browser")


if __name__ == "__main__":
    sys.exit(main())
