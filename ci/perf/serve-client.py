#!/usr/bin/env python3
"""A load client for OpenAI-style completion servers (`gpt2 serve`, llama.cpp's llama-server).

Python 3 standard library only. HTTP/1.1 over plain sockets, one connection per request
(`Connection: close`), so that the faults of `load` (a connection closed mid-stream, reset, or
before its body is sent; a body that is not JSON or is too large) are bytes on the wire, not what
an HTTP library lets a caller do. One thread per concurrent client; the threads block in recv(),
which releases the GIL.

  serve-client.py bench --url http://127.0.0.1:PORT --concurrency 1,4,16,64 --requests 4,8,32,64
                        [--prompt-tokens 64] [--max-tokens 128] [--extra JSON] [--label JSON]
      Closed loop: C clients share R requests (each takes the next one when its last ends). Every
      request streams (`"stream": true`) a prompt of exactly --prompt-tokens random token ids
      (`"prompt": [ids]`, different for each request, so no server reuses a cached prefix) and asks
      for --max-tokens tokens, with the same sampling fields for every server (SAMPLING below: the
      256 byte tokens banned); --extra is merged into every body (the option that ignores EOS).
      Prints one JSON line per concurrency:
        tokens        generated tokens, summed over requests: `usage.completion_tokens` of each
                      request's last chunk (both servers send it; a request without it is an error);
                      for a request cut at --level-time-limit, its text chunks
        chunks        SSE events that carried text (choices[0].text non-empty). Both servers send
                      one event per token, but hold back a token whose text is not whole (a piece
                      of a UTF-8 character; with the byte tokens banned, none), so chunks <= tokens
        tok_s         tokens / wall time from the first request sent to the last response ended
        ttft_*        time to first token: request sent (before connect) -> first text chunk, ms
        itl_*         inter-token latency: gaps between consecutive text chunks of a request, ms
                      (all gaps of all requests; p50 and p99 by linear interpolation)
        short         requests whose usage said fewer than --max-tokens tokens or a prompt
                      other than --prompt-tokens tokens (counted as errors)

  serve-client.py load --url ... --requests 10000 --concurrency 64 [--pid PID] [--max-body BYTES]
      The fault mix of ci/checks/serve-load.sh (that script says what is checked). Prints a summary
      and one JSON line; exits 1 on any violation.

  serve-client.py report DIR
      The Markdown of ci/perf/bench-serve.sh from DIR/machine.txt and DIR/results.jsonl: the table,
      and the targets (met / missed) where both servers were measured.

  serve-client.py health --url ... [--wait SECONDS]
      GET /health until it answers 200 (exit 0) or the time runs out (exit 1).
"""
import argparse
import json
import os
import random
import socket
import sys
import threading
import time
from urllib.parse import urlsplit


# ---- HTTP over a socket -------------------------------------------------------------------------

class HttpError(Exception):
    """The peer broke the protocol (not an HTTP error status: those are responses)."""


class Conn:
    """One HTTP/1.1 exchange on one socket, with a deadline for the whole exchange."""

    def __init__(self, host, port, deadline):
        self.deadline = deadline
        self.sock = socket.create_connection((host, port), timeout=self._left())
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()
        self.eof = False

    def _left(self):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("request deadline passed")
        return left

    def send(self, data):
        self.sock.settimeout(self._left())
        self.sock.sendall(data)

    def _fill(self):
        self.sock.settimeout(self._left())
        b = self.sock.recv(65536)
        if not b:
            self.eof = True
        self.buf += b
        return bool(b)

    def readline(self):
        while True:
            i = self.buf.find(b"\n")
            if i >= 0:
                line = bytes(self.buf[:i + 1])
                del self.buf[:i + 1]
                return line
            if not self._fill():
                raise HttpError("connection closed inside a line")

    def read(self, n):
        while len(self.buf) < n:
            if not self._fill():
                raise HttpError("connection closed %d bytes before the end of a block" % (n - len(self.buf)))
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def read_some(self):
        """What is buffered, or the next recv; b'' at end of stream."""
        if not self.buf and not self.eof:
            self._fill()
        out = bytes(self.buf)
        self.buf.clear()
        return out

    def close(self, reset=False):
        try:
            if reset:   # RST instead of FIN: SO_LINGER on, timeout 0
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.sock.close()
        except OSError:
            pass


def request_bytes(method, path, host, body=b"", content_type="application/json", extra_headers=(), length=None):
    head = ["%s %s HTTP/1.1" % (method, path), "Host: %s" % host, "Connection: close"]
    if method == "POST":
        head.append("Content-Type: " + content_type)
        head.append("Content-Length: %d" % (len(body) if length is None else length))
    head.extend(extra_headers)
    return ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + body


def read_head(conn):
    """Status line and headers: (status, {lower-case name: value})."""
    line = conn.readline()
    parts = line.decode("latin-1").split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
        raise HttpError("not an HTTP status line: %r" % line[:80])
    status = int(parts[1])
    headers = {}
    while True:
        h = conn.readline()
        if h in (b"\r\n", b"\n"):
            break
        name, sep, value = h.decode("latin-1").partition(":")
        if not sep:
            raise HttpError("bad header line: %r" % h[:80])
        headers[name.strip().lower()] = value.strip()
    return status, headers


def body_pieces(conn, headers):
    """The body as it arrives (de-chunked), piece by piece."""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        while True:
            size_line = conn.readline().split(b";")[0].strip()
            try:
                size = int(size_line, 16)
            except ValueError:
                raise HttpError("bad chunk size %r" % size_line[:40])
            if size == 0:
                while conn.readline() not in (b"\r\n", b"\n"):   # trailers
                    pass
                return
            yield conn.read(size)
            if conn.read(2) != b"\r\n":
                raise HttpError("chunk not followed by CRLF")
    elif "content-length" in headers:
        left = int(headers["content-length"])
        while left > 0:
            piece = conn.read_some()
            if not piece:
                raise HttpError("connection closed %d bytes before the end of the body" % left)
            piece = piece[:left]
            left -= len(piece)
            yield piece
    else:
        while True:
            piece = conn.read_some()
            if not piece:
                return
            yield piece


def sse_events(pieces):
    """(monotonic time the event was complete, its data) for each SSE event; data lines joined."""
    buf = b""
    data = []
    for piece in pieces:
        buf += piece
        now = time.monotonic()
        while True:
            i = buf.find(b"\n")
            if i < 0:
                break
            line = buf[:i].rstrip(b"\r")
            buf = buf[i + 1:]
            if not line:
                if data:
                    yield now, b"\n".join(data).decode("utf-8")
                    data = []
            elif line.startswith(b"data:"):
                d = line[5:]
                data.append(d[1:] if d.startswith(b" ") else d)
            # comments (":...") and other fields (event:, id:, retry:) carry nothing counted here
    if data:
        yield time.monotonic(), b"\n".join(data).decode("utf-8")


def get(url, path, timeout):
    u = urlsplit(url)
    conn = Conn(u.hostname, u.port, time.monotonic() + timeout)
    try:
        conn.send(request_bytes("GET", path, u.netloc))
        status, headers = read_head(conn)
        return status, b"".join(body_pieces(conn, headers))
    finally:
        conn.close()


def percentile(values, q):
    if not values:
        return None
    v = sorted(values)
    pos = (len(v) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


# ---- bench --------------------------------------------------------------------------------------

def stream_one(url, body, timeout, stop_at):
    """One streaming completion: dict with t0, text chunk times, usage, or error. At stop_at (the
    level's time limit) the client closes the connection: the request is "cut", not an error."""
    u = urlsplit(url)
    t0 = time.monotonic()
    out = {"t0": t0, "times": [], "usage": None, "done": False, "error": None, "cut": False}
    conn = None
    try:
        conn = Conn(u.hostname, u.port, min(t0 + timeout, stop_at))
        conn.send(request_bytes("POST", "/v1/completions", u.netloc, body, extra_headers=["Accept: text/event-stream"]))
        status, headers = read_head(conn)
        if status != 200:
            out["error"] = "HTTP %d: %s" % (status, b"".join(body_pieces(conn, headers))[:200].decode("utf-8", "replace"))
            return out
        for when, data in sse_events(body_pieces(conn, headers)):
            if data == "[DONE]":
                out["done"] = True
                break
            chunk = json.loads(data)
            if "error" in chunk:
                out["error"] = "error event: %s" % data[:200]
                break
            choices = chunk.get("choices") or []
            if choices and choices[0].get("text"):
                out["times"].append(when)
            if chunk.get("usage"):
                out["usage"] = chunk["usage"]
        out["t_end"] = time.monotonic()
        if out["error"] is None and not out["done"]:
            out["error"] = "stream ended without data: [DONE]"
        elif out["error"] is None and out["usage"] is None:
            out["error"] = "no usage in the stream"
    except TimeoutError as e:
        if time.monotonic() >= stop_at:
            out["cut"] = True
        else:
            out["error"] = "TimeoutError: %s" % e
    except (OSError, HttpError, ValueError) as e:
        out["error"] = "%s: %s" % (type(e).__name__, e)
    finally:
        if conn:
            conn.close()
    out.setdefault("t_end", time.monotonic())
    return out


def loadavg():
    """The 1-minute load average, or None off Linux."""
    try:
        with open("/proc/loadavg") as f:
            return float(f.read().split()[0])
    except OSError:
        return None


def cpu_snapshot(pid):
    """(seconds of busy CPU of the whole machine, of process pid, of this process) so far, or None
    off Linux. Busy: /proc/stat's user, nice, system, irq, softirq and steal."""
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        busy = v[0] + v[1] + v[2] + sum(v[5:8])
        server = 0
        if pid:
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            server = int(fields[11]) + int(fields[12])   # utime, stime
    except (OSError, ValueError, IndexError):
        return None
    tck = os.sysconf("SC_CLK_TCK")
    t = os.times()
    return busy / tck, server / tck, t.user + t.system


def random_prompt(rng, n, n_vocab):
    return [rng.randrange(n_vocab - 1) for _ in range(n)]   # never the last id (<|endoftext|>)


# The same sampling for both servers, every field explicit (llama-server's defaults differ: top_k 40,
# top_p 0.95, min_p 0.05, temperature 0.8). The 256 byte tokens (ids 0..255 in GPT-2's vocabulary and
# in gpt2-make-model's) are banned: a random model draws them, a lone byte >= 0x80 is not UTF-8, and
# llama-server (pinned tree) then ends a /v1/completions stream with a 500 error event ("does not match
# the expected Content-only format"). Without them, every token is whole text: one token, one chunk.
SAMPLING = {"temperature": 1.0, "top_k": 40, "top_p": 1.0, "min_p": 0.0,
            "logit_bias": {str(i): -100 for i in range(256)}}


def served_model(url):
    """The id of the first model of GET /v1/models (gpt2 serve wants it in every request)."""
    status, body = get(url, "/v1/models", 30)
    if status != 200:
        raise HttpError("GET /v1/models answered %d" % status)
    return json.loads(body)["data"][0]["id"]


def bench_level(args, concurrency, n_requests, rng):
    bodies = []
    for _ in range(n_requests):
        body = {"model": args.model, "prompt": random_prompt(rng, args.prompt_tokens, args.n_vocab),
                "max_tokens": args.max_tokens, "stream": True, "stream_options": {"include_usage": True}}
        body.update(SAMPLING)
        body["seed"] = rng.randrange(1 << 30)
        body.update(args.extra)
        bodies.append(json.dumps(body).encode())
    results = [None] * n_requests
    load_before = loadavg()
    cpu_before = cpu_snapshot(args.pid)
    next_index = [0]
    lock = threading.Lock()
    start = threading.Barrier(concurrency)

    t_limit = time.monotonic() + args.level_time_limit

    def client():
        start.wait()
        while True:
            with lock:
                i = next_index[0]
                next_index[0] += 1
            if i >= n_requests or time.monotonic() > t_limit:
                return
            results[i] = stream_one(args.url, bodies[i], args.timeout, t_limit)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results = [r for r in results if r is not None]
    cut = [r for r in results if r["cut"]]
    capped = len(results) < n_requests or bool(cut)   # the level's time ran out
    errors = [r["error"] for r in results if r["error"]]
    ok = [r for r in results if not r["error"] and not r["cut"]]
    short = [r for r in ok if r["usage"].get("completion_tokens") != args.max_tokens
             or r["usage"].get("prompt_tokens") != args.prompt_tokens]
    # a cut request's tokens are its text chunks (one token each where chunks == tokens, as the
    # complete requests show)
    tokens = sum(r["usage"].get("completion_tokens", 0) for r in ok) + sum(len(r["times"]) for r in cut)
    chunks = sum(len(r["times"]) for r in ok + cut)
    ok = ok + cut
    t_first = min(r["t0"] for r in results)
    t_last = max(r["t_end"] for r in results)
    ttft = [(r["times"][0] - r["t0"]) * 1e3 for r in ok if r["times"]]
    itl = [(b - a) * 1e3 for r in ok for a, b in zip(r["times"], r["times"][1:])]
    wall = t_last - t_first
    cpu_after = cpu_snapshot(args.pid)
    cpu = {}
    if cpu_before and cpu_after and wall > 0:
        # cores in use on average during the level: the server, this client, everything else
        d = [b - a for a, b in zip(cpu_before, cpu_after)]
        cpu = {"cpu_server": round(d[1] / wall, 2) if args.pid else None, "cpu_client": round(d[2] / wall, 2),
               "cpu_others": round(max(0.0, d[0] - d[1] - d[2]) / wall, 2)}
    row = dict(args.label)
    row.update({
        "concurrency": concurrency, "requests": len(results), "capped": capped, "cut": len(cut), "errors": len(errors) + len(short),
        "short": len(short), "tokens": tokens, "chunks": chunks, "wall_s": round(wall, 3),
        "tok_s": round(tokens / wall, 2) if wall > 0 else None,
        "ttft_p50": percentile(ttft, 0.50), "ttft_p99": percentile(ttft, 0.99),
        "itl_p50": percentile(itl, 0.50), "itl_p99": percentile(itl, 0.99),
        "load_before": load_before, "load_after": loadavg(),
    })
    row.update(cpu)
    for k in ("ttft_p50", "ttft_p99", "itl_p50", "itl_p99"):
        if row[k] is not None:
            row[k] = round(row[k], 2)
    if errors:
        row["first_error"] = errors[0]
    if short:
        row["first_short"] = short[0]["usage"]
    return row


def others_cpu(pid, seconds):
    """Cores used on average over the next `seconds` by every process but pid and this one."""
    a = cpu_snapshot(pid)
    time.sleep(seconds)
    b = cpu_snapshot(pid)
    if not a or not b:
        return 0.0
    d = [y - x for x, y in zip(a, b)]
    return max(0.0, d[0] - d[1] - d[2]) / seconds


def wait_quiet(args):
    """Waits (up to --wait-quiet seconds) until the other processes use less than --quiet-cores;
    returns what they used in the last look, in cores."""
    end = time.monotonic() + args.wait_quiet
    while True:
        others = others_cpu(args.pid, 3.0)
        if others < args.quiet_cores or time.monotonic() > end:
            return others
        print("serve-client: waiting for a quiet machine: other processes use %.2f cores" % others,
              file=sys.stderr, flush=True)


def cmd_bench(args):
    levels = [int(c) for c in args.concurrency.split(",")]
    counts = [int(r) for r in args.requests.split(",")]
    if len(counts) != len(levels):
        sys.exit("serve-client: --requests needs one count per --concurrency level")
    rng = random.Random(args.seed)
    if args.model is None:
        args.model = served_model(args.url)
    failed = False
    for _ in range(args.warmup):   # not counted: first requests pay for lazy allocations and JIT
        r = bench_level(args, 1, 1, rng)
        if r["errors"]:
            print("serve-client: warm-up request failed: %s" % r.get("first_error", r.get("first_short")), file=sys.stderr)
            return 1
    for c, n in zip(levels, counts):
        for attempt in range(1 + (args.retries if args.wait_quiet > 0 else 0)):
            others = wait_quiet(args) if args.wait_quiet > 0 else None
            row = bench_level(args, c, n, rng)
            if others is None:
                break
            row["others_before"] = round(others, 2)
            row["attempt"] = attempt + 1
            if (row.get("cpu_others") or 0) <= args.quiet_cores:
                break
            print("serve-client: %d clients: other processes used %.2f cores meanwhile; measuring again" % (
                c, row["cpu_others"]), file=sys.stderr, flush=True)
        print(json.dumps(row), flush=True)
        failed |= row["errors"] > 0
    return 1 if failed else 0


# ---- load (the fault mix of ci/checks/serve-load.sh) --------------------------------------------

# kind: (weight, what the client does)
KINDS = {
    "stream":       (34, "valid, streamed, read to the end: 200 and SSE ending in data: [DONE]"),
    "json":         (14, "valid, not streamed: 200 and a JSON body with choices"),
    "cancel":       (14, "valid, streamed, the client closes (FIN) after a random number of events"),
    "reset":        (8,  "valid, streamed, the client resets (RST) after a random number of events"),
    "early-close":  (5,  "the client closes after sending part of the body"),
    "malformed":    (9,  "a body that is not a JSON object: 4xx and error JSON"),
    "oversized":    (4,  "a body beyond --max-body: 4xx and error JSON"),
    "invalid":      (12, "JSON with an invalid field: 4xx and error JSON"),
}

MALFORMED = [b'{"prompt": "In the beginning", "max_tokens": 4', b'{"prompt": }', b'not json', b'',
             b'[1, 2, 3]', b'"a string"', b'null', b'{"prompt": "x", "max_tokens": 4}}', b'\xff\xfe\x00{',
             b'{"prompt": "\\ud800", "max_tokens": 4,}']

INVALID = [
    {"max_tokens": 4},                                   # no prompt
    {"prompt": {"text": "x"}, "max_tokens": 4},
    {"prompt": "And God said", "max_tokens": -5},
    {"prompt": "And God said", "max_tokens": "ten"},
    {"prompt": "And God said", "max_tokens": 4, "temperature": -1},
    {"prompt": "And God said", "max_tokens": 4, "temperature": "hot"},
    {"prompt": "And God said", "max_tokens": 4, "top_p": 2.5},
    {"prompt": "And God said", "max_tokens": 4, "n": 0},
    {"prompt": "And God said", "max_tokens": 4, "stream": "yes"},
    {"prompt": [50257000], "max_tokens": 4},             # a token id beyond any vocabulary
]

PROMPTS = ["In the beginning", "And God said, Let there be light", "The LORD is my shepherd",
           "Blessed are the meek", "And it came to pass", "Thou shalt not", "For God so loved the world"]


def is_error_json(body):
    try:
        j = json.loads(body)
    except ValueError:
        return False
    return isinstance(j, dict) and isinstance(j.get("error"), dict) and isinstance(j["error"].get("message"), str)


def load_one(args, kind, rng):
    """(outcome, violation message or None). Outcomes name what happened; violations break the rules."""
    u = urlsplit(args.url)
    deadline = time.monotonic() + args.timeout
    stream = kind in ("stream", "cancel", "reset")
    body = {"model": args.model, "prompt": rng.choice(PROMPTS), "max_tokens": rng.randint(1, args.max_tokens),
            "temperature": 0.8, "seed": rng.randrange(1 << 30)}
    if stream:
        body["stream"] = True
    if kind == "malformed":
        raw = rng.choice(MALFORMED)
    elif kind == "invalid":
        raw = json.dumps(dict(rng.choice(INVALID), model=args.model)).encode()
    elif kind == "oversized":
        pad = args.max_body + rng.randint(1, 64 * 1024)
        raw = json.dumps({"model": args.model, "prompt": "a" * pad, "max_tokens": 1}).encode()
    else:
        raw = json.dumps(body).encode()
    conn = None
    try:
        conn = Conn(u.hostname, u.port, deadline)
        if kind == "early-close":
            msg = request_bytes("POST", "/v1/completions", u.netloc, raw)
            conn.send(msg[:rng.randint(1, len(msg) - 1)])
            conn.close(reset=rng.random() < 0.5)
            return "closed-early", None
        try:
            conn.send(request_bytes("POST", "/v1/completions", u.netloc, raw))
        except (BrokenPipeError, ConnectionResetError):
            if kind != "oversized":
                raise
            # the server may answer before the whole body is sent and close: the answer is read below
        status, headers = read_head(conn)
        if kind in ("malformed", "invalid", "oversized"):
            payload = b"".join(body_pieces(conn, headers))
            if status < 400:
                return "accepted-bad-%s" % kind, "%s request answered %d: %r" % (kind, status, raw[:80])
            if not is_error_json(payload):
                return "bad-error-body", "%d without error JSON: %r" % (status, payload[:120])
            return "rejected-%d" % status, None
        if status >= 400:
            payload = b"".join(body_pieces(conn, headers))
            if not is_error_json(payload):
                return "bad-error-body", "%d without error JSON: %r" % (status, payload[:120])
            return "error-%d" % status, None
        if status != 200:
            return "bad-status", "status %d for a valid request" % status
        if not stream:
            payload = b"".join(body_pieces(conn, headers))
            j = json.loads(payload)
            ch = j.get("choices") if isinstance(j, dict) else None
            if not (isinstance(ch, list) and ch and isinstance(ch[0].get("text"), str)):
                return "bad-json-response", "no choices[0].text: %r" % payload[:120]
            return "complete-json", None
        stop_after = rng.randint(0, body["max_tokens"]) if kind != "stream" else None
        events = 0
        for _, data in sse_events(body_pieces(conn, headers)):
            if stop_after is not None and events >= stop_after:
                conn.close(reset=(kind == "reset"))
                return ("cancelled" if kind == "cancel" else "reset"), None
            if data == "[DONE]":
                return "complete-stream", None
            j = json.loads(data)
            if isinstance(j, dict) and "error" in j:
                if not is_error_json(data):
                    return "bad-error-event", "error event without a message: %r" % data[:120]
                return "error-event", None
            events += 1
        if stop_after is not None:   # ended before the client's cancel point: a complete stream then
            return "complete-stream", None
        return "truncated-stream", "stream ended without data: [DONE] after %d events" % events
    except TimeoutError:
        return "timeout", "%s request: no end within %g s" % (kind, args.timeout)
    except socket.timeout:
        return "timeout", "%s request: no end within %g s" % (kind, args.timeout)
    except (OSError, HttpError, ValueError) as e:
        return "protocol-error", "%s request: %s: %s" % (kind, type(e).__name__, e)
    finally:
        if conn:
            conn.close()


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def cmd_load(args):
    rng = random.Random(args.seed)
    if args.model is None:
        args.model = served_model(args.url)
    names = list(KINDS)
    weights = [KINDS[k][0] for k in names]
    plan = rng.choices(names, weights=weights, k=args.requests)
    seeds = [rng.randrange(1 << 62) for _ in plan]
    outcomes = {}
    violations = []
    done = [0]
    lock = threading.Lock()
    next_index = [0]
    rss = []            # (requests done, seconds, KiB)
    stop = threading.Event()
    t_start = time.monotonic()

    def sampler():
        while not stop.is_set():
            try:
                rss.append((done[0], time.monotonic() - t_start, rss_kib(args.pid)))
            except OSError:
                violations.append(("server-gone", "the server process %d is gone" % args.pid))
                return
            stop.wait(args.rss_interval)

    def client():
        while True:
            with lock:
                i = next_index[0]
                next_index[0] += 1
            if i >= len(plan) or time.monotonic() - t_start > args.time_limit:
                return
            kind = plan[i]
            outcome, violation = load_one(args, kind, random.Random(seeds[i]))
            with lock:
                key = (kind, outcome)
                outcomes[key] = outcomes.get(key, 0) + 1
                if violation:
                    violations.append((outcome, violation))
                done[0] += 1

    samp = None
    if args.pid:
        samp = threading.Thread(target=sampler, daemon=True)
        samp.start()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(args.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t_start
    if done[0] < len(plan):
        violations.append(("time-limit", "time limit %g s reached after %d of %d requests" % (
            args.time_limit, done[0], len(plan))))
    try:
        status, body = get(args.url, "/health", 10)
        health = status
        if status != 200:
            violations.append(("health", "/health answered %d at the end: %r" % (status, body[:120])))
    except (OSError, HttpError) as e:
        health = None
        violations.append(("health", "/health did not answer at the end: %s" % e))
    stop.set()
    if samp:
        samp.join()
        if args.pid:
            try:
                rss.append((done[0], elapsed, rss_kib(args.pid)))
            except OSError:
                violations.append(("server-gone", "the server process %d is gone at the end" % args.pid))

    print("serve-load: %d requests from %d clients in %.1f s (%.0f requests/s)" % (
        done[0], args.concurrency, elapsed, done[0] / elapsed if elapsed else 0))
    print("%-12s %-26s %7s" % ("kind", "outcome", "count"))
    for (kind, outcome), n in sorted(outcomes.items()):
        print("%-12s %-26s %7d" % (kind, outcome, n))
    by_outcome = {}
    for (_, outcome), n in outcomes.items():
        by_outcome[outcome] = by_outcome.get(outcome, 0) + n
    print("by outcome: " + ", ".join("%s %d" % kv for kv in sorted(by_outcome.items())))
    summary = {"requests": done[0], "concurrency": args.concurrency, "seconds": round(elapsed, 1),
               "outcomes": by_outcome, "health": health, "violations": len(violations)}
    if rss and args.rss_out:
        with open(args.rss_out, "w") as f:
            f.write("requests_done\tseconds\tvmrss_kib\n")
            for n, t, kib in rss:
                f.write("%d\t%.1f\t%d\n" % (n, t, kib))
    if rss and args.pid:
        warm_at = args.warmup_fraction * len(plan)
        warm = [kib for n, _, kib in rss if n >= warm_at]
        first, last = rss[0][2], rss[-1][2]
        after = warm[0] if warm else last
        peak = max(kib for _, _, kib in rss)
        growth = last - after
        allowed = max(after * args.rss_slack_pct / 100.0, args.rss_slack_mib * 1024)
        print("RSS (MiB): first %.1f, after warm-up (%d requests) %.1f, last %.1f, max %.1f; growth after warm-up "
              "%.1f, allowed %.1f; %d samples" % (first / 1024, warm_at, after / 1024, last / 1024, peak / 1024,
                                                  growth / 1024, allowed / 1024, len(rss)))
        summary["rss_mib"] = {"first": round(first / 1024, 1), "after_warmup": round(after / 1024, 1),
                              "last": round(last / 1024, 1), "max": round(peak / 1024, 1), "samples": len(rss)}
        if growth > allowed:
            violations.append(("rss", "RSS grew %.1f MiB after warm-up (allowed %.1f)" % (growth / 1024, allowed / 1024)))
            summary["violations"] = len(violations)
    if violations:
        print("VIOLATIONS (%d); up to 3 of each outcome:" % len(violations))
        shown = {}
        for outcome, v in violations:
            shown[outcome] = shown.get(outcome, 0) + 1
            if shown[outcome] <= 3:
                print("  %s: %s" % (outcome, v))
    print(json.dumps(summary))
    return 1 if violations else 0

# ---- report (ci/perf/bench-serve.sh) ------------------------------------------------------------

SERVER_NAMES = {"gpt2": "gpt2 serve", "llama": "llama-server"}


def k_is_scalar(v):
    return isinstance(v, (int, float, str))


def fmt(v, digits=1):
    return "-" if v is None else ("%.*f" % (digits, v))


def cmd_report(args):
    machine = {}
    with open(args.dir + "/machine.txt") as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            machine[k] = v
    rows = []
    with open(args.dir + "/results.jsonl") as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
    at = {(r["server"], r["type"], r["load"], r["concurrency"]): r for r in rows}
    servers = [s for s in ("gpt2", "llama") if any(r["server"] == s for r in rows)]
    types = sorted({r["type"] for r in rows}, key=lambda t: (t != "f16", t))
    levels = sorted({r["concurrency"] for r in rows})
    loads = [l for l in ("quiet", "busy") if any(r["load"] == l for r in rows)]
    w = print
    w("### Serving: %s" % " vs ".join(SERVER_NAMES[s] for s in servers))
    w()
    w("- machine: %s, %s cores; %s threads and %s slots for each server (%s positions per slot)" % (
        machine.get("cpu", "?"), machine.get("cores", "?"), machine.get("threads"), machine.get("parallel"),
        machine.get("ctx_slot")))
    w("- command: `%s`; commit %s; %s; %s s" % (machine.get("command"), machine.get("commit"), machine.get("date"),
                                                 machine.get("seconds", "?")))
    w("- each request: a prompt of %s random token ids, exactly %s generated tokens, streamed, sampled with %s "
      "and the 256 byte tokens banned (logit_bias -100); EOS ignored with %s (gpt2 serve), %s (llama-server)" % (
          machine.get("n_prompt"), machine.get("n_gen"),
          ", ".join("%s %s" % kv for kv in SAMPLING.items() if k_is_scalar(kv[1])),
          machine.get("gpt2_extra"), machine.get("llama_extra")))
    w("- clients %s (closed loop) with requests %s, at most %s s each; busy machine (%s): requests %s, at most "
      "%s s each (capped: the time ran out; requests still running were cut, their chunks counted)" % (
        machine.get("concurrency"), machine.get("requests"), machine.get("time_limit"),
        machine.get("busy_types") or "not run", machine.get("busy_requests"), machine.get("busy_time_limit")))
    w("- tokens/s: generated tokens (usage.completion_tokens) / wall time; TTFT: request sent -> first text "
      "chunk; ITL: gaps between text chunks (chunks/tokens < 1 where a server merges tokens into one chunk)")
    w("- quiet: each level waits (up to %s s) for the other processes to use < 0.25 cores, and is measured again "
      "(twice at most) when they used more meanwhile; a quiet row where they still did says \"not quiet\"" %
      machine.get("wait_quiet"))
    w("- busy: two `sh -c 'while :; do :; done'` beside the server. cores: the CPU the server used during the "
      "row, and what every other process used (the busy loops, other users of the shared cores; the load client "
      "itself left out), in cores on average (/proc/stat, /proc/PID/stat)")
    w()
    head = ["type", "machine", "clients"]
    for s in servers:
        n = SERVER_NAMES[s]
        head += ["%s tok/s" % n, "TTFT p50 / p99 ms", "ITL p50 / p99 ms", "chunks/tokens", "cores: server / others"]
    if len(servers) == 2:
        head.append("gpt2 / llama tok/s")
    w("| " + " | ".join(head) + " |")
    w("|" + "---|" * len(head))
    for ty in types:
        for load in loads:
            for c in levels:
                cells = [ty, load, str(c)]
                got = [at.get((s, ty, load, c)) for s in servers]
                if not any(got):
                    continue
                for r in got:
                    if r is None:
                        cells += ["-"] * 5
                        continue
                    notes = (" (%d errors)" % r["errors"] if r["errors"] else "") + (
                        " (not quiet)" if load == "quiet" and (r.get("cpu_others") or 0) > 0.25 else "") + (
                        " (capped: %d requests, %d cut)" % (r["requests"], r.get("cut", 0)) if r.get("capped") else "")
                    cells += [fmt(r["tok_s"]) + notes,
                              "%s / %s" % (fmt(r["ttft_p50"], 0), fmt(r["ttft_p99"], 0)),
                              "%s / %s" % (fmt(r["itl_p50"]), fmt(r["itl_p99"])),
                              "%.3f" % (r["chunks"] / r["tokens"]) if r["tokens"] else "-",
                              "%s / %s" % (fmt(r.get("cpu_server"), 2), fmt(r.get("cpu_others"), 2))]
                if len(servers) == 2:
                    a, b = got
                    cells.append("%.2fx" % (a["tok_s"] / b["tok_s"]) if a and b and a["tok_s"] and b["tok_s"] else "-")
                w("| " + " | ".join(cells) + " |")
    w()
    if servers != ["gpt2", "llama"]:
        w("Targets: not evaluated (they compare gpt2 serve with llama-server; only %s was measured)." % servers[0])
        return 0
    w("Targets (quiet machine unless named):")
    w()
    def tok(s, ty, load, c):
        r = at.get((s, ty, load, c))
        return r["tok_s"] if r and r["tok_s"] else None
    def itl99(s, ty, c):
        r = at.get((s, ty, "quiet", c))
        return r["itl_p99"] if r else None
    def verdict(ok):
        return "n/a" if ok is None else ("met" if ok else "MISSED")
    for ty in types:
        ratios = ["%d: %.2fx" % (c, tok("gpt2", ty, "quiet", c) / tok("llama", ty, "quiet", c))
                  for c in levels if tok("gpt2", ty, "quiet", c) and tok("llama", ty, "quiet", c)]
        every = [tok("gpt2", ty, "quiet", c) >= tok("llama", ty, "quiet", c)
                 for c in levels if tok("gpt2", ty, "quiet", c) and tok("llama", ty, "quiet", c)]
        w("- %s: tokens/s >= 1.0x llama-server at every concurrency (%s): %s" % (
            ty, ", ".join(ratios), verdict(all(every) if every else None)))
        big = [c for c in (16, 64) if tok("gpt2", ty, "quiet", c) and tok("llama", ty, "quiet", c)]
        w("- %s: >= 1.2x at 16 and 64 clients: %s" % (ty, verdict(
            all(tok("gpt2", ty, "quiet", c) >= 1.2 * tok("llama", ty, "quiet", c) for c in big) if big else None)))
        one, sixteen = tok("gpt2", ty, "quiet", 1), tok("gpt2", ty, "quiet", 16)
        w("- %s: 16 clients >= 4x our single-client tokens/s (%s): %s" % (
            ty, "%.2fx" % (sixteen / one) if one and sixteen else "-",
            verdict(sixteen >= 4 * one if one and sixteen else None)))
        a, b = itl99("gpt2", ty, 16), itl99("llama", ty, 16)
        w("- %s: p99 inter-token latency at 16 clients <= 1.5x llama-server's (%s ms vs %s ms, %s): %s" % (
            ty, fmt(a), fmt(b), "%.2fx" % (a / b) if a and b else "-", verdict(a <= 1.5 * b if a and b else None)))
        if "busy" in loads:
            pairs = [(c, tok("gpt2", ty, "busy", c), tok("gpt2", ty, "quiet", c)) for c in levels]
            pairs = [(c, x, y) for c, x, y in pairs if x and y]
            w("- %s: busy machine >= 0.5x the quiet tokens/s (%s): %s" % (
                ty, ", ".join("%d: %.2fx" % (c, x / y) for c, x, y in pairs),
                verdict(all(x >= 0.5 * y for _, x, y in pairs) if pairs else None)))
    return 0


def cmd_health(args):
    end = time.monotonic() + args.wait
    while True:
        try:
            status, _ = get(args.url, "/health", 5)
            if status == 200:
                return 0
        except (OSError, HttpError):
            pass
        if time.monotonic() > end:
            return 1
        time.sleep(0.25)


def main():
    p = argparse.ArgumentParser(description="load client for OpenAI-style /v1/completions servers")
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("bench")
    b.add_argument("--url", required=True)
    b.add_argument("--concurrency", default="1,4,16,64")
    b.add_argument("--requests", default="4,8,32,64")
    b.add_argument("--prompt-tokens", type=int, default=64)
    b.add_argument("--max-tokens", type=int, default=128)
    b.add_argument("--n-vocab", type=int, default=50257)
    b.add_argument("--pid", type=int, default=0, help="the server's process, for the CPU it uses")
    b.add_argument("--wait-quiet", type=float, default=0,
                   help="before each level, wait up to this many seconds for the other processes to use "
                        "less than --quiet-cores (the cores may be shared)")
    b.add_argument("--quiet-cores", type=float, default=0.25)
    b.add_argument("--retries", type=int, default=2,
                   help="with --wait-quiet: measure a level again (up to this many times) when the other "
                        "processes used more than --quiet-cores during it")
    b.add_argument("--model", help="the model field (default: the first of GET /v1/models)")
    b.add_argument("--extra", type=json.loads, default={}, help="JSON object merged into every request body")
    b.add_argument("--warmup", type=int, default=1, help="requests before the measured ones")
    b.add_argument("--timeout", type=float, default=600, help="seconds one request may take")
    b.add_argument("--level-time-limit", type=float, default=300,
                   help="seconds after which a level sends no new request and closes those running "
                        "(cut; their tokens are the chunks received): the row says capped")
    b.add_argument("--seed", type=int, default=1)
    b.add_argument("--label", type=json.loads, default={}, help="JSON object copied into every output line")
    ld = sub.add_parser("load")
    ld.add_argument("--url", required=True)
    ld.add_argument("--requests", type=int, default=10000)
    ld.add_argument("--concurrency", type=int, default=64)
    ld.add_argument("--model", help="the model field (default: the first of GET /v1/models)")
    ld.add_argument("--max-tokens", type=int, default=24, help="valid requests ask for 1..N tokens")
    ld.add_argument("--max-body", type=int, default=1 << 20, help="the server's body limit in bytes")
    ld.add_argument("--timeout", type=float, default=120, help="seconds one request may take")
    ld.add_argument("--time-limit", type=float, default=1800, help="seconds for the whole run")
    ld.add_argument("--pid", type=int, default=0, help="the server's process, for VmRSS")
    ld.add_argument("--rss-interval", type=float, default=0.5)
    ld.add_argument("--rss-out", help="write the RSS samples here (TSV)")
    ld.add_argument("--warmup-fraction", type=float, default=0.2)
    ld.add_argument("--rss-slack-pct", type=float, default=10.0)
    ld.add_argument("--rss-slack-mib", type=float, default=32.0)
    ld.add_argument("--seed", type=int, default=1)
    r = sub.add_parser("report")
    r.add_argument("dir")
    h = sub.add_parser("health")
    h.add_argument("--url", required=True)
    h.add_argument("--wait", type=float, default=120)
    args = p.parse_args()
    sys.exit({"bench": cmd_bench, "load": cmd_load, "report": cmd_report, "health": cmd_health}[args.cmd](args))


if __name__ == "__main__":
    main()
