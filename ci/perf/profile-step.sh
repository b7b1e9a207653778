#!/usr/bin/env bash
# Where libgpt2's generation step spends its time, greedy against a 4-beam step, and whether its
# matrix kernels are bound by memory or by arithmetic (not part of the default build or CI):
#
#   1. gpt2-bench tg and tg x4 on the GPT-2-124M-shaped model of ci/perf/bench.sh (weights stream from
#      memory) and on a 1-layer model of the same matrix widths (768 x 2304, 768 x 3072, ...) with a
#      1,024-token vocabulary, whose 8-16 MB of weights stay in the L3 cache. Weight elements · columns
#      per second on the cached model is what the kernel can compute; on the big model, what it gets.
#   2. perf record (sampled by time: many VMs have no hardware counters) of the big model's C loop,
#      without and with --beams 4; the 4-beam step's profile is the difference of the two.
#
#   ci/perf/profile-step.sh [--types f16,q8_0] [--threads 1] [--out DIR]
#
# Needs the build (./ci/mvn -B -DskipTests package), perf, python3. Writes DIR/profile.md
# (default bench/target/profile-step).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
name=profile-step types="f16,q8_0" threads="1" out="$root/bench/target/profile-step"
source "$root/ci/perf/profile-args.sh"
cache="${GPT2_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gpt2-java}/bench-models"
mkdir -p "$out" "$cache"

# model NAME TYPE ARGS...: the model file, written once
model() {
    local f="$cache/$1-$2.gguf"
    if [[ ! -f "$f" ]]; then
        "$bin/gpt2-make-model" --out "$f.tmp" --type "$2" --seed 1 --scale 0.02 "${@:3}" >&2
        mv "$f.tmp" "$f"
    fi
    echo "$f"
}

report="$out/profile.md"
{
    echo "## ci/perf/profile-step.sh: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$root" rev-parse --short HEAD)"
    echo
    echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores seen;" \
         "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- weight elements · columns per second (G/s): the matrices' weight count (a 4-beam step: 4 columns)" \
         "times steps per second"
    echo
} > "$report"

IFS=, read -r -a type_list <<< "$types"
IFS=, read -r -a thread_list <<< "$threads"
for ty in "${type_list[@]}"; do
    big="$(model gpt2-124m-shape-seed1 "$ty" --vocab 50257 --ctx 1024 --embd 768 --head 12 --layer 12)"
    small="$(model cache-resident-1l "$ty" --vocab 1024 --ctx 1024 --embd 768 --head 12 --layer 1)"
    for t in "${thread_list[@]}"; do
        # the cached model's steps take well under a millisecond: more runs (the same context, so the same attention)
        { "$bin/gpt2-bench" "$big" -p 4 -n 64 -r 7 -t "$t" --beams 4 --json
          "$bin/gpt2-bench" "$small" -p 4 -n 64 -r 31 -t "$t" --beams 4 --json; } > "$out/speed-$ty-$t.jsonl"
        for beams in 1 4; do
            perf record -q -F 999 -o "$out/perf-$ty-$t-b$beams.data" -- \
                "$bin/gpt2-bench" "$big" -p 1 -n 64 -r 5 -t "$t" --beams "$beams" > /dev/null
            perf report -q -i "$out/perf-$ty-$t-b$beams.data" -n --no-children --sort symbol --stdio \
                2>/dev/null > "$out/perf-$ty-$t-b$beams.txt"
        done
        python3 - "$out" "$ty" "$t" "$big" "$small" >> "$report" <<'PY'
import json, re, sys
out, ty, t, big, small = sys.argv[1:]
# weights in the matrix products per token: 12 layers of (3E + E + 4E + 4E)·E, plus the V·E output
E = 768
per_layer = 12 * E * E
weights = {big: 12 * per_layer + 50257 * E, small: per_layer + 1024 * E}
rows = [json.loads(l) for l in open(f"{out}/speed-{ty}-{t}.jsonl")]
print(f"### {ty.upper()}, {t} thread(s)\n")
print("| model | test | t/s | G weight·columns/s |")
print("|---|---|---|---|")
for r in rows:
    if not r["test"].startswith("tg"):
        continue
    path = big if r["model"] in big else small
    g = weights[path] * r["tokens_per_s_median"] / 1e9   # a token is one column of every product
    print(f"| {r['model']} | {r['test']} | {r['tokens_per_s_median']:.1f} | {g:.1f} |")
def samples(f):
    d = {}
    for line in open(f):
        m = re.match(r"\s*[\d.]+%\s+(\d+)\s+\[[.k]\]\s+(.*\S)", line)
        if m:
            name = re.sub(r"(\s+-)+$", "", m.group(2)).strip()   # perf pads with empty columns
            d[name] = d.get(name, 0) + int(m.group(1))
    return d
g1 = samples(f"{out}/perf-{ty}-{t}-b1.txt")
g4 = samples(f"{out}/perf-{ty}-{t}-b4.txt")
diff = {k: g4.get(k, 0) - g1.get(k, 0) for k in g4}
total4 = sum(v for v in diff.values() if v > 0)
total1 = sum(g1.values())
print(f"\nperf, big model: greedy step ({total1} samples) and 4-beam step (the difference of the runs, {total4} samples):\n")
print("| function | greedy | 4-beam |")
print("|---|---|---|")
top = sorted(set(sorted(g1, key=g1.get, reverse=True)[:6]) | set(sorted(diff, key=diff.get, reverse=True)[:6]),
             key=lambda k: -max(g1.get(k, 0) / max(total1, 1), diff.get(k, 0) / max(total4, 1)))
for k in top:
    name = re.sub(r"\(anonymous namespace\)::", "", k)
    name = re.sub(r"float __vector\(16\)", "__m512", name)
    name = name if len(name) < 100 else name[:97] + "..."
    print(f"| `{name}` | {100 * g1.get(k, 0) / max(total1, 1):.1f}% | {100 * max(diff.get(k, 0), 0) / max(total4, 1):.1f}% |")
print()
PY
    done
done
cat "$report"
