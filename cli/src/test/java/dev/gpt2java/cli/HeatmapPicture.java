package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a heatmap PNG back from its pixels alone, without asking {@link Heatmap} where it drew: the panels
 * are found by their dark grey frames, the colour scale by its exact gradient, labels as dark ink where they
 * belong. Each check fails with a message that says what is missing.
 */
final class HeatmapPicture {

    private static final int FRAME = Color.DARK_GRAY.getRGB() & 0xffffff;
    private static final int WHITE = 0xffffff;
    /** Shortest frame line taken for a panel (the colour scale's frame is 17 pixels wide). */
    private static final int MIN_FRAME = 30;
    /** Shortest colour scale (Heatmap draws at least 60 pixels). */
    private static final int MIN_SCALE = 50;

    /** A frame: its left, top, right and bottom lines (inclusive). */
    record Box(int x0, int y0, int x1, int y1) {
        int width() {
            return x1 - x0;
        }

        int height() {
            return y1 - y0;
        }
    }

    private HeatmapPicture() {
    }

    static int rgb(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xffffff;
    }

    /** Ink: a dark pixel (text is drawn in black, anti-aliased). */
    static boolean dark(int rgb) {
        return ((rgb >> 16) & 0xff) < 128 && ((rgb >> 8) & 0xff) < 128 && (rgb & 0xff) < 128;
    }

    /** Dark pixels in [x0, x1) x [y0, y1), clipped to the image. */
    static int ink(BufferedImage img, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = Math.max(0, y0); y < Math.min(img.getHeight(), y1); y++) {
            for (int x = Math.max(0, x0); x < Math.min(img.getWidth(), x1); x++) {
                if (dark(rgb(img, x, y))) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The panels' frames, row by row, left to right: pairs of long horizontal frame lines joined by vertical ones. */
    static List<Box> panels(BufferedImage img) {
        Map<Long, List<Integer>> linesBySpan = new HashMap<>();
        for (int y = 0; y < img.getHeight(); y++) {
            int x = 0;
            while (x < img.getWidth()) {
                if (rgb(img, x, y) != FRAME) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < img.getWidth() && rgb(img, x, y) == FRAME) {
                    x++;
                }
                if (x - start >= MIN_FRAME) {
                    linesBySpan.computeIfAbsent(((long) start << 32) | (x - 1), k -> new ArrayList<>()).add(y);
                }
            }
        }
        List<Box> boxes = new ArrayList<>();
        for (Map.Entry<Long, List<Integer>> e : linesBySpan.entrySet()) {
            int x0 = (int) (e.getKey() >>> 32), x1 = (int) (long) e.getKey();
            List<Integer> ys = e.getValue();
            for (int i = 0; i + 1 < ys.size(); i += 2) {
                int y0 = ys.get(i), y1 = ys.get(i + 1);
                for (int y = y0; y <= y1; y++) {
                    if (rgb(img, x0, y) != FRAME || rgb(img, x1, y) != FRAME) {
                        throw new AssertionError("frame lines at y " + y0 + " and " + y1 + " (x " + x0 + ".." + x1
                                + ") are not joined at y " + y);
                    }
                }
                boxes.add(new Box(x0, y0, x1, y1));
            }
        }
        boxes.sort(Comparator.comparingInt(Box::y0).thenComparingInt(Box::x0));
        return boxes;
    }

    /**
     * The colour scale: columns whose pixels between two frame lines are exactly {@link Heatmap#colour} of
     * 1 - k / m going down (k = 1..m, so the bottom row is 0). Returns its frame; fails if there is none.
     */
    static Box colourScale(BufferedImage img) {
        int first = -1, last = -1, top = -1, bottom = -1;
        for (int x = 0; x < img.getWidth(); x++) {
            int y = 0;
            boolean found = false;
            while (y < img.getHeight() && !found) {
                int c = rgb(img, x, y);
                if (c == WHITE || c == FRAME) {
                    y++;
                    continue;
                }
                int start = y;
                while (y < img.getHeight() && rgb(img, x, y) != WHITE && rgb(img, x, y) != FRAME) {
                    y++;
                }
                int m = y - start;
                if (m >= MIN_SCALE && start > 0 && y < img.getHeight() && rgb(img, x, y) == FRAME
                        && rgb(img, x, start - 1) == FRAME
                        && isGradient(img, x, start, m)) {
                    found = true;
                    if (first < 0) {
                        first = x;
                        top = start - 1;
                        bottom = y;
                    } else if (start - 1 != top || y != bottom) {
                        throw new AssertionError("two colour scales: at x " + first + " and " + x);
                    }
                    last = x;
                }
            }
        }
        assertTrue(first >= 0, "no colour scale (a column going exactly from viridis(1) down to viridis(0))");
        assertTrue(last - first + 1 >= 8, "the colour scale is only " + (last - first + 1) + " pixels wide");
        return new Box(first - 1, top, last + 1, bottom);
    }

    private static boolean isGradient(BufferedImage img, int x, int start, int m) {
        for (int k = 1; k <= m; k++) {
            if (rgb(img, x, start + k - 1) != (Heatmap.colour(1 - (double) k / m).getRGB() & 0xffffff)) {
                return false;
            }
        }
        return true;
    }

    /** Each channel of {@code got} within 1 of {@code want}'s (the value's last float bits may differ between runs). */
    static boolean close(int got, int want) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((got >> shift) & 0xff) - ((want >> shift) & 0xff)) > 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * The panel shows {@code values} ([row][column]) as cells of the frame's width / columns and height / rows:
     * a pixel near each cell's top-left corner has the value's colour. Returns {cell width, cell height}.
     */
    static int[] assertCells(BufferedImage img, Box panel, double[][] values, String what) {
        int rows = values.length, cols = values[0].length;
        assertEquals(0, panel.width() % cols, what + ": frame width " + panel.width() + " is not " + cols + " cells");
        assertEquals(0, panel.height() % rows, what + ": frame height " + panel.height() + " is not " + rows + " cells");
        int cw = panel.width() / cols, ch = panel.height() / rows;
        assertTrue(cw >= 4 && ch >= 4, what + ": cells of " + cw + "x" + ch);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int got = rgb(img, panel.x0() + c * cw + 2, panel.y0() + r * ch + 2);
                int want = Heatmap.colour(values[r][c]).getRGB() & 0xffffff;
                assertTrue(close(got, want), String.format("%s: cell (%d, %d) is #%06x, value %.4f wants #%06x",
                        what, r, c, got, values[r][c], want));
            }
        }
        return new int[] {cw, ch};
    }

    /** Ink just left of every row (its y label) and just under every column (its x label, drawn upwards). */
    static void assertRowAndColumnLabels(BufferedImage img, Box panel, int rows, int cols, String what) {
        int cw = panel.width() / cols, ch = panel.height() / rows;
        for (int r = 0; r < rows; r++) {
            int y = panel.y0() + r * ch;
            assertTrue(ink(img, panel.x0() - 14, y + 1, panel.x0() - 1, y + ch) > 0, what + ": no label left of row " + r);
        }
        for (int c = 0; c < cols; c++) {
            int x = panel.x0() + c * cw;
            assertTrue(ink(img, x + 1, panel.y1() + 2, x + cw, panel.y1() + 15) > 0, what + ": no label under column " + c);
        }
    }

    /**
     * Under the frame, two bands of ink with blank rows between: the x labels, then the x axis's name; left
     * of the y labels (from the image's left edge), the y axis's name.
     */
    static void assertAxisNames(BufferedImage img, Box panel, int yAxisNameRight, String what) {
        List<int[]> bands = new ArrayList<>();
        int start = -1;
        for (int y = panel.y1() + 1; y < img.getHeight(); y++) {
            boolean inked = ink(img, panel.x0(), y, panel.x1() + 1, y + 1) > 0;
            if (inked && start < 0) {
                start = y;
            } else if (!inked && start >= 0) {
                bands.add(new int[] {start, y});
                start = -1;
            }
        }
        assertTrue(bands.size() >= 2, what + ": under the cells " + bands.size() + " band(s) of ink, want the x labels "
                + "and then the x axis's name");
        assertTrue(ink(img, 0, panel.y0(), yAxisNameRight, panel.y1()) > 0, what + ": no y axis name at the left");
    }

    /** A title across the top: ink in the first 34 rows spanning at least {@code minWidth} pixels. */
    static void assertTitle(BufferedImage img, int minWidth, String what) {
        int minX = Integer.MAX_VALUE, maxX = -1;
        for (int y = 0; y < Math.min(34, img.getHeight()); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if (dark(rgb(img, x, y))) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                }
            }
        }
        assertTrue(maxX - minX >= minWidth, what + ": no title across the top (ink spans " + Math.max(0, maxX - minX) + " px)");
    }

    /**
     * The scale's five tick labels (0.00 .. 1.00) right of it, each at its tick, and its name further right,
     * drawn upwards across the middle: ink right of the scale in the rows between the ticks, where no tick
     * label reaches.
     */
    static void assertScaleLabels(BufferedImage img, Box scale, String what) {
        assertFalse(scale.height() < MIN_SCALE, what + ": colour scale of " + scale.height() + " px");
        int[] tick = new int[5];
        for (int t = 0; t <= 4; t++) {
            tick[t] = scale.y0() + (int) Math.round((scale.height() - 1) * (1 - t / 4.0));
            assertTrue(ink(img, scale.x1() + 3, tick[t] - 7, scale.x1() + 30, tick[t] + 7) > 0,
                    what + ": no tick label " + t / 4.0);
        }
        int between = ink(img, scale.x1() + 4, tick[3] + 8, img.getWidth(), tick[2] - 8)
                + ink(img, scale.x1() + 4, tick[2] + 8, img.getWidth(), tick[1] - 8);
        assertTrue(between > 0, what + ": the colour scale has no name");
    }
}
