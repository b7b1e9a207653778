package dev.gpt2java.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Heatmaps drawn headless with Java2D: a matrix of values in [0, 1] as coloured cells (viridis), the
 * rows and columns labelled, optionally a text in each cell; one or several panels under a title, with
 * a colour scale bar.
 */
final class Heatmap {

    /**
     * One matrix to draw.
     *
     * @param title    the panel's own title ("" for none)
     * @param values   [row][column], each in [0, 1]
     * @param cellText [row][column] text drawn in the cell, or null
     */
    record Panel(String title, double[][] values, String[][] cellText) {
    }

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final int MARGIN = 12;
    private static final int GAP = 8;
    private static final int SCALE_WIDTH = 16;
    private static final int MAX_LABEL = 16;
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Font BOLD = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final Font PANEL = new Font(Font.SANS_SERIF, Font.BOLD, 12);

    /** Viridis at 9 stops. */
    private static final int[] VIRIDIS = {
            0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962, 0xaadc32, 0xfde725};

    private Heatmap() {
    }

    /** The colour of {@code v} in [0, 1] (clamped; NaN as grey). */
    static Color colour(double v) {
        if (Double.isNaN(v)) {
            return Color.GRAY;
        }
        double x = Math.max(0, Math.min(1, v)) * (VIRIDIS.length - 1);
        int i = Math.min(VIRIDIS.length - 2, (int) x);
        double f = x - i;
        int a = VIRIDIS[i], b = VIRIDIS[i + 1];
        return new Color(mix(a >> 16, b >> 16, f), mix(a >> 8, b >> 8, f), mix(a, b, f));
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round((a & 0xff) * (1 - f) + (b & 0xff) * f);
    }

    /** A label cut to at most {@value #MAX_LABEL} characters, spaces shown as '\u2423' where the font has it. */
    static String shown(String s) {
        String t = s.length() > MAX_LABEL ? s.substring(0, MAX_LABEL - 1) + "\u2026" : s;
        return FONT.canDisplay('\u2423') ? t.replace(' ', '\u2423') : t;
    }

    /**
     * Draws the panels (all of the same shape) in a grid of {@code gridColumns} columns.
     *
     * @param title      the image's title
     * @param xLabels    one per column (x axis, drawn under each panel)
     * @param yLabels    one per row (y axis, left of each panel)
     * @param xAxis      the name of the x axis
     * @param yAxis      the name of the y axis
     * @param scaleLabel the name of the value on the colour scale
     * @param minCell    the smallest cell side in pixels (cells grow to fit their text)
     */
    static BufferedImage render(String title, List<Panel> panels, int gridColumns, List<String> xLabels,
                                List<String> yLabels, String xAxis, String yAxis, String scaleLabel, int minCell) {
        int rows = yLabels.size(), cols = xLabels.size();
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D sg = scratch.createGraphics();
        FontMetrics fm = sg.getFontMetrics(FONT);
        FontMetrics bm = sg.getFontMetrics(BOLD);
        FontMetrics pm = sg.getFontMetrics(PANEL);
        int cellW = minCell, cellH = Math.max(minCell, 0);
        boolean anyText = false;
        for (Panel p : panels) {
            if (p.cellText() != null) {
                anyText = true;
                for (String[] r : p.cellText()) {
                    for (String t : r) {
                        cellW = Math.max(cellW, fm.stringWidth(shown(t)) + 8);
                    }
                }
            }
        }
        if (anyText) {
            cellH = Math.max(cellH, fm.getHeight() + 6);
        }
        // the colour scale is as tall as the cells: tall enough for its rotated label and end ticks
        int scaleNeeds = fm.stringWidth(scaleLabel) + 2 * fm.getHeight();
        cellH = Math.max(cellH, (scaleNeeds + rows - 1) / rows);
        int yLab = 0;
        for (String s : yLabels) {
            yLab = Math.max(yLab, fm.stringWidth(shown(s)));
        }
        int xLab = 0;
        for (String s : xLabels) {
            xLab = Math.max(xLab, fm.stringWidth(shown(s)));
        }
        int lineH = fm.getHeight();
        int panelTitleH = panels.stream().anyMatch(p -> !p.title().isEmpty()) ? pm.getHeight() + 4 : 0;
        // panel: [y axis name (rotated)] [y labels] [cells], above: panel title, below: x labels (rotated), x axis name
        int panelW = lineH + 4 + yLab + 4 + cols * cellW;
        int panelH = panelTitleH + rows * cellH + 4 + xLab + 4 + lineH;
        int gridRows = (panels.size() + gridColumns - 1) / gridColumns;
        int scaleW = GAP * 2 + SCALE_WIDTH + 4 + fm.stringWidth("0.00") + 4 + lineH;
        int titleH = bm.getHeight() + 8;
        int width = MARGIN * 2 + gridColumns * panelW + (gridColumns - 1) * GAP * 2 + scaleW;
        width = Math.max(width, MARGIN * 2 + bm.stringWidth(title));
        int height = MARGIN * 2 + titleH + gridRows * panelH + (gridRows - 1) * GAP * 2;
        sg.dispose();

        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(BOLD);
        g.drawString(title, MARGIN, MARGIN + bm.getAscent());

        int top = MARGIN + titleH;
        for (int i = 0; i < panels.size(); i++) {
            Panel p = panels.get(i);
            int px = MARGIN + (i % gridColumns) * (panelW + GAP * 2);
            int py = top + (i / gridColumns) * (panelH + GAP * 2);
            int cx = px + lineH + 4 + yLab + 4;
            int cy = py + panelTitleH;
            if (!p.title().isEmpty()) {
                g.setFont(PANEL);
                g.setColor(Color.BLACK);
                g.drawString(p.title(), cx, py + pm.getAscent());
            }
            g.setFont(FONT);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    double v = p.values()[r][c];
                    g.setColor(colour(v));
                    g.fillRect(cx + c * cellW, cy + r * cellH, cellW, cellH);
                    if (p.cellText() != null) {
                        String t = shown(p.cellText()[r][c]);
                        g.setColor(v > 0.6 ? Color.BLACK : Color.WHITE);
                        g.drawString(t, cx + c * cellW + (cellW - fm.stringWidth(t)) / 2,
                                cy + r * cellH + (cellH - fm.getHeight()) / 2 + fm.getAscent());
                    }
                }
            }
            g.setColor(Color.DARK_GRAY);
            g.setStroke(new BasicStroke(1));
            g.drawRect(cx, cy, cols * cellW, rows * cellH);
            g.setColor(Color.BLACK);
            // y labels, right-aligned, centred on their row
            for (int r = 0; r < rows; r++) {
                String s = shown(yLabels.get(r));
                g.drawString(s, cx - 4 - fm.stringWidth(s), cy + r * cellH + (cellH - fm.getHeight()) / 2 + fm.getAscent());
            }
            // x labels, rotated to read upwards, right end at the cells
            AffineTransform saved = g.getTransform();
            for (int c = 0; c < cols; c++) {
                String s = shown(xLabels.get(c));
                int lx = cx + c * cellW + (cellW + fm.getAscent()) / 2 - fm.getDescent();
                int ly = cy + rows * cellH + 4 + fm.stringWidth(s);
                g.rotate(-Math.PI / 2, lx, ly);
                g.drawString(s, lx, ly);
                g.setTransform(saved);
            }
            // axis names
            g.drawString(xAxis, cx + (cols * cellW - fm.stringWidth(xAxis)) / 2, cy + rows * cellH + 4 + xLab + 4 + fm.getAscent());
            int ax = px + fm.getAscent();
            int ay = cy + (rows * cellH + fm.stringWidth(yAxis)) / 2;
            g.rotate(-Math.PI / 2, ax, ay);
            g.drawString(yAxis, ax, ay);
            g.setTransform(saved);
        }

        // colour scale: 0 at the bottom, 1 at the top, ticks every 0.25
        int sx = MARGIN + gridColumns * panelW + (gridColumns - 1) * GAP * 2 + GAP * 2;
        int sy = top + panelTitleH;
        int sh = Math.max(60, Math.min(gridRows * panelH - panelTitleH - xLab - lineH - 8, 300));
        for (int y = 0; y < sh; y++) {
            g.setColor(colour(1 - (double) y / (sh - 1)));
            g.fillRect(sx, sy + y, SCALE_WIDTH, 1);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(sx, sy, SCALE_WIDTH, sh);
        g.setFont(FONT);
        g.setColor(Color.BLACK);
        for (int t = 0; t <= 4; t++) {
            int y = sy + (int) Math.round((sh - 1) * (1 - t / 4.0));
            g.drawLine(sx + SCALE_WIDTH, y, sx + SCALE_WIDTH + 3, y);
            g.drawString(String.format("%.2f", t / 4.0), sx + SCALE_WIDTH + 4, y + fm.getAscent() / 2 - 1);
        }
        AffineTransform saved = g.getTransform();
        int lx = sx + SCALE_WIDTH + 4 + fm.stringWidth("0.00") + 4 + fm.getAscent();
        int ly = sy + (sh + fm.stringWidth(scaleLabel)) / 2;
        g.rotate(-Math.PI / 2, lx, ly);
        g.drawString(scaleLabel, lx, ly);
        g.setTransform(saved);
        g.dispose();
        return img;
    }
}
