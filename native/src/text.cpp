// text.cpp: UTF-8 validity and the quoting of file text in messages.
#include "text.h"

#include <cstdint>
#include <cstdio>

namespace {

// Length of the well-formed UTF-8 sequence at s[i..n) and its code point, or 0 if none starts there.
size_t utf8_seq(const unsigned char * s, size_t i, size_t n, uint32_t & cp) {
    unsigned char c = s[i];
    if (c < 0x80) {
        cp = c;
        return 1;
    }
    size_t len;
    uint32_t min;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; min = 0x10000; }
    else return 0;
    if (n - i < len) return 0;
    for (size_t k = 1; k < len; k++) {
        if ((s[i + k] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

// Code points a message shows as \uXXXX: controls (C0, DEL, C1), line and paragraph separators,
// invisible format characters (soft hyphen, zero-width and bidirectional marks and overrides, the
// byte order mark) and U+FFFD. The same list as Java's FileText/GgufText.
bool escaped(uint32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xAD || cp == 0x61C || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF ||
           (cp >= 0xFFF9 && cp <= 0xFFFB) || cp == 0xFFFD;
}

// Appends s[0..n) escaped, at most max characters of output (a code point shown as itself counts
// one, an escape its length); returns whether all of it fit.
bool append_escaped(std::string & out, const char * str, size_t n, size_t max, bool quote_chars) {
    const unsigned char * s = (const unsigned char *) str;
    size_t shown = 0;
    char buf[16];
    for (size_t i = 0; i < n;) {
        uint32_t cp = 0;
        size_t len = utf8_seq(s, i, n, cp);
        if (len == 0) {
            if (shown + 4 > max) return false;
            snprintf(buf, sizeof(buf), "\\x%02X", s[i]);
            out += buf;
            shown += 4;
            i++;
            continue;
        }
        if (escaped(cp)) {
            if (shown + 6 > max) return false;
            snprintf(buf, sizeof(buf), "\\u%04X", (unsigned) cp);
            out += buf;
            shown += 6;
        } else {
            bool q = quote_chars && (cp == '"' || cp == '\\');
            if (shown + (q ? 2 : 1) > max) return false;
            if (q) out += '\\';
            out.append(str + i, len);
            shown += q ? 2 : 1;
        }
        i += len;
    }
    return true;
}

}  // namespace

bool gpt2_utf8_valid(const char * s, size_t n) {
    const unsigned char * u = (const unsigned char *) s;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_seq(u, i, n, cp);
        if (len == 0) return false;
        i += len;
    }
    return true;
}

std::string gpt2_quote(const char * s, size_t n) {
    std::string out = "\"";
    bool whole = append_escaped(out, s, n, GPT2_QUOTE_MAX, true);
    out += '"';
    if (!whole) {
        out += "... (" + std::to_string(n) + " bytes)";
    }
    return out;
}

std::string gpt2_printable(const std::string & s, size_t max) {
    std::string out;
    if (!append_escaped(out, s.data(), s.size(), max, false)) {
        out += "...";
    }
    return out;
}
