// vocab-bytes.cpp: GPT-2's byte-to-unicode mapping (see vocab-bytes.h).
#include "vocab-bytes.h"

#include <array>

namespace {

// The table, built once: byte -> code point, and token id -> byte.
struct byte_table {
    std::array<uint32_t, 256> cp_of_byte;     // byte -> code point
    std::array<uint8_t, 256>  byte_of_token;  // token id -> byte
    std::array<uint8_t, 256>  token_of_byte;  // byte -> token id
    std::array<int16_t, 0x100 + 68> byte_of_cp;  // code point -> byte, -1 if not in the table

    byte_table() {
        byte_of_cp.fill(-1);
        auto printable = [](int b) {
            return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        };
        int id = 0;
        // printable bytes stand for themselves, and come first in token order
        for (int b = 0; b < 256; b++) {
            if (printable(b)) {
                cp_of_byte[b] = (uint32_t) b;
                byte_of_cp[b] = (int16_t) b;
                byte_of_token[id] = (uint8_t) b;
                token_of_byte[b] = (uint8_t) id;
                id++;
            }
        }
        // the others, in byte order, stand for U+0100, U+0101, ...
        uint32_t next = 0x100;
        for (int b = 0; b < 256; b++) {
            if (!printable(b)) {
                byte_of_cp[next] = (int16_t) b;
                cp_of_byte[b] = next++;
                byte_of_token[id] = (uint8_t) b;
                token_of_byte[b] = (uint8_t) id;
                id++;
            }
        }
    }
};

const byte_table & table() {
    static const byte_table t;
    return t;
}

} // namespace

uint32_t gpt2_byte_to_unicode(uint8_t b) {
    return table().cp_of_byte[b];
}

int32_t gpt2_unicode_to_byte(uint32_t cp) {
    return cp < table().byte_of_cp.size() ? table().byte_of_cp[cp] : -1;
}

uint8_t gpt2_byte_of_token(int32_t i) {
    return table().byte_of_token[(uint8_t) i];
}

int32_t gpt2_token_of_byte(uint8_t b) {
    return table().token_of_byte[b];
}

std::string gpt2_bytes_to_unicode(const void * bytes, size_t n) {
    const uint8_t * p = (const uint8_t *) bytes;
    std::string out;
    out.reserve(2 * n);
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = gpt2_byte_to_unicode(p[i]);  // < 0x180: one or two UTF-8 bytes
        if (cp < 0x80) {
            out.push_back((char) cp);
        } else {
            out.push_back((char) (0xC0 | (cp >> 6)));
            out.push_back((char) (0x80 | (cp & 0x3F)));
        }
    }
    return out;
}

int gpt2_unicode_to_bytes(const char * text, int len, uint8_t * out, int cap) {
    if (len < 0 || (len > 0 && text == nullptr) || cap < 0) {
        return -1;
    }
    const uint8_t * s = (const uint8_t *) text;
    int n = 0;
    int i = 0;
    while (i < len) {
        // decode one UTF-8 code point; the table only holds code points < 0x800 (1 or 2 bytes)
        uint32_t cp;
        if (s[i] < 0x80) {
            cp = s[i];
            i += 1;
        } else if ((s[i] & 0xE0) == 0xC0 && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
            cp = ((uint32_t) (s[i] & 0x1F) << 6) | (s[i + 1] & 0x3F);
            if (cp < 0x80) {
                return -1;  // overlong encoding
            }
            i += 2;
        } else {
            return -1;  // not UTF-8, or a code point outside the table
        }
        int32_t b = gpt2_unicode_to_byte(cp);
        if (b < 0) {
            return -1;
        }
        if (n < cap) {
            out[n] = (uint8_t) b;
        }
        n++;
    }
    return n;
}
