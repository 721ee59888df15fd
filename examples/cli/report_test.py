#!/usr/bin/env python3
"""Tests of leadgate-report (run by CTest from the source tree).

  report_test.py sample  BUILD_DIR   the page on the sample data: well formed
                                     (a strict parser), self-contained, every
                                     section, and its numbers equal to
                                     leadgate-sla-watch's output, to
                                     leadgate-triage's verdicts and to a tally
                                     made here from the CSV files
  report_test.py bad     BUILD_DIR   bad input: messages, exit statuses, and a
                                     valid page where one makes sense
  report_test.py screenshot BUILD_DIR  regenerates examples/report.png (the
                                     README's picture: the top of the page)
  report_test.py browser BUILD_DIR   chromium headless renders the page to a
                                     PNG (kept in BUILD_DIR) and to DOM; the DOM
                                     has the sections and numbers, the page
                                     logged no error

The tally below reads assignments.csv and reps.csv itself and counts
business time on the sample policy's calendar (examples/policies/
inbound.policy: UTC+01:00 from 2026-10-25, Mon-Fri 09:00-17:30, Sat
10:00-13:00, holiday 2026-12-25), which it writes out here on purpose: it
shares no code with the library or the report.
"""
import csv
import datetime as dt
import html
import html.parser
import math
import os
import re
import subprocess
import sys
import tempfile

NOW = "2026-11-23T10:00:00Z"
DATA = "examples/data"
BASE = ["--rubric", "examples/rubrics/b2b.rubric", "--policy", "examples/policies/inbound.policy"]
SECTIONS = ["headline", "reps", "response", "quota", "actions", "funnel", "lately"]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(prog, args):
    p = subprocess.run([prog] + args, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def report_args(extra=(), assignments=DATA + "/assignments.csv", reps=DATA + "/reps.csv"):
    a = BASE + ["--events", DATA + "/events.csv", "--assignments", assignments, "--now", NOW]
    if reps:
        a += ["--reps", reps]
    return a + list(extra) + [DATA + "/leads.csv"]


# ---- a strict HTML checker ------------------------------------------------------

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "wbr", "source"}


class Strict(html.parser.HTMLParser):
    """Every element closed in order, void elements self-closed, attribute
    values quoted, no duplicate ids or attributes, entities known, and
    nothing that loads a resource."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.stack, self.errors, self.ids, self.svgs, self.titled = [], [], set(), 0, 0
        self.text = []

    def error_at(self, msg):
        self.errors.append("%d:%d: %s" % (self.getpos() + (msg,)))

    def handle_starttag(self, tag, attrs):
        raw = self.get_starttag_text()
        self.check_attrs(tag, attrs, raw)
        if tag in VOID:
            self.error_at("<%s> without />" % tag)
            return
        if tag == "svg":
            self.svgs += 1
        if tag == "title" and self.stack and self.stack[-1] == "svg":
            self.titled += 1
        self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.check_attrs(tag, attrs, self.get_starttag_text())
        if tag not in VOID and self.stack and "svg" not in self.stack:
            self.error_at("<%s/> is not a void element" % tag)

    def check_attrs(self, tag, attrs, raw):
        names = [a for a, _ in attrs]
        if len(names) != len(set(names)):
            self.error_at("duplicate attribute in <%s>" % tag)
        for m in re.finditer(r"\s([a-zA-Z:-]+)(=(\"[^\"]*\"|'[^']*'|[^\s>]*))?", raw[len(tag) + 1:]):
            if m.group(2) and m.group(3)[:1] not in "\"'":
                self.error_at("unquoted attribute %s in <%s>" % (m.group(1), tag))
        for a, v in attrs:
            if a == "id":
                if v in self.ids:
                    self.error_at("duplicate id %s" % v)
                self.ids.add(v)
            if a in ("src", "srcset", "data", "action", "xlink:href", "poster"):
                self.error_at("%s= in <%s>" % (a, tag))
            if a == "href" and not (v or "").startswith("#"):
                self.error_at("href to %s" % v)
        if tag in ("img", "iframe", "link", "object", "embed", "image", "use"):
            self.error_at("<%s> loads a resource" % tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.error_at("</%s> closes %s" % (tag, self.stack[-1] if self.stack else "nothing"))
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_entityref(self, name):
        if name not in ("amp", "lt", "gt", "quot"):
            self.error_at("entity &%s;" % name)
        self.text.append({"amp": "&", "lt": "<", "gt": ">", "quot": '"'}.get(name, ""))

    def handle_charref(self, name):
        self.text.append(chr(int(name[1:], 16) if name[0] in "xX" else int(name)))

    def handle_data(self, data):
        if self.stack and self.stack[-1] not in ("script", "style"):
            if "&" in data or "<" in data:
                self.error_at("unescaped & or < in text")
            self.text.append(data)

    def handle_decl(self, decl):
        if decl.lower() != "doctype html":
            self.error_at("doctype %s" % decl)


def well_formed(page, label):
    p = Strict()
    p.feed(page)
    p.close()
    check(not p.errors, "%s: well formed (%s)" % (label, "; ".join(p.errors[:5])))
    check(not p.stack, "%s: unclosed %s" % (label, p.stack))
    check(p.svgs == p.titled, "%s: every svg has a <title> (%d of %d)" % (label, p.titled, p.svgs))
    low = page.lower()
    for bad in ("http:", "https:", "//", "src=", "url(", "@import"):
        check(bad not in low, "%s: no external reference (%s)" % (label, bad))
    for s in SECTIONS:
        check('<section id="%s">' % s in page, "%s: section %s" % (label, s))
    return p


def text_of(page, start, end=None):
    """The text of the page between two markers (tags removed)."""
    i = page.index(start)
    j = page.index(end, i) if end else len(page)
    t = re.sub(r"<[^>]+>", " ", page[i:j])
    return re.sub(r"\s+", " ", html.unescape(t))


# ---- the independent tally ---------------------------------------------------------

def ts(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp() if s else None


def business(a, b):
    """Open seconds in [a, b) on the sample policy's calendar."""
    tz = dt.timezone(dt.timedelta(hours=1))
    total = 0
    day = dt.datetime.fromtimestamp(a, tz).date()
    last = dt.datetime.fromtimestamp(b, tz).date()
    while day <= last:
        if day != dt.date(2026, 12, 25):
            hours = {5: [(10 * 60, 13 * 60)]}.get(day.weekday(), [(9 * 60, 17 * 60 + 30)])
            if day.weekday() == 6:
                hours = []
            for lo, hi in hours:
                start = dt.datetime(day.year, day.month, day.day, tzinfo=tz).timestamp()
                o1, o2 = start + lo * 60, start + hi * 60
                total += max(0, min(b, o2) - max(a, o1))
        day += dt.timedelta(days=1)
    return int(total)


def nearest_rank(xs, p):
    xs = sorted(xs)
    return xs[max(0, math.ceil(p * len(xs)) - 1)] if xs else 0


def hm(d):
    return "%dh%02dm" % (d // 3600, d % 3600 // 60)


def tally(since=None):
    """Per rep, over the leads first assigned at or after `since`."""
    now, target = ts(NOW), 48 * 3600
    rows = list(csv.DictReader(open(DATA + "/assignments.csv")))
    by_lead = {}
    for r in rows:
        by_lead.setdefault(r["lead_id"], []).append(r)
    if since:
        by_lead = {k: v for k, v in by_lead.items() if ts(v[0]["assigned_at"]) >= ts(since)}
    reps = {}
    for lead, rs in by_lead.items():
        for i, r in enumerate(rs):
            a = ts(r["assigned_at"])
            nxt = ts(rs[i + 1]["assigned_at"]) if i + 1 < len(rs) else None
            t = ts(r["touched_at"])
            if t is not None and nxt is not None and t >= nxt:
                t = None
            s = reps.setdefault(r["owner"], dict(assigned=0, touched=0, in_sla=0, breached=0,
                                                 overdue=0, resp=[]))
            s["assigned"] += 1
            end = min(nxt, now) if nxt is not None else now
            if t is not None:
                d = business(a, t)
                s["touched"] += 1
                s["resp"].append(d)
                s["in_sla"] += d <= target
                s["breached"] += d > target
            elif business(a, end) >= target:
                s["breached"] += 1
                s["overdue"] += nxt is None
    att = {r["id"]: float(r["attainment"]) for r in csv.DictReader(open(DATA + "/reps.csv"))
           if r.get("attainment")}
    return len(by_lead), reps, att


def pearson(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy)


# ---- the tests ------------------------------------------------------------------------

def sample(build):
    prog = build + "/leadgate-report"
    rc, page, err = run(prog, report_args(["--capacity", "10"]))
    check(rc == 0, "sample: exit 0 (got %d: %s)" % (rc, err))
    well_formed(page, "sample")
    # --out writes the same page
    out = os.path.join(tempfile.mkdtemp(), "r.html")
    rc2, so, _ = run(prog, report_args(["--capacity", "10", "--out", out]))
    check(rc2 == 0 and so == "" and open(out).read() == page, "--out FILE writes the page")

    # leadgate-sla-watch on the same inputs
    rc, sw, err = run(build + "/leadgate-sla-watch",
                      ["--policy", BASE[3], "--assignments", DATA + "/assignments.csv",
                       "--reps", DATA + "/reps.csv", "--now", NOW])
    check(rc == 0, "sla-watch ran")
    blocks = [list(csv.reader(b.strip().splitlines())) for b in sw.split("\n\n")]
    leads, reps, metric = blocks[0][1:], blocks[1][1:], dict(blocks[2][1:])
    rep_text = text_of(page, '<table class="sortable"', "</table>")
    for r in reps:
        rep, assigned, touched, in_sla, p, med, p90, breached, overdue = r
        want = " ".join([rep] + (["⚑ worst"] if re.search(
            r"<tr class=\"worst\"><td>%s " % re.escape(rep), page) else []) +
            [assigned, touched, in_sla, p, breached, overdue, med, p90])
        check(want in rep_text, "rep row %s as sla-watch: %s" % (rep, want))
    tot = [sum(int(r[i]) for r in reps) for i in (1, 2, 3, 7, 8)]
    head = text_of(page, '<table id="headline-table">', "</table>")
    check("leads assigned %d " % len(leads) in head, "headline: leads as sla-watch rows")
    check("assignments %d followed up %d followed up within the SLA %d (%.1f%%) breached %d "
          "open and overdue now %d" % (tot[0], tot[1], tot[2], 100.0 * tot[2] / tot[0], tot[3],
                                       tot[4]) in head, "headline sums equal sla-watch's: " + head)
    r = float(metric["in_sla_rate_vs_attainment_r"])
    check('id="quota-r">%.3f<' % r in page and 'id="quota-n">%s<' % metric["reps_correlated"] in page,
          "r and n as sla-watch")
    acts = text_of(page, '<section id="actions">', "</section>")
    for l in leads:
        lead, owner, _, state, action, new_owner = l[:6]
        if action == "none":
            check(" %s " % lead not in acts, "no action for %s" % lead)
            continue
        want = "%s %s%s %s" % (lead, action, " to " + new_owner if new_owner else "", state)
        check(want in acts, "action as sla-watch: " + want)
        sec = page[page.index('<section id="actions">'):]
        h3 = sec.rfind("<h3>", 0, sec.index("<td>%s</td>" % lead))
        check(sec[h3:].startswith("<h3>%s</h3>" % owner), "%s listed under its rep %s" % (lead, owner))

    # the tally made here
    n_leads, t, att = tally()
    check("leads assigned %d " % n_leads in head, "headline leads = tally %d" % n_leads)
    every = [d for s in t.values() for d in s["resp"]]
    check('id="h-median"><b>%s<' % hm(nearest_rank(every, 0.5)) in page and
          'id="h-p90"><b>%s<' % hm(nearest_rank(every, 0.9)) in page,
          "headline median/p90 = tally %s/%s" % (hm(nearest_rank(every, 0.5)),
                                                hm(nearest_rank(every, 0.9))))
    compare_reps(rep_text, t, "tally")

    # a period: the leads first assigned from the 16th
    since = "2026-11-16T00:00:00Z"
    rc, pp, err = run(prog, report_args(["--since", since]))
    n_p, t_p, _ = tally(since)
    check(rc == 0 and "leads assigned %d " % n_p in text_of(pp, '<table id="headline-table">', "</table>"),
          "--since: leads = tally %d" % n_p)
    compare_reps(text_of(pp, '<table class="sortable"', "</table>"), t_p, "--since tally")
    check("Leads first assigned from <time>%s</time>" % since in pp, "--since: the period is named")

    names = [rep for rep in sorted(t) if rep in att]
    xs = [att[n] for n in names]
    ys = [t[n]["in_sla"] / t[n]["assigned"] for n in names]
    r2 = pearson(xs, ys)
    z, se = math.atanh(r2), 1 / math.sqrt(len(xs) - 3)
    lo, hi = math.tanh(z - 1.96 * se), math.tanh(z + 1.96 * se)
    check('id="quota-r">%.3f<' % r2 in page, "r = tally %.3f" % r2)
    check('id="quota-ci">%.3f to %.3f<' % (lo, hi) in page, "CI = tally %.3f to %.3f" % (lo, hi))
    check(("includes zero" in page) == (lo <= 0 <= hi), "the words follow the interval")
    funnel_and_lately(build, page, t)


def compare_reps(rep_text, t, label):
    for rep, s in sorted(t.items()):
        cells = [rep, s["assigned"], s["touched"], s["in_sla"],
                 "%.1f" % (100.0 * s["in_sla"] / s["assigned"]), s["breached"], s["overdue"],
                 hm(nearest_rank(s["resp"], 0.5)) if s["resp"] else "",
                 hm(nearest_rank(s["resp"], 0.9)) if s["resp"] else ""]
        got = re.search(r"%s( ⚑ worst)? (.*?) (\d\.\d\d|rep-|$)" % re.escape(rep), rep_text)
        want = " ".join(str(c) for c in cells[1:]).strip()
        check(got and got.group(2).strip() == want,
              "rep %s = %s %s (page: %s)" % (rep, label, want, got and got.group(2)))
    check(rep_text.count(" rep-") == len(t), "%s: as many reps as the tally" % label)


def funnel_and_lately(build, page, t):

    # the funnel: verdicts and fit scores as leadgate-triage gives them
    rc, tri, _ = run(build + "/leadgate-triage",
                     BASE + ["--events", DATA + "/events.csv", "--now", NOW, "--format", "csv",
                             DATA + "/leads.csv"])
    tr = list(csv.DictReader(tri.splitlines()))
    for v in ("nurture", "mql", "disqualify"):
        n = sum(1 for x in tr if x["verdict"] == v)
        check('id="verdict-%s">%d<' % (v, n) in page, "verdict %s = triage's %d" % (v, n))
    hist = text_of(page, '<table id="histogram-table">', "</table>")
    for b in range(12):
        n = sum(1 for x in tr if b <= float(x["fit"]) < b + 1)
        check("%d to under %d %d " % (b, b + 1, n) in hist + " ", "fit bin %d = triage's %d" % (b, n))
    fits = sorted((float(x["fit"]) for x in tr if x["verdict"] != "disqualify"), reverse=True)
    cap = 10 * 7  # --capacity 10, 7 reps, one month
    check('id="capacity-threshold">%.3f' % (fits[cap] + 0.001) in page,
          "capacity threshold = the 71st best fit + 0.001 (%.3f)" % (fits[cap] + 0.001))
    check('id="qualify-threshold">8.000<' in page, "qualify threshold fit >= 8")
    lately = text_of(page, '<section id="lately">', "</section>")
    for rep, s in t.items():
        check("%s: %d received, %d followed up within the SLA" % (rep, s["assigned"], s["in_sla"])
              in lately, "lately header of %s" % rep)
    check(lately.count("<tr>") == 0 and page.count("<tr><td>L-", page.index('id="lately"')) ==
          sum(s["assigned"] for s in t.values()), "lately: one row per assignment")


def bad(build):
    prog = build + "/leadgate-report"
    err_dir = DATA + "/errors"
    # a missing column: exit 2, the file and what is missing, nothing written
    rc, out, err = run(prog, report_args(assignments=err_dir + "/report_no_owner.csv"))
    check(rc == 2 and out == "" and "report_no_owner.csv:1: the header has no 'owner' column" in err,
          "missing column: exit 2 and a message (%d, %s)" % (rc, err))
    # assignments of a lead the leads file lacks: a warning, a valid page, exit 1
    rc, out, err = run(prog, report_args(assignments=err_dir + "/report_unknown_lead.csv"))
    check(rc == 1 and "lead L-999999 of" in err and "is not in" in err,
          "unknown lead: exit 1 and a warning (%d, %s)" % (rc, err))
    if out:
        well_formed(out, "unknown lead")
        check("not in the leads file" in out, "unknown lead: the page says so")
    # reps without attainment: the scatter says it lacks data
    rc, out, err = run(prog, report_args(reps=err_dir + "/reps_no_attainment.csv"))
    check(rc == 0 and "has no attainment column" in err, "no attainment: a note (%d, %s)" % (rc, err))
    if out:
        well_formed(out, "no attainment")
        check('id="quota-lacks"' in out and "has no attainment column" in out,
              "no attainment: the section lacks data")
    # three reps with an attainment: r, n, and "too few to conclude"
    rc, out, err = run(prog, report_args(reps=err_dir + "/reps_three_attainment.csv"))
    check(rc == 0 and 'id="quota-n">3<' in out and "too few reps to conclude anything" in out and
          'id="quota-ci"' not in out, "n = 3: no interval, too few to conclude (%d)" % rc)
    rc, out, err = run(prog, report_args(reps=None))
    check(rc == 0 and 'id="quota-lacks"' in out and "no reps file" in out, "no reps file")
    # an empty period: a note and a valid page that says so
    rc, out, err = run(prog, report_args(["--since", "2026-11-23T09:00:00Z"]))
    check(rc == 0 and "no lead was first assigned between" in err, "empty period: a note")
    if out:
        well_formed(out, "empty period")
        check('id="empty-period"' in out, "empty period: the page says so")
    # usage: --since after --now, a bad --capacity, no leads file
    for args, msg in ((["--since", "2026-12-01T00:00:00Z"], "--since is after --now"),
                      (["--capacity", "-3"], "--capacity: '-3' is not a whole number")):
        rc, out, err = run(prog, report_args(args))
        check(rc == 2 and out == "" and msg in err, "usage: %s (%d, %s)" % (msg, rc, err))
    rc, out, err = run(prog, BASE + ["--assignments", DATA + "/assignments.csv"])
    check(rc == 2 and "the leads file (LEADS.csv) is required" in err, "no leads file")
    # HTML in the input is escaped
    rc, out, err = run(prog, report_args(assignments=err_dir + "/report_markup.csv", reps=None))
    check(rc == 1, "markup: exit 1 (its lead is not in the leads file) (%d, %s)" % (rc, err))
    if out:
        well_formed(out, "markup in input")
        check("rep-&lt;i&gt;&amp;&quot;x&quot;" in out and "<i>" not in out and
              "L-&lt;script&gt;" in out and "<script>alert" not in out, "input is escaped")


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def browser(build):
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    out_dir = os.path.join(build, "report")
    os.makedirs(out_dir, exist_ok=True)
    page = os.path.abspath(os.path.join(out_dir, "report.html"))
    png = os.path.abspath(os.path.join(out_dir, "report.png"))
    rc, _, err = run(build + "/leadgate-report", report_args(["--capacity", "10", "--out", page]))
    check(rc == 0, "the page was written (%s)" % err)
    url = "file://" + page
    with tempfile.TemporaryDirectory() as profile:
        flags = CHROMIUM_FLAGS + ["--user-data-dir=" + profile]
        shot = subprocess.run([chromium] + flags + ["--window-size=1100,3400", "--hide-scrollbars",
                                                    "--screenshot=" + png, url],
                              capture_output=True, text=True, timeout=60)
    check(os.path.exists(png) and os.path.getsize(png) > 10000, "screenshot written")
    print("screenshot: " + png)
    with tempfile.TemporaryDirectory() as profile:
        flags = CHROMIUM_FLAGS + ["--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"]
        dump = subprocess.run([chromium] + flags + ["--dump-dom", url], capture_output=True,
                              text=True, timeout=60)
    dom = dump.stdout
    for s in SECTIONS:
        check('<section id="%s">' % s in dom, "DOM: section %s" % s)
    check('data-js="ran"' in dom, "DOM: the script ran to its end")
    check('data-js-error="' not in dom, "DOM: no script error")
    console = [l for l in (shot.stderr + dump.stderr).splitlines()
               if "CONSOLE" in l or "Uncaught" in l]
    check(not console, "no console message: %s" % console[:3])
    for num in ('id="h-leads"><b>16<', 'id="h-in-sla"><b>30.0%<', 'id="h-median"><b>9h00m<',
                'id="quota-r">0.530<', 'id="verdict-mql">15<'):
        check(num in dom, "DOM has " + num)
    # the error hook works: the same page with a failing script records it
    broken = page.replace("report.html", "broken.html")
    with open(page) as f, open(broken, "w") as g:
        g.write(f.read().replace("</body>", "<script>no_such_function();</script>\n</body>"))
    with tempfile.TemporaryDirectory() as profile:
        flags = CHROMIUM_FLAGS + ["--user-data-dir=" + profile]
        bdom = subprocess.run([chromium] + flags + ["--dump-dom", "file://" + broken],
                              capture_output=True, text=True, timeout=60).stdout
    check('data-js-error="' in bdom, "a script error would be seen")
    check(re.search(r'<svg id="response-chart"[^>]*>\s*<title', dom) is not None,
          "DOM: the chart has its title")


def screenshot(build):
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(tmp, "report.html")
        rc, _, err = run(build + "/leadgate-report", report_args(["--capacity", "10", "--out", page]))
        check(rc == 0, "the page was written (%s)" % err)
        subprocess.run([chromium] + CHROMIUM_FLAGS + ["--user-data-dir=" + tmp + "/profile",
                                                      "--window-size=1100,1500", "--hide-scrollbars",
                                                      "--screenshot=" + os.path.abspath("examples/report.png"),
                                                      "file://" + page],
                       capture_output=True, timeout=60)
    print("wrote examples/report.png")


if __name__ == "__main__":
    mode, build = sys.argv[1], os.path.abspath(sys.argv[2])
    {"sample": sample, "bad": bad, "browser": browser, "screenshot": screenshot}[mode](build)
    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)
    print("ok")
