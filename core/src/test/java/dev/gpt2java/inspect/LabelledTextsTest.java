package dev.gpt2java.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LabelledTexts#read}: CSV (RFC 4180), TSV and JSON Lines, and one clear message for each bad file. */
class LabelledTextsTest {

    @TempDir
    Path dir;

    private Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void readsQuotedCsvFieldsWithCommasQuotesAndLineBreaks() throws Exception {
        Path f = file("a.csv", "id,text,label\r\n1,\"And God said, \"\"Let there be light\"\"\",3\n2,\"two\nlines\",-1.5\n\n3,plain,x\n");
        assertEquals(List.of(new LabelledText("And God said, \"Let there be light\"", "3"),
                new LabelledText("two\nlines", "-1.5"), new LabelledText("plain", "x")), LabelledTexts.read(f, "text", "label"));
    }

    @Test
    void readsTsvAndJsonLinesWithNumberOrStringLabels() throws Exception {
        assertEquals(List.of(new LabelledText("a, b", "old")),
                LabelledTexts.read(file("a.tsv", "label\ttext\nold\ta, b\n"), "text", "label"));
        Path j = file("a.jsonl", "{\"text\": \"In the beginning\", \"book\": 1}\n\n{\"text\": \"Amen.\", \"book\": 66.0, \"x\": null}\n"
                + "{\"text\": \"t\", \"book\": \"Rev\"}\n");
        assertEquals(List.of(new LabelledText("In the beginning", "1"), new LabelledText("Amen.", "66"),
                new LabelledText("t", "Rev")), LabelledTexts.read(j, "text", "book"));
    }

    @Test
    void aMissingColumnOrFieldIsNamed() throws Exception {
        var e = assertThrows(IllegalArgumentException.class,
                () -> LabelledTexts.read(file("a.csv", "text,book\nx,1\n"), "text", "label"));
        assertTrue(e.getMessage().contains("has no column \"label\" (its header: text, book)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LabelledTexts.read(file("a.jsonl", "{\"text\": \"a\", \"label\": 1}\n{\"text\": \"b\"}\n"), "text", "label"));
        assertTrue(e.getMessage().endsWith("a.jsonl line 2 has no field \"label\" (fields: text)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LabelledTexts.read(file("b.jsonl", "{\"text\": 5, \"label\": 1}\n"), "text", "label"));
        assertTrue(e.getMessage().endsWith("b.jsonl line 1: field \"text\" is a number, not a string"), e.getMessage());
    }

    @Test
    void anEmptyFileOrOneWithOnlyAHeaderHasNoRows() throws Exception {
        for (Path f : new Path[] {file("e.csv", ""), file("h.csv", "text,label\n"), file("e.jsonl", "\n\n")}) {
            var e = assertThrows(IllegalArgumentException.class, () -> LabelledTexts.read(f, "text", "label"));
            assertEquals(f + " has no rows", e.getMessage());
        }
    }

    @Test
    void aRowWithTheWrongNumberOfFieldsOrAnOpenQuoteSaysWhere() throws Exception {
        var e = assertThrows(IllegalArgumentException.class,
                () -> LabelledTexts.read(file("r.csv", "text,label\na,1\nb,2,3\n"), "text", "label"));
        assertTrue(e.getMessage().endsWith("r.csv row 2 has 3 fields, the header 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LabelledTexts.read(file("q.csv", "text,label\n\"open,1\n"), "text", "label"));
        assertTrue(e.getMessage().endsWith("q.csv line 2: a quoted field is not closed"), e.getMessage());
    }
}
