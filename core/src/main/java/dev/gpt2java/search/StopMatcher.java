package dev.gpt2java.search;

import java.util.List;

/**
 * Finds stop strings in streamed text that may split them anywhere: releases the text that cannot be the
 * start of a stop string, holds back the rest.
 */
final class StopMatcher {

    private final List<String> stops;
    private final StringBuilder held = new StringBuilder();
    private boolean matched;

    StopMatcher(List<String> stops) {
        this.stops = stops;
    }

    /** Appends {@code piece}; returns the text released (before a stop string, once one is matched). */
    String accept(String piece) {
        if (matched) {
            return "";
        }
        held.append(piece);
        if (stops.isEmpty()) {
            return flush();
        }
        int first = -1;
        for (String s : stops) {
            int i = held.indexOf(s);
            if (i >= 0 && (first < 0 || i < first)) {
                first = i;
            }
        }
        if (first >= 0) {
            matched = true;
            String out = held.substring(0, first);
            held.setLength(0);
            return out;
        }
        int keep = 0;
        String h = held.toString();
        for (String s : stops) {
            for (int n = Math.min(s.length() - 1, held.length()); n > keep; n--) {
                if (h.regionMatches(h.length() - n, s, 0, n)) {
                    keep = n;
                    break;
                }
            }
        }
        String out = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return out;
    }

    /** Whether a stop string was found. */
    boolean matched() {
        return matched;
    }

    /** Releases the text held back. */
    String flush() {
        String out = held.toString();
        held.setLength(0);
        return out;
    }
}
