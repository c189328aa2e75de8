#!/usr/bin/env python3
"""A table of rates from lines "ROUND ROW PER_SECOND" on stdin.

usage: rate-table.py OUT_DIR NAME BASELINE NOTE

Per row: the median over the rounds, and the median of its per-round
ratio to the BASELINE row (so drift between rounds cancels). Writes
OUT_DIR/NAME.md (the table, then NOTE) and OUT_DIR/NAME.json, and prints
the table.
"""
import json
import statistics
import sys


def main():
    out, name, base, note = sys.argv[1:5]
    rates = {}  # row -> {round: per second}, rows in the order seen
    for line in sys.stdin:
        r, row, rate = line.split()
        rates.setdefault(row, {})[int(r)] = float(rate)
    rows = {}
    for row, by_round in rates.items():
        ratios = [v / rates[base][r] for r, v in by_round.items() if rates[base].get(r)]
        rows[row] = {"per_s": statistics.median_low(by_round.values()),
                     "vs_" + base: statistics.median_low(ratios) if ratios else None}
    md = ["| 4 KiB | per second | / %s |" % base, "|---|---|---|"]
    md += ["| %s | %d | %s |" % (row, v["per_s"], "%.2f" % v["vs_" + base]
                                 if v["vs_" + base] is not None else "n/a")
           for row, v in rows.items()]
    text = "\n".join(md) + "\n\n" + note + "\n"
    with open("%s/%s.md" % (out, name), "w") as f:
        f.write(text)
    with open("%s/%s.json" % (out, name), "w") as f:
        json.dump({"rounds": len(next(iter(rates.values()), {})), "rows": rows}, f)
        f.write("\n")
    print(text, end="")


if __name__ == "__main__":
    main()
