#!/usr/bin/env python3
"""Writes utf8-replace-cases.txt: byte strings and what Python decodes them to with
bytes.decode("utf-8", errors="replace") (U+FFFD for each maximal ill-formed subpart).

Each line: the bytes in hex, a space, the UTF-8 of the decoded text in hex. The bytes are every
string of one or two bytes from a pool of boundary values, and seeded random strings of 3 to 8
bytes from the same pool with ASCII and well-formed characters mixed in. Deterministic:
    python3 make_utf8_replace_cases.py > utf8-replace-cases.txt
"""
import itertools
import random

# the boundaries of Unicode's Table 3-7 (well-formed UTF-8 byte sequences)
POOL = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
        0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7, 0xF8, 0xFE, 0xFF]
WELL_FORMED = ["é", "日", "😀", "\U0010FFFF", "\uD7FF", "\uE000", "\u0800", "\U00010000"]


def line(b):
    return b.hex() + " " + b.decode("utf-8", errors="replace").encode("utf-8").hex()


def main():
    out = [line(b"")]
    for n in (1, 2):
        for t in itertools.product(POOL, repeat=n):
            out.append(line(bytes(t)))
    rng = random.Random(2026)
    for _ in range(1500):
        parts = []
        for _ in range(rng.randint(3, 8)):
            r = rng.random()
            if r < 0.15:
                parts.append(rng.choice(WELL_FORMED).encode("utf-8"))
            else:
                parts.append(bytes([rng.choice(POOL)]))
        out.append(line(b"".join(parts)))
    print("\n".join(out))


if __name__ == "__main__":
    main()
