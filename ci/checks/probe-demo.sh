#!/usr/bin/env bash
# The linear-probe demonstration of docs/LOOK-INSIDE.md (section 8): a KJV-internal "time" probe in the
# manner of Gurnee & Tegmark 2024. Each verse's place in the canon (its book, 1 = Genesis .. 66 =
# Revelation) is read from the residual stream at the verse's last token, layer by layer, by a ridge
# probe, beside a shuffled-label control; and the testament (old / new) by a logistic probe.
#
#   ci/checks/probe-demo.sh [MODEL.gguf] [OUTDIR]      # defaults: models/gpt2-kjv.gguf, docs/look-inside/
#
# The verses: Debian's bible-kjv (`bible`, as ci/fetch-tokenizer-data.sh uses it), PROBE_PER_BOOK
# (default 20) from each of the 66 books, evenly spaced through the book (verse floor((j + 1/2) * n /
# PROBE_PER_BOOK) of a book of n verses, j = 0, 1, ...; all of a shorter book), written to
# OUTDIR/probe-verses.csv (columns reference, book, book_name, testament, text). Without `bible` the
# script uses the committed OUTDIR/probe-verses.csv. Outputs: probe-book.txt / .png (ridge on the book
# index), probe-testament.txt / .png (logistic), each text file starting with the command that made
# it. PROBE_ENGINE=java runs the pure-Java engine; PROBE_THREADS (default 1) its threads. Needs the built command line
# (./ci/mvn -B -DskipTests package). A few minutes on 2 cores; not part of the default CI run.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"

die() { echo "probe-demo: $*" >&2; exit 2; }
model=${1:-$root/models/gpt2-kjv.gguf}
out=${2:-$root/docs/look-inside}
per_book=${PROBE_PER_BOOK:-20}
engine=${PROBE_ENGINE:-native}
# one thread: ggml's workers spin, and on 2 shared cores 2 threads made extraction ~10x slower
threads=${PROBE_THREADS:-1}
[[ -f "$model" ]] || die "no model file $model"
model=$(cd "$(dirname "$model")" && pwd)/$(basename "$model")
[[ "$per_book" =~ ^[1-9][0-9]*$ ]] || die "PROBE_PER_BOOK must be a positive number, was $per_book"
compgen -G "$root/cli/target/gpt2-java-cli-*.jar" >/dev/null \
    || die "build the command line first: ./ci/mvn -B -DskipTests package"
mkdir -p "$out"
csv="$out/probe-verses.csv"

if command -v bible >/dev/null; then
    # "Ge1:1 In the beginning ..." -> the book from the reference, numbered in canon order
    bible -f gen1:1-rev22:21 </dev/null | awk -v per="$per_book" '
        function csv(s) { gsub(/"/, "\"\"", s); return "\"" s "\"" }
        {
            ref = $1; text = substr($0, length(ref) + 2); sub(/[ \t]+$/, "", text)
            name = ref; sub(/[0-9]+:[0-9]+$/, "", name)
            if (name != last) { books++; bookName[books] = name; last = name }
            n[books]++; r[books, n[books]] = ref; t[books, n[books]] = text
        }
        END {
            if (books != 66 || NR != 31102) { print "expected 66 books and 31102 verses, got " books " and " NR > "/dev/stderr"; exit 1 }
            print "reference,book,book_name,testament,text"
            for (b = 1; b <= books; b++) {
                k = n[b] < per ? n[b] : per
                for (j = 0; j < k; j++) {
                    v = int((j + 0.5) * n[b] / k) + 1
                    print r[b, v] "," b "," bookName[b] "," (b <= 39 ? "old" : "new") "," csv(t[b, v])
                }
            }
        }' > "$csv.tmp"
    mv "$csv.tmp" "$csv"
else
    [[ -f "$csv" ]] || die "no bible command (apt-get install bible-kjv) and no $csv"
    echo "probe-demo: no bible command: using the committed $csv" >&2
fi
echo "probe-demo: $csv: $(($(wc -l < "$csv") - 1)) verses, sha256 $(sha256sum "$csv" | cut -d' ' -f1)"

cd "$out"
err=$(mktemp)
trap 'rm -f "$err"' EXIT
# probe NAME ARGS...: `gpt2 probe probe-verses.csv ARGS --png probe-NAME.png` into probe-NAME.txt
probe() {
    local name=$1
    shift
    {
        echo "\$ gpt2 probe -m MODEL$([[ $engine == native ]] || echo " --engine $engine") -t $threads probe-verses.csv $* --png probe-$name.png"
        echo
        "$root/bin/gpt2" probe -m "$model" --engine "$engine" -t "$threads" probe-verses.csv "$@" --png "probe-$name.png" 2>"$err"
    } > "probe-$name.txt" || { cat "$err" >&2; die "failed: gpt2 probe $*"; }
    [[ -s "probe-$name.png" ]] || die "probe-$name.png was not written"
    echo "probe-demo: $out/probe-$name.txt"
    cat "probe-$name.txt"
}
probe book --label-field book --kind ridge
probe testament --label-field testament --kind logistic
