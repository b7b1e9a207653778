#!/usr/bin/env python3
"""The tables of ci/perf/bench.sh, in Markdown, from the raw results in its output folder.

    python3 ci/perf/bench-report.py OUTDIR

Reads OUTDIR/machine.txt, stream.jsonl, info-<type>.txt and, per weight type, native-c-<type>.jsonl
(gpt2-bench --json), native-c-llamaset[-fa]-<type>.jsonl (gpt2-bench with llama.cpp's settings, and
flash attention), native-java-<type>.jsonl and java-<type>.jsonl (gpt2 bench --json) and
llama[-fa]-<type>.jsonl (llama-bench -o jsonl, flash attention off and on; a {"failed": ...} line for a run that failed, shown in its cell),
columns-<type>.jsonl (gpt2-bench --beams B: steps of B sequences) and the busy machine's
busy-native-c[-noadapt]-<type>.jsonl and busy-llama-<type>.jsonl. A file that is absent gives "—".
Every ratio is a ratio of medians. Standard library only.
"""
import json
import os
import re
import statistics
import sys


def read_jsonl(path):
    if not os.path.exists(path):
        return []
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                rows.append(json.loads(line))
    return rows


def read_kv(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                out[k] = v
    return out


class Fig:
    """A figure: median, min, max of tokens/s over the runs."""

    def __init__(self, median, lo, hi, runs):
        self.median, self.lo, self.hi, self.runs = median, lo, hi, runs

    def cell(self):
        return f"{self.median:.1f} ({self.lo:.1f}–{self.hi:.1f})"


class Failed:
    """A peer's run that failed: its signal or exit code in the cell, no figure."""

    median = None

    def __init__(self, why):
        self.why = why

    def cell(self):
        return f"failed ({self.why})"


def ours(rows, test, threads):
    for r in rows:
        if r["test"] == test and int(r["threads"]) == threads:
            return Fig(r["tokens_per_s_median"], r["min"], r["max"], r["repetitions"])
    return None


def llama(rows, kind, n, threads):
    for r in rows:
        if "failed" in r:
            if r["label"] == f"{kind} {n} t{threads}":
                return Failed(r["failed"])
            continue
        if int(r["n_threads"]) != threads:
            continue
        if (kind == "pp" and r["n_prompt"] == n and r["n_gen"] == 0) or (kind == "tg" and r["n_gen"] == n and r["n_prompt"] == 0):
            ts = sorted(r["samples_ts"])
            # the upper median for an even count, as gpt2-bench and gpt2 bench take it
            return Fig(ts[len(ts) // 2], ts[0], ts[-1], len(ts))
    return None


def med(f):
    return None if f is None else f.median


def ratio(a, b, fmt="{:.2f}"):
    if a is None or b is None or b == 0:
        return "—"
    return fmt.format(a / b)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: bench-report.py OUTDIR")
    d = sys.argv[1]
    m = read_kv(os.path.join(d, "machine.txt"))
    n_prompt, n_gen, beams = int(m["n_prompt"]), int(m["n_gen"]), int(m["beams"])
    threads = [int(t) for t in m["threads"].split(",")]
    types = m["types"].split(",")
    quick = m["quick"] == "1"

    out = []
    p = out.append
    p(f"## ci/perf/bench.sh{' --quick' if quick else ''}: {m['date']}, commit {m['commit']}")
    p("")
    if quick:
        p("**A `--quick` run (short tests, few runs): a check of the script, not figures to quote.**")
        p("")
    p(f"- machine: {m['cpu']}, {m['cores']} cores seen, {m['memory']}; CPU flags: {m['flags'].strip()}")
    p(f"- load average (1, 5, 15 min) before: {m['load_before']}; after: {m.get('load_after', '?')}")
    p(f"- {m['java']}; {m['seconds'] if 'seconds' in m else '?'} s in all")
    p(f"- pp {n_prompt}: one eval of {n_prompt} prompt tokens; tg {n_gen}: {n_gen} evals of one token after a "
      f"one-token prompt, logits each time; tg {n_gen} x{beams}: {n_gen} steps of one batched eval of {beams} "
      f"tokens, one per sequence (a {beams}-beam step), counted as {beams} tokens per step")
    p(f"- tokens/s: median (min–max) of {m['reps']} runs after a warm-up (one run for the C programs, "
      f"{m.get('warmup', '?')} s of runs under the JVM)")
    p("")

    # bandwidth
    stream = read_jsonl(os.path.join(d, "stream.jsonl"))
    bw = {}
    p("### Memory bandwidth (ci/perf/stream.c), GB/s: median (best–worst)")
    p("")
    p("| threads | read | copy | triad |")
    p("|---|---|---|---|")
    for t in threads:
        cells = []
        for k in ("read", "copy", "triad"):
            r = next((r for r in stream if r["kernel"] == k and r["threads"] == t), None)
            cells.append("—" if r is None else f"{r['median_gb_s']:.1f} ({r['best_gb_s']:.1f}–{r['worst_gb_s']:.1f})")
            if r is not None and k == "read":
                bw[t] = r["best_gb_s"] * 1e9  # the bound: the best the machine did, as STREAM reports
        p(f"| {t} | " + " | ".join(cells) + " |")
    p("")

    figs = {}
    for ty in types:
        info = open(os.path.join(d, f"info-{ty}.txt"), encoding="utf-8").read()
        size = int(re.search(r"^size:\s+([\d,]+) bytes", info, re.M).group(1).replace(",", ""))
        n_layer = int(re.search(r"^n_layer:\s+(\d+)", info, re.M).group(1))
        n_embd = int(re.search(r"^n_embd:\s+(\d+)", info, re.M).group(1))
        # KV read per tg token: K and V, F32, every layer, at the mean context of the run (1 + n_gen/2)
        kv = 2 * n_layer * n_embd * 4 * (1 + n_gen / 2)
        c = read_jsonl(os.path.join(d, f"native-c-{ty}.jsonl"))
        co = read_jsonl(os.path.join(d, f"native-c-own-{ty}.jsonl"))
        cl = read_jsonl(os.path.join(d, f"native-c-llamaset-{ty}.jsonl"))
        cf = read_jsonl(os.path.join(d, f"native-c-llamaset-fa-{ty}.jsonl"))
        nj = read_jsonl(os.path.join(d, f"native-java-{ty}.jsonl"))
        jv = read_jsonl(os.path.join(d, f"java-{ty}.jsonl"))
        ll = read_jsonl(os.path.join(d, f"llama-{ty}.jsonl"))
        lf = read_jsonl(os.path.join(d, f"llama-fa-{ty}.jsonl"))
        for t in threads:
            figs[(ty, t)] = {
                "size": size, "kv": kv,
                "c_pp": ours(c, f"pp {n_prompt}", t), "c_tg": ours(c, f"tg {n_gen}", t),
                "co_pp": ours(co, f"pp {n_prompt}", t), "co_tg": ours(co, f"tg {n_gen}", t),
                "cl_pp": ours(cl, f"pp {n_prompt}", t), "cl_tg": ours(cl, f"tg {n_gen}", t),
                "cf_pp": ours(cf, f"pp {n_prompt}", t), "cf_tg": ours(cf, f"tg {n_gen}", t),
                "nj_pp": ours(nj, f"pp {n_prompt}", t), "nj_tg": ours(nj, f"tg {n_gen}", t),
                "nj_beam": ours(nj, f"tg {n_gen} x{beams}", t),
                "j_pp": ours(jv, f"pp {n_prompt}", t), "j_tg": ours(jv, f"tg {n_gen}", t),
                "j_beam": ours(jv, f"tg {n_gen} x{beams}", t),
                "l_pp": llama(ll, "pp", n_prompt, t), "l_tg": llama(ll, "tg", n_gen, t),
                "lf_pp": llama(lf, "pp", n_prompt, t), "lf_tg": llama(lf, "tg", n_gen, t),
            }

    def cell(f):
        return "—" if f is None else f.cell()

    p(f"### Tokens/s ({m['cpu']})")
    p("")
    p("| weights | threads | test | native C (gpt2-bench) | native C, libgpt2's kernels | native from Java (gpt2 bench) "
      "| pure Java (gpt2 bench) | native C, F16 KV + table GELU | llama.cpp (llama-bench) | the same two with flash attention |")
    p("|---|---|---|---|---|---|---|---|---|---|")
    for (ty, t), f in figs.items():
        p(f"| {ty.upper()} | {t} | pp {n_prompt} | {cell(f['c_pp'])} | {cell(f['co_pp'])} | {cell(f['nj_pp'])} | {cell(f['j_pp'])} "
          f"| {cell(f['cl_pp'])} | {cell(f['l_pp'])} | {cell(f['cf_pp'])}; {cell(f['lf_pp'])} |")
        p(f"| {ty.upper()} | {t} | tg {n_gen} | {cell(f['c_tg'])} | {cell(f['co_tg'])} | {cell(f['nj_tg'])} | {cell(f['j_tg'])} "
          f"| {cell(f['cl_tg'])} | {cell(f['l_tg'])} | {cell(f['cf_tg'])}; {cell(f['lf_tg'])} |")
        p(f"| {ty.upper()} | {t} | tg {n_gen} x{beams} | — | — | {cell(f['nj_beam'])} | {cell(f['j_beam'])} | — | — | — |")
    p("")

    p("### Ratios (of medians)")
    p("")
    p(f"| weights | threads | libgpt2's kernels / ggml's, tg | native-J / native C, tg | Java / native-J, tg | Java / native-J, pp "
      f"| native C* / llama.cpp, tg | native C* / llama.cpp, pp | the same, flash attention, tg | the same, flash attention, pp "
      f"| beam{beams} / greedy step time, native-J "
      f"| beam{beams} / greedy step time, Java | MB read per tg token | bound tg t/s (best read BW / MB) "
      f"| native C tg / bound | Java tg / bound |")
    p("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for (ty, t), f in figs.items():
        per_token = f["size"] + f["kv"]
        bound = bw[t] / per_token if t in bw else None

        def step_ratio(beam, greedy):
            # step time ratio = (beams / beam t/s) / (1 / greedy t/s)
            if beam is None or greedy is None:
                return "—"
            return f"{beams * greedy.median / beam.median:.2f}"

        p(f"| {ty.upper()} | {t} | {ratio(med(f['co_tg']), med(f['c_tg']))} | {ratio(med(f['nj_tg']), med(f['c_tg']))} | {ratio(med(f['j_tg']), med(f['nj_tg']))} "
          f"| {ratio(med(f['j_pp']), med(f['nj_pp']))} | {ratio(med(f['cl_tg']), med(f['l_tg']))} "
          f"| {ratio(med(f['cl_pp']), med(f['l_pp']))} | {ratio(med(f['cf_tg']), med(f['lf_tg']))} "
          f"| {ratio(med(f['cf_pp']), med(f['lf_pp']))} | {step_ratio(f['nj_beam'], f['nj_tg'])} "
          f"| {step_ratio(f['j_beam'], f['j_tg'])} | {per_token / 1e6:.1f} "
          f"| {'—' if bound is None else f'{bound:.1f}'} | {ratio(med(f['c_tg']), bound)} | {ratio(med(f['j_tg']), bound)} |")
    p("")
    p("native C*: the C loop with llama.cpp's settings (F16 KV cache, GELU from a table), as llama-bench runs; "
      "with flash attention: gpt2-bench --fa 1 against llama-bench -fa on (its default on the CPU).")
    p("")

    # steps of several sequences
    columns = [int(b) for b in m.get("columns", "").split()]
    if columns:
        p(f"### Steps of B sequences (native C loop, {m['cpu']}): one eval of B tokens, one per sequence")
        p("")
        p("| weights | threads | kernels | B | tokens/s | steps/s | weight GB/s | step time / greedy step |")
        p("|---|---|---|---|---|---|---|---|")
        for ty in types:
            for kernels, suffix, tg_key in (("ggml", "", "c_tg"), ("libgpt2", "-own", "co_tg")):
                cols = read_jsonl(os.path.join(d, f"columns{suffix}-{ty}.jsonl"))
                for t in threads:
                    f = figs[(ty, t)]
                    greedy = f[tg_key]
                    rows = [(1, greedy)] + [(b, ours(cols, f"tg {n_gen} x{b}", t)) for b in columns]
                    for b, fig in rows:
                        if fig is None:
                            p(f"| {ty.upper()} | {t} | {kernels} | {b} | — | — | — | — |")
                            continue
                        steps = fig.median / b
                        step_ratio = "—" if greedy is None else f"{greedy.median / steps:.2f}"
                        p(f"| {ty.upper()} | {t} | {kernels} | {b} | {fig.cell()} | {steps:.1f} | {steps * f['size'] / 1e9:.1f} "
                          f"| {step_ratio} |")
        p("")

    # the busy machine
    busy = {ty: (read_jsonl(os.path.join(d, f"busy-native-c-{ty}.jsonl")),
                 read_jsonl(os.path.join(d, f"busy-native-c-noadapt-{ty}.jsonl")),
                 read_jsonl(os.path.join(d, f"busy-llama-{ty}.jsonl"))) for ty in types}
    if any(any(rows) for rows in busy.values()):
        p(f"### The busy machine: tg {n_gen} beside two CPU-bound processes ({m['cpu']})")
        p("")
        p("| weights | threads | native C, busy | busy / quiet | native C, GPT2_CPU_ADAPT=0, busy | busy / quiet "
          "| llama.cpp, busy | busy / quiet |")
        p("|---|---|---|---|---|---|---|---|")
        for ty in types:
            c, c0, ll = busy[ty]
            for t in threads:
                f = figs[(ty, t)]
                b, b0, bl = ours(c, f"tg {n_gen}", t), ours(c0, f"tg {n_gen}", t), llama(ll, "tg", n_gen, t)
                p(f"| {ty.upper()} | {t} | {cell(b)} | {ratio(med(b), med(f['c_tg']))} | {cell(b0)} "
                  f"| {ratio(med(b0), med(f['c_tg']))} | {cell(bl)} | {ratio(med(bl), med(f['l_tg']))} |")
        p("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
