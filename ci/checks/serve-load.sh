#!/usr/bin/env bash
# A load and fault check of `gpt2 serve` (loopback only; bounded in count and time; not part of the
# default build or CI). Starts `bin/gpt2 serve` on a small model (default the committed
# models/gpt2-kjv.gguf) on 127.0.0.1, sends it 10,000 requests from 64 concurrent clients
# (ci/perf/serve-client.py load) and checks:
#
#   - every valid request, streamed or not, ends with a complete response (non-stream: 200 and JSON
#     with choices[0].text; stream: 200 and SSE ending in `data: [DONE]`), or a well-formed error
#     (4xx/5xx with an OpenAI error JSON, {"error": {"message": ...}});
#   - clients that go away do not break the server: random cancels (the client closes after a
#     random number of events), resets mid-stream (RST), a connection closed half-way through
#     sending the request;
#   - bad requests get a 4xx with error JSON: bodies that are not a JSON object, bodies beyond the
#     server's limit (--max-body), invalid fields (no prompt, max_tokens -5 or "ten", temperature -1,
#     top_p 2.5, n 0, a token id beyond the vocabulary, ...);
#   - none hangs: each request has a deadline (--timeout, default 60 s), the run a time limit;
#   - the server still answers GET /health at the end, and its process is still there;
#   - its RSS (VmRSS of /proc/PID/status, sampled every 0.5 s) is flat after warm-up: the growth
#     from the first sample after 20% of the requests to the last is at most 10% or 32 MiB. The
#     JVM runs with a fixed, pre-touched heap (-Xms=-Xmx=256m, AlwaysPreTouch; SERVE_LOAD_JAVA_OPTS
#     replaces that) so that RSS shows native and off-heap growth rather than the heap sizing itself.
#
# Prints the counts by kind and outcome, RSS first / after warm-up / last / max, and the violations;
# exits 1 on any violation. Writes the summary, the RSS samples (rss.tsv) and the server's log into
# bench/target/serve-load/.
#
#   ci/checks/serve-load.sh [--requests N] [--concurrency C] [--model FILE] [--parallel N]
#                           [--max-body BYTES] [--timeout S] [--no-build] [-- EXTRA SERVE OPTIONS]
#   ci/checks/serve-load.sh --url http://127.0.0.1:PORT [--pid PID] [...]
#       against a server already running (any OpenAI-style /v1/completions server: used to try the
#       client on llama-server); --pid samples its RSS.
#
# ~5 min on 2 cores with the default model. Needs the build (./ci/mvn -B -DskipTests package;
# --no-build skips it) and python3 (standard library only).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
name=serve-load
requests=10000 concurrency=64 model="$root/models/gpt2-kjv.gguf" parallel=8 max_body=$(( 1 << 20 )) timeout=60
build=1 url="" pid=""
source "$root/ci/options.sh"
take_options "--requests --concurrency --model --parallel --max-body --timeout --url --pid" "--no-build=build=0 --" "$@"
extra=(${rest_args[@]+"${rest_args[@]}"})
command -v python3 >/dev/null || die "'python3' is needed"
client=(python3 "$root/ci/perf/serve-client.py")
out="$root/bench/target/serve-load"
mkdir -p "$out"

server_pid=""
cleanup() {
    [[ -n "$server_pid" ]] && { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
    return 0
}
trap cleanup EXIT

if [[ -z "$url" ]]; then
    if (( build )); then
        (cd "$root" && nice ./ci/mvn -B -q -Dstyle.color=never -DskipTests package) >&2
    fi
    [[ -f "$model" ]] || die "no model at $model"
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    url="http://127.0.0.1:$port"
    log_file="$out/server.log"
    echo "serve-load: starting gpt2 serve on $model ($url, $parallel slots; log $log_file)"
    JAVA_OPTS="${SERVE_LOAD_JAVA_OPTS:--Xms256m -Xmx256m -XX:+AlwaysPreTouch}" \
        "$root/bin/gpt2" serve -m "$model" --host 127.0.0.1 --port "$port" --parallel "$parallel" \
        ${extra[@]+"${extra[@]}"} > "$log_file" 2>&1 &
    server_pid=$! pid=$!
    if ! "${client[@]}" health --url "$url" --wait 120; then
        tail -n 30 "$log_file" >&2
        die "gpt2 serve did not answer /health within 120 s"
    fi
fi

status=0
"${client[@]}" load --url "$url" --requests "$requests" --concurrency "$concurrency" --max-body "$max_body" \
    --timeout "$timeout" --time-limit 1800 ${pid:+--pid "$pid" --rss-out "$out/rss.tsv"} | tee "$out/summary.txt" \
    || status=$?

if [[ -n "$server_pid" ]]; then
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "serve-load: VIOLATION: the server exited during the run" ; status=1
    fi
    n_exc="$(grep -c -E 'Exception|SIGSEGV|SIGABRT|fatal error' "$log_file" || true)"
    echo "serve-load: server log $log_file: $(wc -l < "$log_file") lines, $n_exc naming an exception or a crash"
fi
(( status == 0 )) && echo "serve-load: passed" || echo "serve-load: FAILED"
exit "$status"
