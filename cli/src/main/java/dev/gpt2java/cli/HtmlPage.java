package dev.gpt2java.cli;

import java.util.List;

/**
 * The self-contained attention page: the data as JSON in the one script, a layer and a head selector,
 * a canvas; no external resources (no links, fonts, scripts or styles from elsewhere).
 */
final class HtmlPage {

    private HtmlPage() {
    }

    /** A JSON string; '<', '>' and '&' as \\u escapes so that it is safe inside a script element. */
    static String json(String s) {
        return '"' + Display.backslashed(s, '"', c -> c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028'
                || c == '\u2029') + '"';
    }

    /**
     * The page.
     *
     * @param attention [layer][head][query][key]
     */
    static String attention(String model, List<String> pieces, float[][][][] attention) {
        StringBuilder d = new StringBuilder();
        d.append("{\"model\":").append(json(model)).append(",\"pieces\":[");
        for (int i = 0; i < pieces.size(); i++) {
            d.append(i > 0 ? "," : "").append(json(pieces.get(i)));
        }
        d.append("],\"attention\":[");
        for (int l = 0; l < attention.length; l++) {
            d.append(l > 0 ? "," : "").append('[');
            for (int h = 0; h < attention[l].length; h++) {
                d.append(h > 0 ? "," : "").append('[');
                float[][] a = attention[l][h];
                for (int q = 0; q < a.length; q++) {
                    d.append(q > 0 ? "," : "").append('[');
                    // causal: keys after the query are 0 and left out
                    for (int k = 0; k <= q && k < a[q].length; k++) {
                        d.append(k > 0 ? "," : "").append(number(a[q][k]));
                    }
                    d.append(']');
                }
                d.append(']');
            }
            d.append(']');
        }
        d.append("]}");
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <title>Attention: %s</title>
                <style>
                body { font-family: sans-serif; margin: 16px; }
                #controls { margin-bottom: 8px; }
                #info { margin-left: 16px; color: #444; }
                </style>
                </head>
                <body>
                <h1 style="font-size: 18px">Attention: %s</h1>
                <div id="controls">
                <label>Layer <select id="layer"></select></label>
                <label>Head <select id="head"></select></label>
                <span id="info"></span>
                </div>
                <canvas id="map"></canvas>
                <script>
                const DATA = %s;
                const VIRIDIS = [[68,1,84],[71,45,123],[59,82,139],[44,114,142],[33,145,140],[40,174,128],[94,201,98],[170,220,50],[253,231,37]];
                function colour(v) {
                  const x = Math.max(0, Math.min(1, v)) * (VIRIDIS.length - 1);
                  const i = Math.min(VIRIDIS.length - 2, Math.floor(x)), f = x - i;
                  const c = VIRIDIS[i].map((a, j) => Math.round(a * (1 - f) + VIRIDIS[i + 1][j] * f));
                  return "rgb(" + c.join(",") + ")";
                }
                function label(s) { s = s.replace(/ /g, "\\u2423"); return s.length > 16 ? s.slice(0, 15) + "\\u2026" : s; }
                const layerSel = document.getElementById("layer"), headSel = document.getElementById("head");
                DATA.attention.forEach((_, l) => layerSel.add(new Option(String(l + 1), String(l))));
                DATA.attention[0].forEach((_, h) => headSel.add(new Option(String(h + 1), String(h))));
                const canvas = document.getElementById("map"), ctx = canvas.getContext("2d");
                let geometry = null;
                function draw() {
                  const l = +layerSel.value, h = +headSel.value, a = DATA.attention[l][h], n = DATA.pieces.length;
                  const cell = Math.max(6, Math.min(28, Math.floor(640 / n)));
                  ctx.font = "11px sans-serif";
                  const lab = Math.max(...DATA.pieces.map(p => ctx.measureText(label(p)).width)) + 8;
                  const left = lab + 20, top = 30, scaleX = left + n * cell + 24;
                  canvas.width = scaleX + 90; canvas.height = top + n * cell + lab + 30;
                  ctx.font = "11px sans-serif";
                  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, canvas.width, canvas.height);
                  ctx.fillStyle = "#000"; ctx.font = "bold 13px sans-serif";
                  ctx.fillText(DATA.model + ", layer " + (l + 1) + ", head " + (h + 1), left, 16);
                  ctx.font = "11px sans-serif";
                  for (let q = 0; q < n; q++) for (let k = 0; k < n; k++) {
                    ctx.fillStyle = colour(k <= q ? a[q][k] : 0);
                    ctx.fillRect(left + k * cell, top + q * cell, cell, cell);
                  }
                  ctx.fillStyle = "#000"; ctx.textBaseline = "middle";
                  ctx.textAlign = "right";
                  DATA.pieces.forEach((p, i) => ctx.fillText(label(p), left - 4, top + i * cell + cell / 2));
                  DATA.pieces.forEach((p, i) => {
                    ctx.save(); ctx.translate(left + i * cell + cell / 2, top + n * cell + 4); ctx.rotate(-Math.PI / 2);
                    ctx.fillText(label(p), 0, 0); ctx.restore();
                  });
                  ctx.textAlign = "left";
                  ctx.fillText("key \\u2192", left, top + n * cell + lab + 14);
                  ctx.save(); ctx.translate(10, top); ctx.rotate(-Math.PI / 2); ctx.textAlign = "right"; ctx.fillText("query \\u2192", 0, 0); ctx.restore();
                  const sh = Math.max(60, Math.min(n * cell, 300));
                  for (let y = 0; y < sh; y++) { ctx.fillStyle = colour(1 - y / (sh - 1)); ctx.fillRect(scaleX, top + y, 14, 1); }
                  ctx.fillStyle = "#000";
                  for (let t = 0; t <= 4; t++) ctx.fillText((t / 4).toFixed(2), scaleX + 18, top + (sh - 1) * (1 - t / 4));
                  ctx.fillText("weight", scaleX, top + sh + 14);
                  geometry = {left, top, cell, n, a};
                }
                canvas.addEventListener("mousemove", e => {
                  if (!geometry) return;
                  const r = canvas.getBoundingClientRect(), g = geometry;
                  const k = Math.floor((e.clientX - r.left - g.left) / g.cell), q = Math.floor((e.clientY - r.top - g.top) / g.cell);
                  const info = document.getElementById("info");
                  if (q >= 0 && q < g.n && k >= 0 && k < g.n) {
                    const v = k <= q ? g.a[q][k] : 0;
                    info.textContent = JSON.stringify(DATA.pieces[q]) + " \\u2192 " + JSON.stringify(DATA.pieces[k]) + ": " + v.toFixed(4);
                  } else info.textContent = "";
                });
                layerSel.addEventListener("change", draw);
                headSel.addEventListener("change", draw);
                draw();
                </script>
                </body>
                </html>
                """.formatted(Display.markup(model), Display.markup(model), d);
    }

    private static String number(float v) {
        if (v == 0) {
            return "0";
        }
        String s = String.format(java.util.Locale.ROOT, "%.5f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
