#!/usr/bin/env python3
"""The tables of bench/40-swap.sh, from its raw measurements.

usage: swap-table.py OUT_DIR WS_MIB PEAKS RAW

PEAKS has lines "WORKLOAD PEAK BASE": the MiB its local run took at most
(memory.peak), and its smallest run (the program without its heap); RAW lines
"ROUND WORKLOAD HOW FRACTION VARIANT NS PAGES_IN PAGES_OUT" (VARIANT "-" but
for lego; the pages moved to and from remote memory).
Writes OUT_DIR/swap.md and OUT_DIR/swap.json and prints the table. A
slowdown is the median of the per-round ratios against local in the same
round, a speedup against swap likewise, so that a slow round of the rack
slows both sides.
"""
import json
import statistics
import sys


def median(values):
    return statistics.median_low(values)


def main():
    out, ws, peaks_file, raw_file = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    peaks = {w: (int(p), int(b)) for w, p, b in (line.split() for line in open(peaks_file))}
    t = {}      # (workload, how, fraction, variant) -> {round: ms}
    pages = {}  # the same -> {round: (pages in, pages out)}
    order = []  # keys in the order measured
    for line in open(raw_file):
        r, w, how, f, variant, ns, pages_in, pages_out = line.split()
        key = (w, how, float(f), variant)
        if key not in t:
            t[key] = {}
            pages[key] = {}
            order.append(key)
        t[key][int(r)] = int(ns) / 1e6
        pages[key][int(r)] = (int(pages_in), int(pages_out))
    rounds = sorted({r for v in t.values() for r in v})

    rows = []
    for key in sorted(order, key=lambda k: (list(peaks).index(k[0]), k[1] != "local",
                                            -k[2], k[1] != "swap", order.index(k))):
        w, how, f, variant = key
        ms = t[key]
        local = t[(w, "local", 100.0, "-")]
        row = {"workload": w, "how": how, "fraction": f}
        if how == "lego":
            row["variant"] = variant
        row.update(median_ms=median(ms.values()), min_ms=min(ms.values()),
                   max_ms=max(ms.values()),
                   slowdown=median([ms[r] / local[r] for r in ms]),
                   pages_in=median([p[0] for p in pages[key].values()]),
                   pages_out=median([p[1] for p in pages[key].values()]))
        swap = t.get((w, "swap", f, "-"))
        if how == "lego" and swap:
            row["speedup_vs_swap"] = median([swap[r] / ms[r] for r in ms if r in swap])
        rows.append(row)

    md = ["| workload | how | local memory | median ms | min ms | max ms "
          "| slowdown vs local | lego speedup vs swap | pages in | pages out |",
          "|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        how = row["how"] + (" " + row["variant"] if "variant" in row else "")
        speedup = "%.2f" % row["speedup_vs_swap"] if "speedup_vs_swap" in row else ""
        md.append("| %s | %s | %g%% | %.1f | %.1f | %.1f | %.2f | %s | %d | %d |" % (
            row["workload"], how, row["fraction"], row["median_ms"], row["min_ms"],
            row["max_ms"], row["slowdown"], speedup, row["pages_in"], row["pages_out"]))
    md.append("")
    md.append(
        "Working set %d MiB; local peaks (memory.peak), and bases (the program without "
        "its heap): %s. random = %d accesses to random "
        "pages (half of them writes), seq = 2 scans, stride = 2 scans of every 3rd page, "
        "all timed phase only (bench/tools/membench); python and sqlite: the whole run, output checked against the local "
        "run's. Local memory: the ExCache (lego, variant = policy/prefetch pages, /poll_us if not the "
        "default) or the "
        "cgroup memory.high (swap, on nvme-rdma to a ramdisk on mmon0; the budget plus the "
        "program's base), as a percentage of the working set. Pages in and out: "
        "4 KiB pages moved to and from remote memory in the whole run (swapped in and out; the vNode's "
        "pages read or fetched, and written back). Medians of %d rounds; a slowdown or speedup is the median "
        "of the per-round ratios. Goal: at 25%%, lego >= 2x faster than swap on random."
        % (ws, ", ".join("%s %d MiB (base %d)" % (w, p, b) for w, (p, b) in peaks.items()),
           ws * 256, len(rounds)))
    text = "\n".join(md) + "\n"
    with open(out + "/swap.md", "w") as f:
        f.write(text)
    with open(out + "/swap.json", "w") as f:
        json.dump({"ws_mib": ws, "rounds": len(rounds),
                   "peak_mib": {w: p for w, (p, _) in peaks.items()},
                   "base_mib": {w: b for w, (_, b) in peaks.items()}, "rows": rows}, f)
        f.write("\n")
    print(text, end="")


if __name__ == "__main__":
    main()
