package dev.gpt2java.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, redrawn in place with a carriage return and at most ten times a
 * second: {@code converting [##########..........]  50%  12/26  blk.3.ffn_up.weight}. {@link #finish}
 * ends the line.
 */
final class ProgressBar {

    private static final int WIDTH = 30;
    private static final long MIN_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final String label;
    private long lastDraw = Long.MIN_VALUE;
    private int lastLength;
    private boolean drawn;

    ProgressBar(PrintWriter err, String label) {
        this.err = err;
        this.label = label;
    }

    /** Draws {@code done / total} with {@code what} after it; skipped if drawn less than 0.1 s ago, unless done. */
    void update(long done, long total, String what) {
        long now = System.nanoTime();
        if (done < total && drawn && now - lastDraw < MIN_NANOS) {
            return;
        }
        lastDraw = now;
        double f = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(f * WIDTH);
        String line = String.format(Locale.ROOT, "%s [%s%s] %3d%%  %s", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                (int) Math.floor(f * 100), what);
        draw(line);
    }

    /** Replaces the bar's text with {@code text} (e.g. a step that has no progress of its own). */
    void message(String text) {
        draw(text);
    }

    private void draw(String line) {
        String pad = line.length() < lastLength ? " ".repeat(lastLength - line.length()) : "";
        err.print("\r" + line + pad);
        err.flush();
        lastLength = line.length();
        drawn = true;
    }

    /** Ends the bar's line (nothing if it never drew). */
    void finish() {
        if (drawn) {
            err.println();
            err.flush();
            drawn = false;
        }
    }
}
