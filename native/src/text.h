// text.h: text taken from a model file, as libgpt2 checks it and shows it in messages.
//
// A file may hold anything where text should be: control characters, invalid UTF-8, a gigabyte
// of name. Every such string that goes into a message passes gpt2_quote, so that a message is
// one printable line of bounded length (docs/GGUF.md, "Messages").
//
// Internal to libgpt2 (not exported).
#pragma once

#include <cstddef>
#include <string>

// Whether s[0..n) is well-formed UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF).
bool gpt2_utf8_valid(const char * s, size_t n);

// Most characters gpt2_quote shows of a string (a code point counts one, an escape its length);
// the rest is cut.
constexpr size_t GPT2_QUOTE_MAX = 64;

// s[0..n) in double quotes for a message: '"' and '\\' escaped with '\\', control and invisible
// characters (C0, DEL, C1, separators, zero-width and bidirectional marks, U+FFFD) as \uXXXX,
// bytes that are not UTF-8 as \xHH; cut where the text shown would pass GPT2_QUOTE_MAX
// characters, the full length in bytes after the closing quote: "abc"... (100000 bytes).
std::string gpt2_quote(const char * s, size_t n);
inline std::string gpt2_quote(const std::string & s) { return gpt2_quote(s.data(), s.size()); }

// A line of ggml's log for a message: control characters and invalid UTF-8 escaped as gpt2_quote
// does, without the quotes; cut after max code points with "...".
std::string gpt2_printable(const std::string & s, size_t max);
