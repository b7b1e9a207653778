// vocab-bytes.h: GPT-2's byte-to-unicode mapping (bytes_to_unicode() of OpenAI's encoder.py).
//
// GPT-2's byte-level BPE works on text where every byte is one printable code point: the
// 188 bytes that are printable in Latin-1 ('!'..'~', '¡'..'¬', '®'..'ÿ') map to themselves,
// the other 68 bytes (controls, space, DEL, NBSP, soft hyphen) map, in byte order, to
// U+0100, U+0101, ... So " the" is stored as "Ġthe" (space = 0x20 -> U+0120 'Ġ').
//
// The 256 byte tokens of GPT-2's vocabulary have ids 0..255 in the order of that table:
// first the 188 printable bytes, then the 68 others (so ' ' is token 220, '\n' token 198).
//
// Internal to libgpt2 (not exported).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

// Code point that stands for byte b.
uint32_t gpt2_byte_to_unicode(uint8_t b);

// Byte that code point cp stands for, or -1 if cp is not in the table.
int32_t gpt2_unicode_to_byte(uint32_t cp);

// Byte of the byte token with id i (0..255) in GPT-2's vocabulary order.
uint8_t gpt2_byte_of_token(int32_t i);

// Id (0..255) of the byte token of byte b in GPT-2's vocabulary order.
int32_t gpt2_token_of_byte(uint8_t b);

// Raw bytes -> byte-to-unicode text, UTF-8 (1 or 2 bytes per input byte).
std::string gpt2_bytes_to_unicode(const void * bytes, size_t n);

// Byte-to-unicode text (UTF-8, len bytes) -> raw bytes. Writes at most cap bytes to out (out may
// be NULL when cap is 0) and returns the number of bytes the text stands for; returns -1 if
// the text is not valid UTF-8 or a code point is not in the table.
int gpt2_unicode_to_bytes(const char * text, int len, uint8_t * out, int cap);
