// fuzz_token_bytes.cpp: libFuzzer target: GPT-2's byte-level decode (vocab-bytes.h,
// gpt2_unicode_to_bytes: byte-to-unicode text -> raw bytes), the function behind gpt2_token_bytes,
// on arbitrary text and every output capacity. Invariants, each an abort when broken:
// - the length asked (cap 0) is the length returned for every cap, and -1 stays -1;
// - at most cap bytes are written (the buffer is on the heap, exactly cap bytes: ASan sees one more),
//   and a short buffer gets the first cap bytes of the full decode;
// - text that decodes is exactly the encoding of its bytes (gpt2_bytes_to_unicode), and is never
//   shorter than its byte count; any bytes encode to text that decodes back to them.
#include "vocab-bytes.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

void fail(const char * what, int a, int b) {
    fprintf(stderr, "fuzz_token_bytes: %s (%d, %d)\n", what, a, b);
    abort();
}

// gpt2_unicode_to_bytes into a heap buffer of exactly cap bytes (none for cap 0)
int decode(const char * text, int len, int cap, std::vector<uint8_t> & out) {
    uint8_t * buf = cap > 0 ? (uint8_t *) malloc((size_t) cap) : nullptr;
    int n = gpt2_unicode_to_bytes(text, len, buf, cap);
    out.assign(buf, buf + (n < 0 ? 0 : (n < cap ? n : cap)));
    free(buf);
    return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    // the text on the heap, exactly its length (no terminator): a read past it is ASan's
    std::vector<char> owned(data, data + size);
    const char * text = size > 0 ? owned.data() : nullptr;
    const int len = (int) size;

    std::vector<uint8_t> full, part;
    const int n = decode(text, len, 0, full);
    if (n < -1) fail("length below -1", n, 0);
    if (n >= 0) {
        if (n > len) fail("more bytes than text", n, len);
        if (decode(text, len, n, full) != n) fail("the length asked differs from the length written", n, 0);
        if (gpt2_bytes_to_unicode(full.data(), full.size()) != std::string(owned.begin(), owned.end())) {
            fail("decoded bytes do not encode back to the text", n, len);
        }
    }
    // every cap up to one past the length (a few spread out beyond 64)
    const int top = (n < 0 ? len : n) + 1;
    for (int cap = 1; cap <= top; cap += cap < 64 ? 1 : cap / 4) {
        const int m = decode(text, len, cap, part);
        if (m != n) fail("the length depends on cap", m, n);
        if (n >= 0 && !part.empty() && memcmp(part.data(), full.data(), part.size()) != 0) fail("a short buffer got other bytes", cap, n);
    }
    // the other direction: any bytes encode to text that decodes back to them
    const std::string enc = gpt2_bytes_to_unicode(data, size);
    std::vector<uint8_t> back;
    if (decode(enc.data(), (int) enc.size(), (int) size, back) != len || back.size() != size ||
        (size > 0 && memcmp(back.data(), data, size) != 0)) {
        fail("bytes do not round-trip through the byte-to-unicode text", len, (int) enc.size());
    }
    return 0;
}
