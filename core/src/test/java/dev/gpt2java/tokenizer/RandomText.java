package dev.gpt2java.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Seeded random strings aimed at the corners of GPT-2's pre-tokenizer and of UTF-8: each is a few
 * "atoms" drawn from words, contractions (upper case too), digits of all kinds, whitespace runs
 * (\r\n, \t, Unicode spaces, and characters that look like spaces but are not White_Space), combining
 * marks, CJK, letters, digits and emoji above the BMP, any code point at all, random bytes decoded
 * leniently, and {@code <|endoftext|>} with pieces of it.
 */
final class RandomText {

    private static final String[] WORDS = {
        "the", "The", "THE", "hello", "world", "Art", "ificial", "intelligence", "naïve", "café", "über",
        "straße", "日本語", "русский", "ελληνικά", "עברית", "العربية", "हिन्दी", "ไทย", "한국어", "x", "a", "I",
        "don", "can", "won", "we", "they", "Hello", "GPT", "tokenizer", "ﬁ", "Ⅻ", "ǅ", "ʰ", "ᾯ",
    };
    private static final String[] CONTRACTIONS = {
        "'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'T", "'RE", "'Ve", "'LL", "'D", "'", "''", "'x",
        "’s", "'r", "'l", "'v", "'e",
    };
    private static final String[] DIGITS = {
        "0", "7", "42", "1234567", "3.14", "1,000", "٣", "١٢٣", "۴۵", "९", "²", "³", "½", "Ⅻ", "⑦", "𝟘𝟙", "𐄇",
        "🄁", "〇",
    };
    private static final String[] SPACES = {
        " ", " ", " ", "  ", "   ", "\t", "\n", "\n\n", "\r\n", "\r", "\u000B", "\u000C", "\u0085", "\u00A0",
        "\u1680", "\u2000", "\u2003", "\u200A", "\u2028", "\u2029", "\u202F", "\u205F", "\u3000", " \n ",
        "\t \t", " \u00A0 ",
        // not White_Space
        "\u200B", "\uFEFF", "\u180E", "\u001C", "\u001F", "\u0000",
    };
    private static final String[] SPECIAL = {
        "<|endoftext|>", "<|endoftext|>", "<|", "|>", "<|endoftext", "endoftext|>", "<|endoftext|><|endoftext|>",
        " <|endoftext|> ", "<<|endoftext|>>",
    };

    private final SplittableRandom rnd;
    private final boolean loneSurrogates;

    /**
     * @param loneSurrogates whether strings may contain unpaired surrogates (not valid Unicode text)
     */
    RandomText(long seed, boolean loneSurrogates) {
        this.rnd = new SplittableRandom(seed);
        this.loneSurrogates = loneSurrogates;
    }

    String next() {
        StringBuilder sb = new StringBuilder();
        int atoms = 1 + rnd.nextInt(8);
        for (int a = 0; a < atoms; a++) {
            atom(sb);
        }
        return sb.toString();
    }

    private String pick(String[] a) {
        return a[rnd.nextInt(a.length)];
    }

    /** One of {@code a}, after a space half of the time (as GPT-2's pre-tokenizer groups " word"). */
    private void maybeSpaced(StringBuilder sb, String[] a) {
        if (rnd.nextBoolean()) {
            sb.append(' ');
        }
        sb.append(pick(a));
    }

    private void atom(StringBuilder sb) {
        int k = rnd.nextInt(100);
        if (k < 20) {
            maybeSpaced(sb, WORDS);
        } else if (k < 30) {
            sb.append(pick(CONTRACTIONS));
        } else if (k < 38) {
            maybeSpaced(sb, DIGITS);
        } else if (k < 55) {
            sb.append(pick(SPACES));
        } else if (k < 62) {
            // ASCII punctuation and symbols, in runs
            String punct = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~";
            int n = 1 + rnd.nextInt(4);
            for (int i = 0; i < n; i++) {
                sb.append(punct.charAt(rnd.nextInt(punct.length())));
            }
        } else if (k < 67) {
            // combining marks, alone or after a letter
            if (rnd.nextBoolean()) {
                sb.append((char) ('a' + rnd.nextInt(26)));
            }
            int n = 1 + rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                sb.append((char) (0x0300 + rnd.nextInt(0x70)));
            }
        } else if (k < 72) {
            sb.appendCodePoint(0x4E00 + rnd.nextInt(0x5000)); // CJK
        } else if (k < 80) {
            // above the BMP: emoji, math letters and digits, Deseret, Aegean numbers, ancient scripts
            int[][] ranges = {{0x1F300, 0x1FAFF}, {0x1D400, 0x1D7FF}, {0x10400, 0x1044F}, {0x10100, 0x1013F},
                {0x20000, 0x2A6DF}, {0x1F1E6, 0x1F1FF}, {0x10330, 0x1034F}, {0xE0000, 0xE007F}};
            int[] r = ranges[rnd.nextInt(ranges.length)];
            int n = 1 + rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                sb.appendCodePoint(r[0] + rnd.nextInt(r[1] - r[0] + 1));
            }
        } else if (k < 86) {
            // any code point at all: unassigned, private use, controls
            int cp;
            do {
                cp = rnd.nextInt(rnd.nextInt(4) == 0 ? 0x110000 : 0x3000);
            } while (Character.isSurrogate((char) cp) && cp <= 0xFFFF);
            sb.appendCodePoint(cp);
        } else if (k < 91) {
            // random bytes, decoded leniently (U+FFFD where ill-formed)
            byte[] b = new byte[1 + rnd.nextInt(8)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) rnd.nextInt(256);
            }
            sb.append(new String(b, StandardCharsets.UTF_8));
        } else if (k < 95) {
            sb.append(pick(SPECIAL));
        } else if (k < 99) {
            if (loneSurrogates) {
                sb.append((char) (0xD800 + rnd.nextInt(0x800)));
            } else {
                sb.append(pick(WORDS));
            }
        } else {
            // a long run of one class, to reach the long-piece path of BPE
            String unit = switch (rnd.nextInt(4)) {
                case 0 -> "ab";
                case 1 -> "9";
                case 2 -> "-=";
                default -> "é";
            };
            sb.append(unit.repeat(20 + rnd.nextInt(40)));
        }
    }
}
