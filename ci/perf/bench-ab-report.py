#!/usr/bin/env python3
"""The tables of ci/perf/bench-ab.sh: its folder's runs.jsonl (one JSON line a run, tagged "who") as Markdown.

Each figure: the median of the runs' medians (min-max of the runs' medians); the bound: the best read bandwidth
of ci/perf/stream.c over the bytes a tg token reads (the tensors, as llama-bench's model_size counts them, else
the GGUF file's size, and the F32 KV cache at the run's mean context, 1 + 64/2 positions).
"""
import json
import os
import statistics
import sys


def main(d):
    runs = [json.loads(line) for line in open(os.path.join(d, "runs.jsonl"), encoding="utf-8") if line.strip()]
    by = {}
    for r in runs:
        by.setdefault(r["who"], []).append(r)

    def ts(who):
        rs = [r for r in by.get(who, []) if not r.get("failed")]
        if not rs:
            return None
        vals = [r.get("tokens_per_s_median", r.get("avg_ts")) for r in rs]
        return statistics.median(vals), min(vals), max(vals)

    def cell(v):
        return "—" if v is None else f"{v[0]:.1f} ({v[1]:.1f}–{v[2]:.1f})"

    def ratio(a, b):
        return "—" if a is None or b is None else f"{a[0] / b[0]:.2f}"

    print(open(os.path.join(d, "machine.txt"), encoding="utf-8").read().strip().replace("\n", "; "))
    print()
    sizes = {}
    for line in open(os.path.join(d, "models.txt"), encoding="utf-8"):
        ty, n = line.split()
        sizes[ty] = int(n)
    bw = {}
    print("| threads | stream read GB/s: best (median) |")
    print("|---|---|")
    for r in runs:
        if r["who"] == "stream" and r["kernel"] == "read":
            bw[r["threads"]] = r["best_gb_s"]
            print(f"| {r['threads']} | {r['best_gb_s']:.1f} ({r['median_gb_s']:.1f}) |")
    print()
    print("| weights | threads | before (tg 64 t/s) | after | after / before | ggml's kernels | llama-bench | "
          "llama-bench, flash attention | after / llama-bench | after / llama-bench FA | bound t/s | after / bound | "
          "4-seq step / greedy, before → after | 16-seq step / greedy, before → after | busy, before → after | "
          "busy after / quiet after |")
    print("|" + "---|" * 16)
    keys = sorted({tuple(w.split()[1:3]) for w in by if w.startswith("new ") and " x" not in w})
    for ty, t in keys:
        th = int(t[1:])
        b, a, g = ts(f"base {ty} {t}"), ts(f"new {ty} {t}"), ts(f"new-ggml {ty} {t}")
        lo, lf = ts(f"llama-fa-off {ty} {t}"), ts(f"llama-fa-on {ty} {t}")
        size = next((r["model_size"] for r in by.get(f"llama-fa-off {ty} {t}", []) if "model_size" in r), sizes.get(ty))
        n_bytes = None if size is None else size + 2 * 12 * 768 * 4 * (1 + 64 / 2)
        bound = None if n_bytes is None or th not in bw else bw[th] * 1e9 / n_bytes
        steps = []
        for n in (4, 16):
            pair = []
            for who in ("base", "new"):
                s = ts(f"{who} {ty} {t} x{n}")
                g1 = ts(f"{who} {ty} {t}")
                pair.append("—" if s is None or g1 is None else f"{n * g1[0] / s[0]:.2f}")
            steps.append(" → ".join(pair))
        bb, ba = ts(f"busy base {ty} {t}"), ts(f"busy new {ty} {t}")
        print(f"| {ty} | {th} | {cell(b)} | {cell(a)} | {ratio(a, b)} | {cell(g)} | {cell(lo)} | {cell(lf)} | "
              f"{ratio(a, lo)} | {ratio(a, lf)} | {'—' if bound is None else f'{bound:.1f}'} | "
              f"{'—' if bound is None else f'{a[0] / bound:.2f}'} | {steps[0]} | {steps[1]} | "
              f"{cell(bb)} → {cell(ba)} | {ratio(ba, a)} |")


if __name__ == "__main__":
    main(sys.argv[1])
