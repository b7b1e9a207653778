// test_internal_vocab_bytes.cpp: GPT-2's byte-to-unicode mapping (vocab-bytes.h), internal to
// libgpt2 (not exported): a test_internal_* test, linked with gpt2-internal.
#include "vocab-bytes.h"

#include <cstdio>
#include <cstring>

#define CHECK_LAST_ERROR() "(none: internal functions set none)"
#include "check.h"

// bytes_to_unicode() of OpenAI's encoder.py, written out again
static void reference_table(uint32_t cp_of_byte[256], uint8_t byte_of_token[256]) {
    int id = 0;
    for (int b = 0; b < 256; b++) {
        if ((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)) {
            cp_of_byte[b] = (uint32_t) b;
            byte_of_token[id++] = (uint8_t) b;
        }
    }
    uint32_t n = 0;
    for (int b = 0; b < 256; b++) {
        if (!((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF))) {
            cp_of_byte[b] = 256 + n++;
            byte_of_token[id++] = (uint8_t) b;
        }
    }
}

int main() {
    uint32_t cp_of_byte[256];
    uint8_t  byte_of_token[256];
    reference_table(cp_of_byte, byte_of_token);

    // the table and the token order
    for (int b = 0; b < 256; b++) {
        CHECK(gpt2_byte_to_unicode((uint8_t) b) == cp_of_byte[b], "byte %d", b);
        CHECK(gpt2_unicode_to_byte(cp_of_byte[b]) == b, "code point of byte %d", b);
        CHECK(gpt2_byte_of_token(b) == byte_of_token[b], "token %d", b);
        CHECK(gpt2_token_of_byte(byte_of_token[b]) == b, "token of byte %d", byte_of_token[b]);
    }
    CHECK(gpt2_token_of_byte(' ') == 220, "' ' is token 220");
    CHECK(gpt2_token_of_byte('\n') == 198, "'\\n' is token 198");
    CHECK(gpt2_token_of_byte('!') == 0, "'!' is token 0");
    CHECK(gpt2_byte_to_unicode(' ') == 0x120, "' ' is U+0120");
    CHECK(gpt2_unicode_to_byte(' ') == -1, "U+0020 is not in the table");
    CHECK(gpt2_unicode_to_byte(0xAD) == -1, "U+00AD is not in the table");
    CHECK(gpt2_unicode_to_byte(0x143) == 0xAD, "U+0143 is the last: soft hyphen");
    CHECK(gpt2_unicode_to_byte(0x144) == -1, "U+0144 is past the table");
    CHECK(gpt2_unicode_to_byte(0x10FFFF) == -1, "U+10FFFF");

    // every byte string round-trips
    uint8_t all[256];
    for (int b = 0; b < 256; b++) {
        all[b] = (uint8_t) b;
    }
    const std::string text = gpt2_bytes_to_unicode(all, 256);
    // 94 printable ASCII bytes take 1 byte of UTF-8; 94 printable Latin-1 bytes and the 68 others, 2
    CHECK(text.size() == 94 * 1 + 94 * 2 + 68 * 2, "UTF-8 length %zu", text.size());
    uint8_t back[256];
    CHECK(gpt2_unicode_to_bytes(text.data(), (int) text.size(), back, 256) == 256, "decode length");
    CHECK(memcmp(all, back, 256) == 0, "round trip");
    CHECK(gpt2_bytes_to_unicode(" the", 4) == "\xC4\xA0the", "\" the\" is \"\xC4\xA0the\"");

    // decoding: lengths, capacity, errors
    uint8_t buf[8];
    CHECK(gpt2_unicode_to_bytes("\xC4\xA0the", 5, buf, 8) == 4 && memcmp(buf, " the", 4) == 0, "Ġthe");
    CHECK(gpt2_unicode_to_bytes("\xC4\xA0the", 5, nullptr, 0) == 4, "cap 0 asks for the length");
    memset(buf, 0xEE, sizeof(buf));
    CHECK(gpt2_unicode_to_bytes("\xC4\xA0the", 5, buf, 2) == 4 && buf[0] == ' ' && buf[1] == 't' && buf[2] == 0xEE,
          "writes at most cap bytes");
    CHECK(gpt2_unicode_to_bytes("", 0, nullptr, 0) == 0, "empty");
    CHECK(gpt2_unicode_to_bytes("a b", 3, buf, 8) == -1, "a raw space is not in the table");
    CHECK(gpt2_unicode_to_bytes("\xC4", 1, buf, 8) == -1, "truncated UTF-8");
    CHECK(gpt2_unicode_to_bytes("\xC4\x41", 2, buf, 8) == -1, "bad continuation byte");
    CHECK(gpt2_unicode_to_bytes("\xC1\xA1", 2, buf, 8) == -1, "overlong encoding");
    CHECK(gpt2_unicode_to_bytes("\xE2\x82\xAC", 3, buf, 8) == -1, "U+20AC is not in the table");
    CHECK(gpt2_unicode_to_bytes("\xC5\x84", 2, buf, 8) == -1, "U+0144 is not in the table");
    CHECK(gpt2_unicode_to_bytes(nullptr, 1, buf, 8) == -1, "NULL text");
    CHECK(gpt2_unicode_to_bytes("ab", -1, buf, 8) == -1, "negative length");

    return check_summary("test_internal_vocab_bytes");
}
