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
import java.util.Locale;

/**
 * Line charts drawn headless with Java2D: one or more series of values over the same labelled x
 * positions (e.g. a probe's score per layer), with a y axis, grid lines and a legend.
 */
final class LinePlot {

    /**
     * One line.
     *
     * @param name   its legend entry
     * @param values one per x position (NaN: no point)
     * @param colour its colour
     * @param dashed whether the line is dashed
     */
    record Series(String name, double[] values, Color colour, boolean dashed) {
    }

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** A probe's colour (viridis blue) and its control's (grey). */
    static final Color PROBE = new Color(0x3b528b);
    static final Color CONTROL = new Color(0x8c8c8c);

    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Font BOLD = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final int W = 640, H = 400, LEFT = 64, RIGHT = 24, TOP = 80, BOTTOM = 56;

    private LinePlot() {
    }

    /**
     * Draws the series over {@code xLabels}, the y axis from {@code yMin} to {@code yMax} (widened to fit every
     * value).
     */
    static BufferedImage render(String title, String subtitle, List<String> xLabels, List<Series> series, String xAxis,
                                String yAxis, double yMin, double yMax) {
        for (Series s : series) {
            for (double v : s.values()) {
                if (Double.isFinite(v)) {
                    yMin = Math.min(yMin, v);
                    yMax = Math.max(yMax, v);
                }
            }
        }
        double step = niceStep((yMax - yMin) / 6);
        yMin = Math.floor(yMin / step + 1e-9) * step;
        yMax = Math.ceil(yMax / step - 1e-9) * step;
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, H);
            g.setColor(Color.BLACK);
            g.setFont(BOLD);
            FontMetrics bm = g.getFontMetrics();
            g.drawString(fit(title, bm, W - 16), 8, 8 + bm.getAscent());
            g.setFont(FONT);
            FontMetrics fm = g.getFontMetrics();
            g.drawString(fit(subtitle, fm, W - 16), 8, 8 + bm.getHeight() + fm.getAscent());
            int x0 = LEFT, x1 = W - RIGHT, y0 = H - BOTTOM, y1 = TOP;
            int n = xLabels.size();
            // y grid and ticks
            for (double v = yMin; v <= yMax + step / 2; v += step) {
                int y = yPix(v, yMin, yMax, y0, y1);
                g.setColor(Math.abs(v) < step / 2 ? Color.GRAY : new Color(0xe0e0e0));
                g.drawLine(x0, y, x1, y);
                g.setColor(Color.BLACK);
                String t = String.format(Locale.ROOT, step < 0.1 ? "%.2f" : "%.1f", Math.abs(v) < step / 2 ? 0 : v);
                g.drawString(t, x0 - 6 - fm.stringWidth(t), y + fm.getAscent() / 2 - 1);
            }
            g.drawLine(x0, y0, x0, y1);
            // x ticks
            for (int i = 0; i < n; i++) {
                int x = xPix(i, n, x0, x1);
                g.drawLine(x, y0, x, y0 + 4);
                String t = xLabels.get(i);
                g.drawString(t, x - fm.stringWidth(t) / 2, y0 + 6 + fm.getAscent());
            }
            g.drawString(xAxis, (x0 + x1 - fm.stringWidth(xAxis)) / 2, H - 12);
            AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2);
            g.drawString(yAxis, -(y0 + y1 + fm.stringWidth(yAxis)) / 2, 16);
            g.setTransform(saved);
            // the series, and the legend in a row under the subtitle
            int legendY = 8 + bm.getHeight() + fm.getHeight() + 10, lx = LEFT;
            for (Series s : series) {
                g.setColor(s.colour());
                g.setStroke(s.dashed() ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                        new float[] {6f, 4f}, 0f) : new BasicStroke(2f));
                int px = -1, py = -1;
                for (int i = 0; i < n; i++) {
                    double v = s.values()[i];
                    if (!Double.isFinite(v)) {
                        px = -1;
                        continue;
                    }
                    int x = xPix(i, n, x0, x1), y = yPix(v, yMin, yMax, y0, y1);
                    if (px >= 0) {
                        g.drawLine(px, py, x, y);
                    }
                    g.fillOval(x - 3, y - 3, 7, 7);
                    px = x;
                    py = y;
                }
                g.drawLine(lx, legendY + 6, lx + 24, legendY + 6);
                g.setColor(Color.BLACK);
                g.drawString(s.name(), lx + 30, legendY + 6 + fm.getAscent() / 2 - 1);
                lx += 30 + fm.stringWidth(s.name()) + 24;
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static int xPix(int i, int n, int x0, int x1) {
        return n == 1 ? (x0 + x1) / 2 : x0 + 24 + (int) Math.round((double) i * (x1 - x0 - 48) / (n - 1));
    }

    private static int yPix(double v, double yMin, double yMax, int y0, int y1) {
        return (int) Math.round(y0 - (v - yMin) / (yMax - yMin) * (y0 - y1));
    }

    /** {@code s}, cut with an ellipsis to fit {@code width} pixels. */
    private static String fit(String s, FontMetrics fm, int width) {
        String t = s;
        while (t.length() > 1 && fm.stringWidth(t) > width) {
            t = t.substring(0, t.length() - 2) + "\u2026";
        }
        return t;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        if (!(raw > 0)) {
            return 0.1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
