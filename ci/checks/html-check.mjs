// Loads HTML pages in headless Chromium and fails on any console error, uncaught exception,
// unhandled promise rejection or browser-logged error (a resource that fails to load, ...).
// For pages of `gpt2 attention --html` it also drives the page: every layer and head through its
// selectors, checking that the canvas then shows that head's weights.
//
//   node ci/checks/html-check.mjs [--chromium PATH] PAGE.html ...          check pages; exit 1 if any fails
//   node ci/checks/html-check.mjs [--chromium PATH] --self-test PAGE.html   the page must pass, and broken
//                                                                    copies of it must each fail
//
// Talks to Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe: fd 3 to the
// browser, fd 4 from it, JSON messages ending in NUL), the transport puppeteer uses: events arrive
// as structured messages (Runtime.exceptionThrown, Runtime.consoleAPICalled, Log.entryAdded), so
// nothing depends on the format of Chromium's log lines, and no npm package is needed.
// Only Node's standard library (Node >= 18).

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const PAGE_TIMEOUT_MS = 60000;
const SETTLE_MS = 500; // after the load event, for timers and promise rejections

function die(msg) {
  console.error(`html-check: ${msg}`);
  process.exit(2);
}

/** A headless Chromium and its DevTools connection; each page gets a tab (target) of its own. */
class Browser {
  constructor(chromium) {
    this.profile = mkdtempSync(join(tmpdir(), "html-check-profile-"));
    this.proc = spawn(chromium, [
      "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
      `--user-data-dir=${this.profile}`, "--no-first-run", "--no-default-browser-check",
      "--disable-extensions", "--disable-background-networking", "--mute-audio",
      "about:blank",
    ], { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] });
    this.proc.on("error", (e) => die(`cannot start ${chromium}: ${e.message}`));
    this.stderr = "";
    this.proc.stdio[2].on("data", (d) => { this.stderr = (this.stderr + d).slice(-4000); });
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = [];
    this.exited = new Promise((res) => this.proc.on("exit", (code, sig) => res({ code, sig })));
    this.exited.then(({ code, sig }) => {
      for (const { reject } of this.pending.values()) {
        reject(new Error(`Chromium exited (code ${code}, signal ${sig}): ${this.stderr.trim()}`));
      }
      this.pending.clear();
    });
    let buf = Buffer.alloc(0);
    this.proc.stdio[4].on("data", (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      let end;
      while ((end = buf.indexOf(0)) >= 0) {
        const msg = JSON.parse(buf.subarray(0, end).toString("utf8"));
        buf = buf.subarray(end + 1);
        this.dispatch(msg);
      }
    });
    this.proc.stdio[3].on("error", () => {}); // a write after exit: reported through `exited`
  }

  dispatch(msg) {
    if (msg.id !== undefined) {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
      else p.resolve(msg.result);
    } else {
      for (const l of this.listeners) l(msg);
    }
  }

  send(method, params = {}, sessionId) {
    const id = this.nextId++;
    const msg = { id, method, params };
    if (sessionId) msg.sessionId = sessionId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.proc.stdio[3].write(JSON.stringify(msg) + "\0");
    });
  }

  async close() {
    try {
      await Promise.race([this.send("Browser.close"), new Promise((r) => setTimeout(r, 3000))]);
    } catch {
      // already gone
    }
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, 3000))]);
    if (this.proc.exitCode === null) this.proc.kill("SIGKILL");
    rmSync(this.profile, { recursive: true, force: true });
  }
}

function describeRemote(arg) {
  if (arg.type === "string") return arg.value;
  if (arg.value !== undefined) return JSON.stringify(arg.value);
  return arg.description || arg.type;
}

// Runs in the page. The attention page's globals: DATA (the weights), colour(v) (its colour map),
// `geometry` (where the last draw put the cells). Returns {problems, checked}.
const DRIVE_ATTENTION_PAGE = `(() => {
  const problems = [];
  const layer = document.getElementById("layer"), head = document.getElementById("head");
  const canvas = document.getElementById("map");
  if (!layer || !head || !canvas) return { problems: ["no #layer, #head or #map element"], checked: 0 };
  const nL = DATA.attention.length, nH = DATA.attention[0].length, n = DATA.pieces.length;
  if (layer.options.length !== nL) problems.push("layer selector has " + layer.options.length + " options for " + nL + " layers");
  if (head.options.length !== nH) problems.push("head selector has " + head.options.length + " options for " + nH + " heads");
  const ctx = canvas.getContext("2d");
  const rgb = (s) => s.match(/\\d+/g).map(Number);
  const pictures = new Map();
  let checked = 0;
  for (let l = 0; l < nL; l++) {
    for (let h = 0; h < nH; h++) {
      layer.value = String(l); layer.dispatchEvent(new Event("change"));
      head.value = String(h); head.dispatchEvent(new Event("change"));
      const at = "layer " + (l + 1) + ", head " + (h + 1);
      if (!(canvas.width > 0 && canvas.height > 0)) { problems.push(at + ": empty canvas"); continue; }
      const g = geometry;
      if (!g || g.n !== n) { problems.push(at + ": nothing drawn"); continue; }
      // every cell of the lower triangle shows this head's weight
      let wrong = 0, first = "";
      for (let q = 0; q < n; q++) for (let k = 0; k <= q; k++) {
        const px = ctx.getImageData(g.left + k * g.cell + (g.cell >> 1), g.top + q * g.cell + (g.cell >> 1), 1, 1).data;
        const want = rgb(colour(DATA.attention[l][h][q][k]));
        if ([0, 1, 2].some((i) => Math.abs(px[i] - want[i]) > 1)) {
          if (!wrong++) first = "cell (" + q + ", " + k + ") is rgb(" + [px[0], px[1], px[2]] + "), its weight wants rgb(" + want + ")";
        }
        checked++;
      }
      if (wrong) problems.push(at + ": " + wrong + " cells do not show its weights; " + first);
      // the cells, labels and scale (all but the title line) differ from every other head's
      const body = ctx.getImageData(0, g.top, canvas.width, canvas.height - g.top).data;
      let hash = 0;
      for (let i = 0; i < body.length; i++) hash = (Math.imul(hash, 31) + body[i]) | 0;
      const key = canvas.width + "x" + canvas.height + ":" + hash;
      if (pictures.has(key)) problems.push(at + " draws the same picture as " + pictures.get(key));
      else pictures.set(key, at);
      const colours = new Set();
      for (let i = 0; i < body.length; i += 4) colours.add((body[i] << 16) | (body[i + 1] << 8) | body[i + 2]);
      if (colours.size < 10) problems.push(at + ": only " + colours.size + " colours on the canvas");
    }
  }
  return { problems, checked };
})()`;

/** Loads one page in a fresh tab of `browser`; returns a list of problems (empty: it passed). */
async function checkPage(browser, file) {
  const problems = [];
  let timer, targetId, listener;
  try {
    const work = (async () => {
      ({ targetId } = await browser.send("Target.createTarget", { url: "about:blank" }));
      const { sessionId } = await browser.send("Target.attachToTarget", { targetId, flatten: true });
      let loaded;
      const loadedP = new Promise((r) => { loaded = r; });
      listener = (m) => {
        if (m.sessionId !== sessionId) return;
        const p = m.params;
        if (m.method === "Runtime.exceptionThrown") {
          const d = p.exceptionDetails;
          problems.push(`uncaught exception: ${(d.exception && d.exception.description) || d.text} (line ${d.lineNumber + 1})`);
        } else if (m.method === "Runtime.consoleAPICalled" && (p.type === "error" || p.type === "assert")) {
          problems.push(`console.${p.type}: ${p.args.map(describeRemote).join(" ")}`);
        } else if (m.method === "Log.entryAdded" && p.entry.level === "error") {
          problems.push(`browser error (${p.entry.source}): ${p.entry.text}${p.entry.url ? " " + p.entry.url : ""}`);
        } else if (m.method === "Page.loadEventFired") {
          loaded();
        }
      };
      browser.listeners.push(listener);
      await browser.send("Runtime.enable", {}, sessionId);
      await browser.send("Log.enable", {}, sessionId);
      await browser.send("Page.enable", {}, sessionId);
      const nav = await browser.send("Page.navigate", { url: pathToFileURL(resolve(file)).href }, sessionId);
      if (nav.errorText) {
        problems.push(`navigation failed: ${nav.errorText}`);
        return;
      }
      await loadedP;
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      const kind = await browser.send("Runtime.evaluate", {
        expression: "typeof DATA === 'object' && DATA !== null && Array.isArray(DATA.attention) && typeof colour === 'function'",
        returnByValue: true,
      }, sessionId);
      if (kind.result.value === true) {
        const r = await browser.send("Runtime.evaluate", { expression: DRIVE_ATTENTION_PAGE, returnByValue: true }, sessionId);
        if (r.exceptionDetails) {
          problems.push(`driving the selectors threw: ${(r.exceptionDetails.exception || {}).description || r.exceptionDetails.text}`);
        } else {
          for (const p of r.result.value.problems) problems.push(`selectors: ${p}`);
          console.log(`html-check: ${basename(file)}: ${r.result.value.checked} cells checked across all layers and heads`);
        }
      }
      await new Promise((r) => setTimeout(r, 100)); // errors the driving itself caused
    })();
    await Promise.race([work, new Promise((_, rej) => {
      timer = setTimeout(() => rej(new Error(`no result in ${PAGE_TIMEOUT_MS / 1000} s`)), PAGE_TIMEOUT_MS);
    })]);
  } catch (e) {
    problems.push(`check failed: ${e.message}`);
  } finally {
    clearTimeout(timer);
    browser.listeners = browser.listeners.filter((l) => l !== listener);
    if (targetId) {
      await browser.send("Target.closeTarget", { targetId }).catch(() => {});
    }
  }
  return problems;
}

function report(file, problems) {
  if (problems.length === 0) {
    console.log(`html-check: ${file}: OK (no console errors, no uncaught exceptions)`);
  } else {
    console.log(`html-check: ${file}: ${problems.length} problem(s)`);
    for (const p of problems) console.log(`  ${p}`);
  }
}

/** Broken copies of an attention page: [name, transform, what the check must report]. */
const BREAKAGES = [
  ["console-error", (s) => s.replace("</body>", '<script>console.error("deliberate console error");</script>\n</body>'),
    /console\.error: deliberate console error/],
  ["uncaught-exception", (s) => s.replace(/draw\(\);\n<\/script>/, "draw();\nnull.deliberate;\n</script>"),
    /uncaught exception: .*deliberate/],
  ["exception-in-timer", (s) => s.replace("</body>",
    '<script>setTimeout(() => { throw new Error("deliberate timer error"); }, 10);</script>\n</body>'),
    /uncaught exception: .*deliberate timer error/],
  ["unhandled-rejection", (s) => s.replace("</body>",
    '<script>Promise.reject(new Error("deliberate rejection"));</script>\n</body>'),
    /uncaught exception: .*deliberate rejection/],
  ["missing-resource", (s) => s.replace("</body>", '<img alt="" src="deliberately-missing.png">\n</body>'),
    /browser error .*deliberately-missing\.png|browser error .*ERR_FILE_NOT_FOUND/],
  ["head-selector-ignored", (s) => s.replace("a = DATA.attention[l][h]", "a = DATA.attention[l][0]"),
    /selectors: layer \d+, head \d+: \d+ cells do not show its weights/],
  ["layer-selector-ignored", (s) => s.replace("a = DATA.attention[l][h]", "a = DATA.attention[0][h]"),
    /selectors: layer \d+, head \d+: \d+ cells do not show its weights/],
];

async function selfTest(browser, page) {
  const original = readFileSync(page, "utf8");
  let failures = 0;
  const own = await checkPage(browser, page);
  report(page, own);
  if (own.length) {
    console.log("html-check: self-test: the page itself must pass");
    failures++;
  }
  const dir = mkdtempSync(join(tmpdir(), "html-check-broken-"));
  try {
    for (const [name, transform, expected] of BREAKAGES) {
      const broken = transform(original);
      if (broken === original) {
        console.log(`html-check: self-test ${name}: could not break the page (its text changed?)`);
        failures++;
        continue;
      }
      const file = join(dir, `${name}.html`);
      writeFileSync(file, broken);
      const problems = await checkPage(browser, file);
      const seen = problems.some((p) => expected.test(p));
      console.log(`html-check: self-test ${name}: ${seen ? "detected" : "NOT DETECTED"}`
        + (problems.length ? ` (${problems[0]})` : " (no problem reported)"));
      if (!seen) failures++;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`html-check: self-test ${failures ? "FAILED" : "passed"}: the page passes, `
    + `${BREAKAGES.length} broken copies ${failures ? "not all " : ""}fail`);
  return failures === 0;
}

async function main() {
  const args = process.argv.slice(2);
  let chromium = "chromium", self = false;
  const pages = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--chromium") chromium = args[++i];
    else if (args[i] === "--self-test") self = true;
    else if (args[i].startsWith("-")) die(`unknown option ${args[i]}`);
    else pages.push(args[i]);
  }
  if (!chromium) die("--chromium needs a path");
  if (pages.length === 0) die("no page given");
  if (self && pages.length !== 1) die("--self-test takes one page");
  const browser = new Browser(chromium);
  let ok;
  try {
    if (self) {
      ok = await selfTest(browser, pages[0]);
    } else {
      let bad = 0;
      for (const page of pages) {
        const problems = await checkPage(browser, page);
        report(page, problems);
        if (problems.length) bad++;
      }
      ok = bad === 0;
    }
  } finally {
    await browser.close();
  }
  process.exit(ok ? 0 : 1);
}

main().catch((e) => die(e.stack || String(e)));
