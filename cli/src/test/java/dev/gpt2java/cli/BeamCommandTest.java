package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.search.BeamCandidate;
import dev.gpt2java.search.BeamSearch;
import dev.gpt2java.search.BeamSearchParams;
import dev.gpt2java.search.BeamStep;
import dev.gpt2java.search.BeamTree;
import dev.gpt2java.search.EarlyStopping;
import dev.gpt2java.search.Hypothesis;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
            assertTextTreeShows(tree, lines);
        }
    }

    private static final Pattern BEAM_LINE = Pattern.compile("  beam (\\d+) \"(.*)\"  (-?\\d+\\.\\d{4})");
    private static final Pattern CANDIDATE_LINE = Pattern.compile(
            "    #(\\d+)\\s+\"(.*)\"\\s+(-?\\d+\\.\\d{4})  (kept -> beam (\\d+)|finished \\(score (-?\\d+\\.\\d{4})\\)|pruned)");

    private static String f4(double x) {
        return String.format(Locale.ROOT, "%.4f", x);
    }

    /**
     * Every line of the text tree is the tree's: each step's beams with their tokens and scores, and under
     * each beam its candidates with rank, token, score and fate (kept: the next beam; finished: the score).
     */
    private static void assertTextTreeShows(BeamTree tree, List<String> lines) {
        int i = lines.indexOf("step 1");
        for (BeamStep step : tree.steps()) {
            assertEquals("step " + (step.index() + 1), lines.get(i++));
            int seen = 0;
            for (int b = 0; b < step.beams().size(); b++) {
                Matcher mb = BEAM_LINE.matcher(lines.get(i++));
                assertTrue(mb.matches(), lines.get(i - 1));
                assertEquals(b, Integer.parseInt(mb.group(1)));
                assertEquals(f4(step.beams().get(b).score()), mb.group(3), "beam " + b + " of step " + step.index());
                List<BeamCandidate> under = new ArrayList<>();
                for (BeamCandidate c : step.candidates()) {
                    if (c.beam() == b) {
                        under.add(c);
                    }
                }
                for (BeamCandidate c : under) {
                    String line = lines.get(i++);
                    Matcher mc = CANDIDATE_LINE.matcher(line);
                    assertTrue(mc.matches(), line);
                    assertEquals(c.rank() + 1, Integer.parseInt(mc.group(1)), line);
                    assertEquals(f4(c.score()), mc.group(3), line);
                    switch (c.fate()) {
                        case KEPT -> assertEquals(Integer.toString(c.nextBeam()), mc.group(5), line);
                        case FINISHED -> assertEquals(f4(c.normalizedScore()), mc.group(6), line);
                        case PRUNED -> assertEquals("pruned", mc.group(4), line);
                    }
                    seen++;
                }
            }
            assertEquals(step.candidates().size(), seen, "candidates of step " + step.index());
        }
        assertEquals(lines.size(), i, "lines after the tree");
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
        assertSvgShowsTheTree(doc, "a \"quoted\" <prompt> & more");
    }

    private static double attr(Element e, String name) {
        return Double.parseDouble(e.getAttribute(name));
    }

    /**
     * The picture shows the tree: the visible title, the prompt, then per step (a column) each candidate as
     * "token score" or "token score (normalized)", classed by its fate, joined by a line to the node of its
     * parent beam (the prompt, or the kept candidate that became that beam); everything inside the picture,
     * no two nodes on the same spot.
     */
    private static void assertSvgShowsTheTree(Document doc, String prompt) {
        String ns = "http://www.w3.org/2000/svg";
        Element svg = doc.getDocumentElement();
        double width = attr(svg, "width"), height = attr(svg, "height");
        assertTrue(width >= 200 && height >= 60, width + "x" + height);
        try (Gpt2Model m = Gpt2Model.load(Cli.tinyModel())) {
            Gpt2Tokenizer tok = m.tokenizer();
            int[] ids = tok.encode(prompt);
            BeamSearchParams p = new BeamSearchParams(2, 0.5, EarlyStopping.NEVER, 2, 0, 5, 0, new int[] {m.eosToken()});
            BeamTree tree = BeamTree.search(m, ids, p).tree();
            NodeList texts = doc.getElementsByTagNameNS(ns, "text");
            List<Element> nodes = new ArrayList<>();
            for (int i = 0; i < texts.getLength(); i++) {
                Element e = (Element) texts.item(i);
                assertFalse(e.getTextContent().isBlank(), "an empty text");
                assertTrue(attr(e, "x") >= 0 && attr(e, "x") < width && attr(e, "y") > 0 && attr(e, "y") <= height,
                        "text outside the picture: " + e.getTextContent());
                if (e.getAttribute("class").equals("title")) {
                    assertTrue(e.getTextContent().startsWith("Beam search: "), e.getTextContent());
                } else {
                    nodes.add(e);
                }
            }
            assertEquals("node prompt", nodes.get(0).getAttribute("class"));
            assertEquals(String.join("", Pieces.pieces(tok, ids)), nodes.get(0).getTextContent());
            List<Element> lines = new ArrayList<>();
            NodeList ls = doc.getElementsByTagNameNS(ns, "line");
            for (int i = 0; i < ls.getLength(); i++) {
                lines.add((Element) ls.item(i));
            }
            java.util.Set<String> spots = new java.util.HashSet<>();
            List<Element> beamNodes = List.of(nodes.get(0));
            int k = 1;
            for (BeamStep step : tree.steps()) {
                List<BeamCandidate> order = new ArrayList<>(step.candidates());
                order.sort(java.util.Comparator.comparingInt(BeamCandidate::beam).thenComparingInt(BeamCandidate::rank));
                Element[] next = new Element[p.numBeams()];
                for (BeamCandidate c : order) {
                    Element e = nodes.get(k++);
                    String fate = c.fate().name().toLowerCase(Locale.ROOT);
                    assertEquals("node " + fate, e.getAttribute("class"), "step " + step.index() + " rank " + c.rank());
                    String score = String.format(Locale.ROOT, "%.3f", c.score());
                    if (c.fate() == BeamCandidate.Fate.FINISHED) {
                        score += String.format(Locale.ROOT, " (%.3f)", c.normalizedScore());
                    }
                    String piece = Pieces.quoted(Pieces.piece(tok, c.token()));
                    assertEquals(Pieces.cut(piece, 16) + " " + score, e.getTextContent());
                    assertTrue(spots.add(e.getAttribute("x") + "," + e.getAttribute("y")), "two nodes at one spot");
                    Element parent = beamNodes.get(c.beam());
                    double px = attr(parent, "x"), py = attr(parent, "y"), x = attr(e, "x"), y = attr(e, "y");
                    assertTrue(x > px, "a candidate is right of its parent");
                    assertTrue(lines.stream().anyMatch(l -> attr(l, "x2") == x - 4 && attr(l, "y2") == y - 4
                                    && attr(l, "y1") == py - 4 && attr(l, "x1") > px && attr(l, "x1") < x
                                    && l.getAttribute("class").equals(fate)),
                            "no " + fate + " line from beam " + c.beam() + " to " + e.getTextContent());
                    if (c.fate() == BeamCandidate.Fate.KEPT) {
                        next[c.nextBeam()] = e;
                    }
                }
                beamNodes = java.util.Arrays.asList(next);
            }
            assertEquals(nodes.size(), k, "nodes after the last step");
            for (Element l : lines) {
                for (String a : List.of("x1", "x2")) {
                    assertTrue(attr(l, a) >= 0 && attr(l, a) <= width, "line outside the picture");
                }
                for (String a : List.of("y1", "y2")) {
                    assertTrue(attr(l, a) >= 0 && attr(l, a) <= height, "line outside the picture");
                }
            }
        }
    }

    @Test
    void badOptionsAreUsageErrors() {
        Cli.Result r = Cli.run("beam", "-m", Cli.model(), "--num-beams", "1", "x");
        assertEquals(2, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("gpt2 beam: --num-beams must be in 2.."), r.err());
        r = Cli.run("beam", "-m", Cli.model(), "--num-beams", "2", "--num-return-sequences", "3", "x");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("gpt2 beam: --num-return-sequences must be in 1..--num-beams (2), was 3"), r.err());
        r = Cli.run("beam", "-m", Cli.model(), "--early-stopping", "maybe", "x");
        assertEquals(2, r.code());
        assertEquals(1, r.errLines().size(), r.err());
    }
}
