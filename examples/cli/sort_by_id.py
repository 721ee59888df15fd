#!/usr/bin/env python3
"""sort_by_id.py - sorts a CSV file by its lead id column for
`leadgate-triage --sorted`, as `LC_ALL=C sort` orders the ids (byte order,
a prefix first), keeping the header first and each record's bytes as they
are (quoted fields with line breaks included, which a line-based `sort`
would cut apart).  The id is as leadgate-triage reads it: blanks around
an unquoted one are trimmed, inside quotes they are kept.  Records with
the same id keep their order.

    sort_by_id.py [--column NAME] IN.csv OUT.csv

The column is `id`, else `lead_id` (whichever the header has) unless
--column names it.  Blank lines are dropped; a record without the column
sorts first.  Memory: the whole file.
"""
import argparse
import csv
import sys


def records(f):
    """(raw text, parsed row) for each record of f, the header included."""
    raw = []

    def lines():
        first = True
        for line in f:
            raw.append(line)
            # a byte order mark is kept, but not read as part of the header
            yield line[1:] if first and line.startswith("\ufeff") else line
            first = False

    for row in csv.reader(lines(), skipinitialspace=False):
        text = "".join(raw)
        raw.clear()
        yield text, row


def quoted(text, col):
    """Whether field `col` of the raw record `text` opens with a quote."""
    n, start, inq = 0, True, False
    for c in text:
        if start:
            if n == col:
                return c == '"'
            start = False
            if c == '"':
                inq = True
                continue
        if c == '"':
            inq = not inq  # a doubled quote leaves and enters again
        elif c == "," and not inq:
            n, start = n + 1, True
    return False


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--column")
    ap.add_argument("input")
    ap.add_argument("output")
    a = ap.parse_args()
    with open(a.input, encoding="utf-8", errors="surrogateescape", newline="") as f:
        it = records(f)
        try:
            head_text, head = next(it)
        except StopIteration:
            sys.exit(f"{a.input}: empty")
        names = [h.strip(" \t").split(":")[0] for h in head]
        want = [a.column] if a.column else ["id", "lead_id"]
        col = next((names.index(w) for w in want if w in names), None)
        if col is None:
            sys.exit(f"{a.input}: the header has no {' or '.join(want)} column")
        body = []
        for text, row in it:
            if not row:
                continue
            if not text.endswith(("\n", "\r")):
                text += "\n"
            key = row[col] if col < len(row) else ""
            if not quoted(text, col):  # triage trims blanks off unquoted cells only
                key = key.strip(" \t")
            body.append((key.encode("utf-8", "surrogateescape"), len(body), text))
    body.sort()
    with open(a.output, "w", encoding="utf-8", errors="surrogateescape", newline="") as out:
        out.write(head_text)
        for _, _, text in body:
            out.write(text)


if __name__ == "__main__":
    main()
