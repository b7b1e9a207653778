package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.search.BeamCandidate;
import dev.gpt2java.search.BeamSearch;
import dev.gpt2java.search.BeamSearchParams;
import dev.gpt2java.search.BeamTree;
import dev.gpt2java.search.EarlyStopping;
import dev.gpt2java.search.Hypothesis;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code gpt2 beam}: the returned sequences, the text tree and the SVG tree. */
class BeamCommandTest {

    static final String PROMPT = "Once upon a time";

    static BeamSearchParams params(Gpt2Model m, int beams, int maxNew) {
        return new BeamSearchParams(beams, 1.0, EarlyStopping.FALSE, beams, 0, maxNew, 0, new int[] {m.eosToken()});
    }

    static String decode(Gpt2Tokenizer tok, int eos, int[] toks) {
        if (toks.length > 0 && toks[toks.length - 1] == eos) {
            toks = Arrays.copyOf(toks, toks.length - 1);
        }
        return tok.decode(toks);
    }

    @Test
    void printsTheSequencesBeamSearchReturnsAndTheTree() {
        Cli.Result r = Cli.run("beam", "-m", Cli.model(), "--num-beams", "3", "-n", "6", "--tree", PROMPT);
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        try (Gpt2Model m = Gpt2Model.load(Cli.tinyModel())) {
            Gpt2Tokenizer tok = m.tokenizer();
            int[] ids = tok.encode(PROMPT);
            BeamSearchParams p = params(m, 3, 6);
            List<Hypothesis> found = BeamSearch.search(m, ids, p);
            BeamTree tree = BeamTree.search(m, ids, p).tree();
            assertEquals(found, tree.hypotheses());
            // the sequences first (a decoded text may hold line breaks), then the tree
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < found.size(); i++) {
                expected.append(String.format(Locale.ROOT, "[%d] score %.4f%n", i + 1, found.get(i).score()))
                        .append(decode(tok, m.eosToken(), found.get(i).tokens())).append(System.lineSeparator());
            }
            assertTrue(r.out().startsWith(expected + System.lineSeparator() + "Beam tree: "), r.out());
            List<String> lines = r.outLines();
            // the tree: a line per step, per beam and per candidate, each candidate with its fate
            assertTrue(r.out().contains("Beam tree: 3 beams"), r.out());
            long candidateLines = lines.stream().filter(l -> l.matches("    #\\d+ .*")).count();
            assertEquals(tree.candidateCount(), candidateLines);
            long kept = tree.steps().stream().flatMap(s -> s.candidates().stream())
                    .filter(c -> c.fate() == BeamCandidate.Fate.KEPT).count();
            assertEquals(kept, lines.stream().filter(l -> l.contains(" kept -> beam ")).count());
            assertEquals(tree.candidateCount() - kept
                            - lines.stream().filter(l -> l.endsWith(" pruned")).count(),
                    lines.stream().filter(l -> l.contains(" finished (score ")).count());
            for (int s = 1; s <= tree.steps().size(); s++) {
                assertTrue(lines.contains("step " + s), "step " + s);
            }
        }
    }

    @Test
    void svgIsXmlWithOneTextPerNode(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("sub").resolve("tree.svg");
        Cli.Result r = Cli.run("beam", "-m", Cli.model(), "--num-beams", "2", "-n", "5", "--length-penalty", "0.5",
                "--early-stopping", "never", "--svg", svg.toString(), "a \"quoted\" <prompt> & more");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(svg));
        assertTrue(r.out().contains("wrote " + svg), r.out());
        int nodes;
        try (Gpt2Model m = Gpt2Model.load(Cli.tinyModel())) {
            int[] ids = m.tokenizer().encode("a \"quoted\" <prompt> & more");
            BeamSearchParams p = new BeamSearchParams(2, 0.5, EarlyStopping.NEVER, 2, 0, 5, 0, new int[] {m.eosToken()});
            nodes = 1 + BeamTree.search(m, ids, p).tree().candidateCount();
        }
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(svg.toFile());
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        NodeList texts = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
        int nodeTexts = 0;
        for (int i = 0; i < texts.getLength(); i++) {
            if (((Element) texts.item(i)).getAttribute("class").startsWith("node")) {
                nodeTexts++;
            }
        }
        assertEquals(nodes, nodeTexts);
        assertEquals(nodes + 1, texts.getLength(), "the nodes and the title");
        assertEquals(nodes - 1, doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "line").getLength());
        String title = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "title").item(0).getTextContent();
        assertTrue(title.contains("2 beams") && title.contains("length penalty 0.5")
                && title.contains("early stopping never") && title.contains("model-f32.gguf"), title);
    }

    @Test
    void badOptionsAreUsageErrors() {
        Cli.Result r = Cli.run("beam", "-m", Cli.model(), "--num-beams", "1", "x");
        assertEquals(2, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("gpt2 beam: --num-beams must be in 2.."), r.err());
        r = Cli.run("beam", "-m", Cli.model(), "--num-beams", "2", "--num-return-sequences", "3", "x");
        assertEquals(2, r.code());
        r = Cli.run("beam", "-m", Cli.model(), "--early-stopping", "maybe", "x");
        assertEquals(2, r.code());
        assertEquals(1, r.errLines().size(), r.err());
    }
}
