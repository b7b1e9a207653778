#!/usr/bin/env bash
# Serving speed: `gpt2 serve` against llama.cpp's llama-server (pinned tree), one at a time, on one
# GGUF of GPT-2 124M's shape (random weights, ci/perf/bench-model.sh) in F16 and Q8_0, with the same
# threads and slots (not part of the default build or CI):
#
#   gpt2 serve     bin/gpt2 serve -m FILE --host 127.0.0.1 --port P --parallel N --ctx-size 256 --threads T
#   llama-server   llama-server -m FILE -np N -c N*256 -t T --cont-batching --host 127.0.0.1 --port P
#                  (--no-repack on Q8_0: with weight repacking it crashes at start-up on this Xeon;
#                  libgpt2 does not repack either)
#
# The load client (ci/perf/serve-client.py bench) drives each at 1, 4, 16 and 64 concurrent clients
# (closed loop): every request streams a prompt of 64 random token ids and asks for exactly 128 tokens
# (EOS ignored: `"ignore_eos": true`, which both servers take), and it measures the
# aggregate generated tokens/s, time to first token and inter-token latency (p50, p99; the client's
# --help says exactly what is counted). Then the busy machine: the same with two CPU-bound processes
# running beside the server (`sh -c 'while :; do :; done'`, killed after), on F16 (--busy-types).
# Prints a Markdown table (machine, command, commit, date, load average of each measurement, the
# targets met or missed) and writes it to OUT/results.md, the raw JSON lines beside it.
#
#   ci/perf/bench-serve.sh [--quick] [--threads T] [--parallel N] [--types f16,q8_0]
#                          [--servers gpt2,llama] [--busy-types f16] [--no-busy] [--out DIR] [--no-build]
#                          [--wait-quiet S]
#                          [--llama-server PATH] [--gpt2-extra JSON] [--llama-extra JSON]
#
#   --quick        a smoke run of the script: F16 only, 1, 4 and 16 clients, one request per client,
#                  32 generated tokens, busy levels at most 30 s (~4 min on 2 cores, plus builds); not
#                  figures to quote
#   --threads T    compute threads of both servers (default: the number of cores)
#   --parallel N   slots of both servers (default 64: every client of the largest level has one)
#   --servers      which servers to measure (default gpt2,llama)
#   --busy-types   weight types measured on the busy machine too (default f16); --no-busy: none
#   --out DIR      where results go (default bench/target/ci-bench-serve[-quick])
#   --no-build     use the gpt2-java build as it is (default: ./ci/mvn -DskipTests package first)
#   --wait-quiet S before each quiet level, wait up to S seconds (default 600; 0: not at all) until the
#                  other processes use less than a quarter of a core, and measure a level again (twice
#                  at most) when they used more during it: ggml's threads spin, and a server with as
#                  many threads as cores slows down many times when a core is taken
#   --gpt2-extra, --llama-extra   JSON merged into every request body of that server: how each is
#                  told to ignore EOS (defaults below)
#
# Request counts (each request 128 tokens), quiet: 1 client 2 requests, 4 clients 4, 16 clients 16,
# 64 clients 64, each level at most 240 s; busy: 1, 4, 16 and 64, at most 90 s (then the client
# closes the requests still running, counts the tokens they got, and the row says "capped"); plus
# one warm-up request per server start. The full run (2 types x 2 servers quiet, F16 x 2 servers
# busy) took 16 min on 2 cores (plus any wait for a quiet machine; at most 20 min of measuring).
# Needs: what the build needs, python3 (standard library only). llama-server builds once from the
# pinned tree into the cache folder (ci/perf/llama-tool.sh, a few minutes at low priority).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
log() { echo "bench-serve: [$(( $(date +%s) - ${start:-$(date +%s)} )) s] $*" >&2; }

name=bench-serve
quick=0 threads="$(nproc 2>/dev/null || echo 2)" parallel=64 types="f16,q8_0" servers="gpt2,llama" busy_types=f16
out=""
build=1 llama_server="" wait_quiet=600
gpt2_extra='{"ignore_eos": true}'
llama_extra='{"ignore_eos": true}'
command_line="ci/perf/bench-serve.sh $*"
source "$root/ci/options.sh"
take_options "--threads --parallel --types --servers --busy-types --out --wait-quiet --llama-server --gpt2-extra
    --llama-extra" "--quick=quick=1 --no-busy=busy_types= --no-build=build=0" "$@"
if (( quick )); then
    concurrency=1,4,16 requests=1,4,16 busy_requests=1,4,16 n_gen=32 time_limit=60 busy_time_limit=30
    [[ "$types" == "f16,q8_0" ]] && types=f16
else
    concurrency=1,4,16,64 requests=2,4,16,64 busy_requests=1,4,16,64 n_gen=128 time_limit=240 busy_time_limit=90
fi
n_prompt=64 ctx_slot=256
[[ "$threads" =~ ^[0-9]+$ ]] && (( threads >= 1 && threads <= 512 )) || die "--threads must be in 1..512"
[[ "$parallel" =~ ^[0-9]+$ ]] && (( parallel >= 1 && parallel <= 1024 )) || die "--parallel must be in 1..1024"
IFS=, read -r -a type_list <<< "$types"
IFS=, read -r -a server_list <<< "$servers"
for s in "${server_list[@]}"; do case "$s" in gpt2|llama) ;; *) die "unknown server '$s' (gpt2, llama)" ;; esac; done
suffix=""
(( quick )) && suffix=-quick
out="${out:-$root/bench/target/ci-bench-serve$suffix}"
command -v python3 >/dev/null || die "'python3' is needed"
client=(python3 "$root/ci/perf/serve-client.py")

start=$(date +%s)
mkdir -p "$out"
rm -f "$out"/*.jsonl "$out"/*.log "$out/results.md"

# ---- builds and models --------------------------------------------------------------------------
if (( build )); then
    log "building gpt2-java (./ci/mvn -DskipTests package)"
    (cd "$root" && nice ./ci/mvn -B -q -Dstyle.color=never -DskipTests package) >&2
fi
if [[ ",$servers," == *,gpt2,* ]]; then
    "$root/bin/gpt2" serve --help >/dev/null 2>&1 || die "bin/gpt2 has no working 'serve' command (build it, or --servers llama)"
fi
if [[ ",$servers," == *,llama,* && -z "$llama_server" ]]; then
    llama_server="$("$root/ci/perf/llama-tool.sh" llama-server | tail -n 1)"
fi
for ty in "${type_list[@]}"; do
    "$root/ci/perf/bench-model.sh" "$ty" >/dev/null
done

# ---- the machine --------------------------------------------------------------------------------
{
    echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
    echo "commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo +changes)"
    echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)"
    echo "cores=$(nproc 2>/dev/null || echo '?')"
    echo "command=$command_line"
    echo "threads=$threads"
    echo "parallel=$parallel"
    echo "ctx_slot=$ctx_slot"
    echo "n_prompt=$n_prompt"
    echo "n_gen=$n_gen"
    echo "concurrency=$concurrency"
    echo "requests=$requests"
    echo "time_limit=$time_limit"
    echo "busy_requests=$busy_requests"
    echo "busy_time_limit=$busy_time_limit"
    echo "wait_quiet=$wait_quiet"
    echo "busy_types=$busy_types"
    echo "gpt2_extra=$gpt2_extra"
    echo "llama_extra=$llama_extra"
    echo "llama_server=${llama_server:-skipped}"
    echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
} > "$out/machine.txt"
log "clients $concurrency -> requests $requests, at most $time_limit s a level (busy machine, ${busy_types:-no} types:"\
" $busy_requests, at most $busy_time_limit s); prompt $n_prompt tokens, $n_gen generated each"

# ---- runs ---------------------------------------------------------------------------------------
server_pid="" spinners=()
cleanup() {
    local p
    for p in "${spinners[@]}"; do kill "$p" 2>/dev/null || true; done
    [[ -n "$server_pid" ]] && { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
    return 0
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start_server() {   # server type port
    local log_file="$out/$1-$2.log"
    case "$1" in
        gpt2)
            "$root/bin/gpt2" serve -m "$m" --host 127.0.0.1 --port "$3" --parallel "$parallel" --ctx-size "$ctx_slot" \
                --threads "$threads" > "$log_file" 2>&1 &
            ;;
        llama)
            local no_repack=()
            [[ "$2" == q8_0 ]] && no_repack=(--no-repack)
            "$llama_server" -m "$m" -np "$parallel" -c $(( parallel * ctx_slot )) -t "$threads" --cont-batching \
                --host 127.0.0.1 --port "$3" --no-webui ${no_repack[@]+"${no_repack[@]}"} > "$log_file" 2>&1 &
            ;;
    esac
    server_pid=$!
    if ! "${client[@]}" health --url "http://127.0.0.1:$3" --wait 300; then
        tail -n 20 "$log_file" >&2
        die "$1 did not answer /health on port $3 (log: $log_file)"
    fi
}

stop_server() {
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}

measure() {   # server type load
    local extra counts="$requests" limit="$time_limit" wait="$wait_quiet"
    [[ "$1" == gpt2 ]] && extra="$gpt2_extra" || extra="$llama_extra"
    [[ "$3" == busy ]] && counts="$busy_requests" limit="$busy_time_limit" wait=0
    log "$1, $2, $3: clients $concurrency, requests $counts"
    "${client[@]}" bench --url "http://127.0.0.1:$port" --pid "$server_pid" --concurrency "$concurrency" --requests "$counts" \
        --prompt-tokens "$n_prompt" --max-tokens "$n_gen" --extra "$extra" --level-time-limit "$limit" \
        --wait-quiet "$wait" \
        --label "{\"server\": \"$1\", \"type\": \"$2\", \"load\": \"$3\"}" | tee -a "$out/results.jsonl" >&2 \
        || die "$1 $2 $3: requests failed (see the line above; server log $out/$1-$2.log)"
}

for ty in "${type_list[@]}"; do
    m="$("$root/ci/perf/bench-model.sh" "$ty" | tail -n 1)"
    for s in "${server_list[@]}"; do
        port="$(free_port)"
        log "starting $s on $ty (port $port)"
        start_server "$s" "$ty" "$port"
        measure "$s" "$ty" quiet
        if [[ ",$busy_types," == *,"$ty",* ]]; then
            sh -c 'while :; do :; done' & spinners+=($!)
            sh -c 'while :; do :; done' & spinners+=($!)
            measure "$s" "$ty" busy
            kill "${spinners[@]}" 2>/dev/null || true
            wait "${spinners[@]}" 2>/dev/null || true
            spinners=()
        fi
        stop_server
    done
done

echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" >> "$out/machine.txt"
echo "seconds=$(( $(date +%s) - start ))" >> "$out/machine.txt"
"${client[@]}" report "$out" | tee "$out/results.md"
log "wrote $out/results.md ($(( $(date +%s) - start )) s)"
