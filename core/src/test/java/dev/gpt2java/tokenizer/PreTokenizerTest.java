package dev.gpt2java.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The hand-written scanner splits text exactly as GPT-2's pattern does in {@code java.util.regex}
 * (with {@code UNICODE_CHARACTER_CLASS}, as JTokkit compiles it).
 */
class PreTokenizerTest {

    /** OpenAI's pattern as tiktoken and JTokkit write it. */
    private static final Pattern GPT2 = Pattern.compile(
            "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private static List<String> regex(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = GPT2.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static List<String> scanner(String text) {
        List<String> out = new ArrayList<>();
        PreTokenizer.split(text, 0, text.length(), (start, end) -> out.add(text.substring(start, end)));
        return out;
    }

    private static void assertSplit(String text, String... pieces) {
        assertEquals(List.of(pieces), scanner(text), Show.literal(text));
        assertEquals(List.of(pieces), regex(text), "the regex itself on " + Show.literal(text));
    }

    @Test
    void wordsKeepTheSpaceBeforeThem() {
        assertSplit("Hello world, the quick brown fox.", "Hello", " world", ",", " the", " quick", " brown", " fox", ".");
    }

    @Test
    void lowerCaseContractionsAreTheirOwnPieces() {
        assertSplit("I'm sure they'll've said it's John's",
                "I", "'m", " sure", " they", "'ll", "'ve", " said", " it", "'s", " John", "'s");
        assertSplit("'sup 're'd", "'s", "up", " '", "re", "'d");
    }

    @Test
    void upperCaseContractionsAreNotContractions() {
        assertSplit("IT'S WE'LL", "IT", "'", "S", " WE", "'", "LL");
    }

    @Test
    void aRunOfSpacesGivesItsLastSpaceToTheWordAfter() {
        assertSplit("a   b", "a", "  ", " b");
        assertSplit("a \n b", "a", " \n", " b");
        assertSplit("a\n\nb", "a", "\n", "\n", "b");
        assertSplit("a\tb", "a", "\t", "b");
    }

    @Test
    void spacesAtTheEndStayTogether() {
        assertSplit("end   ", "end", "   ");
        assertSplit("end \r\n", "end", " \r\n");
        assertSplit(" ", " ");
    }

    @Test
    void numbersLettersAndSymbolsAreSeparateRuns() {
        assertSplit("abc123def!!?x", "abc", "123", "def", "!!?", "x");
        assertSplit(" 2026: 1,000", " 2026", ":", " 1", ",", "000");
    }

    @Test
    void unicodeCategoriesDecideTheRuns() {
        assertSplit("x² ½ Ⅻ ٣", "x", "²", " ½", " Ⅻ", " ٣");     // No, No, Nl, Nd are numbers
        assertSplit("e\u0301", "e", "\u0301");                    // a combining mark is not a letter
        assertSplit("a\u00A0b", "a", "\u00A0", "b");              // NBSP is White_Space
        assertSplit("a\u200Bb", "a", "\u200B", "b");              // ZWSP is not
        assertSplit("a\u001Cb", "a", "\u001C", "b");              // nor U+001C
    }

    @Test
    void charactersAboveTheBmpAreReadWhole() {
        assertSplit("𝐀𝐁 𝟘𝟙 😀😀", "𝐀𝐁", " 𝟘𝟙", " 😀😀");
        assertSplit(" \uD800x", " \uD800", "x");                  // an unpaired surrogate is "other"
    }

    @Test
    void generatedStringsSplitAsTheRegexDoes() {
        RandomText gen = new RandomText(99L, true);
        int mismatches = 0;
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            String text = gen.next();
            List<String> ours = scanner(text);
            List<String> theirs = regex(text);
            if (!ours.equals(theirs)) {
                mismatches++;
                if (examples.size() < 5) {
                    examples.add(Show.literal(text) + "\n    ours  " + ours.stream().map(Show::literal).toList()
                            + "\n    regex " + theirs.stream().map(Show::literal).toList());
                }
            }
        }
        assertEquals(0, mismatches, String.join("\n", examples));
    }

    @Test
    void everyCodePointIsClassifiedAsTheRegexClassifiesIt() {
        Pattern letter = Pattern.compile("\\p{L}", Pattern.UNICODE_CHARACTER_CLASS);
        Pattern number = Pattern.compile("\\p{N}", Pattern.UNICODE_CHARACTER_CLASS);
        Pattern space = Pattern.compile("\\s", Pattern.UNICODE_CHARACTER_CLASS);
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            String s = Character.toString(cp);
            byte want = letter.matcher(s).matches() ? PreTokenizer.LETTER
                    : number.matcher(s).matches() ? PreTokenizer.NUMBER
                    : space.matcher(s).matches() ? PreTokenizer.SPACE
                    : PreTokenizer.OTHER;
            if (PreTokenizer.classOf(cp) != want) {
                assertEquals(want, PreTokenizer.classOf(cp), String.format("class of U+%04X", cp));
            }
        }
    }
}
