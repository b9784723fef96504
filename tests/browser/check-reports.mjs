#!/usr/bin/env node
// Checks albsim's HTML reports as a reader's browser shows them, offline.
//
//   node tests/browser/check-reports.mjs [--screenshots DIR] REPORT.html...
//       For each report: opens it in Debian's Chromium (headless, fresh profile) with every
//       request other than the report file itself aborted and recorded, records console errors
//       and page errors, takes a full-page screenshot and one per plot (<figure>, and any <svg>
//       outside one), checks each plot is visible and not blank (decoded pixels), checks that
//       the print layout works (A4 and Letter PDFs, at least one page per section), that
//       in-page links land on an element and links to files find them, and runs html-validate
//       with the strict configuration beside this script. Prints one JSON document on stdout;
//       each report's `problems` lists what failed, in words. Exits 0 when every report is
//       clean, 1 when any has a problem, 2 when the check itself could not run.
//
//   node tests/browser/check-reports.mjs --readme-shot REPORT.html OUT.png [--width 1000]
//       Writes the README's picture: the report's header and its first plot (the timeline),
//       WIDTH CSS pixels wide, as a compact RGB PNG.
//
// The browser is Debian's Chromium at /usr/bin/chromium (ALBSIM_CHROMIUM overrides); nothing
// is downloaded.

import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import { HtmlValidate, StaticConfigLoader } from 'html-validate';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.ALBSIM_CHROMIUM || '/usr/bin/chromium';

/** The flags this machine needs: no sandbox as root, no GPU, and no background traffic. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Viewport of the full-page screenshot: a laptop screen. */
const VIEWPORT = { width: 1280, height: 900 };

/** A plot is blank when fewer than this share of its pixels differ from white… */
const MIN_INK_FRACTION = 0.01;
/** …or when it has fewer than this many coloured (non-grey) pixels: data series are coloured. */
const MIN_COLOURED_PIXELS = 200;
/** A plot narrower or lower than this (CSS pixels) is not visible to a reader. */
const MIN_PLOT_SIDE = 100;
/** Time one page may take to load, in milliseconds. */
const LOAD_TIMEOUT_MS = 60_000;

function usage(message) {
  process.stderr.write(
    `${message}\nusage: check-reports.mjs [--screenshots DIR] REPORT.html...\n` +
      `       check-reports.mjs --readme-shot REPORT.html OUT.png [--width PX]\n`,
  );
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { files: [], screenshots: null, readme: null, width: 1000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--screenshots') {
      opts.screenshots = argv[++i] ?? usage('--screenshots needs a folder');
    } else if (a === '--readme-shot') {
      const report = argv[++i];
      const out = argv[++i];
      if (!report || !out) usage('--readme-shot needs REPORT.html and OUT.png');
      opts.readme = { report, out };
    } else if (a === '--width') {
      opts.width = Number(argv[++i]);
      if (!Number.isInteger(opts.width) || opts.width < 320) usage('--width needs pixels, at least 320');
    } else if (a.startsWith('--')) {
      usage(`unknown option ${a}`);
    } else {
      opts.files.push(a);
    }
  }
  if (!opts.readme && opts.files.length === 0) usage('no report given');
  return opts;
}

/** Pixels of a PNG: how many differ from white, and how many are coloured rather than grey. */
export function inkOf(pngBuffer) {
  const png = PNG.sync.read(pngBuffer);
  const { width, height, data } = png;
  let ink = 0;
  let coloured = 0;
  for (let i = 0; i < data.length; i += 4) {
    const r = data[i];
    const g = data[i + 1];
    const b = data[i + 2];
    if (r < 240 || g < 240 || b < 240) ink++;
    if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
  }
  const pixels = width * height;
  return { width, height, ink, coloured, inkFraction: pixels ? ink / pixels : 0 };
}

/** Pages of a PDF written by Chromium: the page tree's /Count. */
export function pdfPages(pdf) {
  const text = pdf.toString('latin1');
  let best = 0;
  for (const m of text.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)/g)) best = Math.max(best, Number(m[1]));
  for (const m of text.matchAll(/\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g)) best = Math.max(best, Number(m[1]));
  if (best === 0) best = [...text.matchAll(/\/Type\s*\/Page(?![a-zA-Z])/g)].length;
  return best;
}

async function htmlValidator() {
  const { default: config } = await import(pathToFileURL(path.join(HERE, 'htmlvalidate.config.mjs')).href);
  return new HtmlValidate(new StaticConfigLoader(config));
}

async function validateHtml(validator, file) {
  const report = await validator.validateFile(file);
  const messages = [];
  for (const r of report.results) {
    for (const m of r.messages) {
      messages.push({ rule: m.ruleId, line: m.line, column: m.column, message: m.message, selector: m.selector });
    }
  }
  return { valid: report.valid, errors: report.errorCount, warnings: report.warningCount, messages };
}

/** A name for a report's screenshots: its folder's name, made unique. */
function shotName(file, taken) {
  let base = path.basename(path.dirname(path.resolve(file))).replace(/[^A-Za-z0-9._-]/g, '_') || 'report';
  const stem = path.basename(file, '.html');
  if (stem !== 'report') base = `${base}-${stem}`;
  let name = base;
  for (let k = 2; taken.has(name); k++) name = `${base}-${k}`;
  taken.add(name);
  return name;
}

/** Opens `file` with every other request aborted; returns the page and what it asked for. */
async function openOffline(browser, file, viewport) {
  const url = pathToFileURL(path.resolve(file)).href;
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, javaScriptEnabled: true });
  const page = await context.newPage();
  const seen = { external: new Set(), console: [], pageErrors: [], failed: [] };
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u === url) return route.continue();
    seen.external.add(u);
    return route.abort('blockedbyclient');
  });
  page.on('request', (r) => {
    const u = r.url();
    if (u !== url && !u.startsWith('data:')) seen.external.add(u);
  });
  page.on('requestfailed', (r) => {
    if (r.url() === url) seen.failed.push(`${r.url()}: ${r.failure()?.errorText}`);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') seen.console.push(msg.text());
  });
  page.on('pageerror', (err) => seen.pageErrors.push(String(err?.message ?? err)));
  const response = await page.goto(url, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
  if (!response || !response.ok()) seen.failed.push(`${url}: ${response ? response.status() : 'no response'}`);
  return { page, context, seen };
}

/** What the page holds, read from its DOM. */
async function readDom(page) {
  return page.evaluate(() => {
    const plots = [];
    const candidates = [...document.querySelectorAll('figure'), ...document.querySelectorAll('svg')].filter(
      (el) => el.tagName.toLowerCase() === 'figure' || !el.closest('figure'),
    );
    candidates.forEach((el, index) => {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      const svg = el.tagName.toLowerCase() === 'svg' ? el : el.querySelector('svg');
      const sr = svg ? svg.getBoundingClientRect() : null;
      el.setAttribute('data-albsim-check', String(index));
      plots.push({
        index,
        tag: el.tagName.toLowerCase(),
        id: el.id || null,
        caption: el.querySelector('figcaption')?.textContent?.trim() ?? svg?.getAttribute('aria-label') ?? null,
        width: r.width,
        height: r.height,
        svgWidth: sr ? sr.width : 0,
        svgHeight: sr ? sr.height : 0,
        hidden: style.display === 'none' || style.visibility === 'hidden' || Number(style.opacity) === 0,
        svgElements: svg ? svg.querySelectorAll('*').length : 0,
      });
    });
    const ids = new Set([...document.querySelectorAll('[id]')].map((e) => e.id));
    const links = [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'));
    return {
      title: document.title,
      sections: document.querySelectorAll('main > section').length,
      scripts: document.querySelectorAll('script').length,
      plots,
      links,
      ids: [...ids],
      bodyText: document.body.innerText.length,
      scrollHeight: document.documentElement.scrollHeight,
      scrollWidth: document.documentElement.scrollWidth,
    };
  });
}

/** Links: `#id` must name an element of the page; a relative file must exist beside it. */
function checkLinks(file, dom) {
  const broken = [];
  const ids = new Set(dom.ids);
  for (const href of dom.links) {
    if (href.startsWith('#')) {
      if (!ids.has(decodeURIComponent(href.slice(1)))) broken.push(href);
    } else if (!/^[a-z][a-z0-9+.-]*:/i.test(href)) {
      const target = decodeURIComponent(href.split('#')[0]);
      if (target && !fs.existsSync(path.resolve(path.dirname(file), target))) broken.push(href);
    }
  }
  return broken;
}

async function checkReport(browser, validator, file, shotsDir, taken) {
  const result = { file, problems: [] };
  const problems = result.problems;
  if (!fs.existsSync(file)) {
    problems.push(`${file} does not exist`);
    return result;
  }
  const name = shotName(file, taken);
  const dir = shotsDir ? path.join(shotsDir, name) : null;
  if (dir) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
  }
  const { page, context, seen } = await openOffline(browser, file, VIEWPORT);
  try {
    const dom = await readDom(page);
    result.title = dom.title;
    result.sections = dom.sections;
    result.scripts = dom.scripts;
    result.pageHeight = dom.scrollHeight;
    if (dom.scripts > 0) problems.push(`${dom.scripts} <script> element(s): a report has no scripts`);
    if (dom.bodyText < 200) problems.push(`the page shows only ${dom.bodyText} characters of text`);
    if (dom.scrollWidth > VIEWPORT.width + 1) {
      problems.push(`the page is ${dom.scrollWidth} px wide in a ${VIEWPORT.width} px window (scrolls sideways)`);
    }
    if (dom.sections === 0) problems.push('no <section> in <main>');
    if (dom.plots.length === 0) problems.push('no plot (<figure> or <svg>) on the page');

    const full = await page.screenshot({ fullPage: true, type: 'png' });
    if (dir) {
      result.screenshot = path.join(dir, 'page.png');
      fs.writeFileSync(result.screenshot, full);
    }

    result.plots = [];
    for (const p of dom.plots) {
      const label = p.id ?? `${p.tag}-${p.index}`;
      const plot = { ...p };
      result.plots.push(plot);
      if (p.hidden) problems.push(`plot ${label} is hidden`);
      const side = p.tag === 'figure' ? Math.min(p.svgWidth, p.svgHeight) : Math.min(p.width, p.height);
      if (side < MIN_PLOT_SIDE) {
        problems.push(`plot ${label} is ${Math.round(p.svgWidth || p.width)}×${Math.round(p.svgHeight || p.height)} px: not visible`);
      }
      if (p.svgElements < 5) problems.push(`plot ${label} has ${p.svgElements} SVG elements: empty`);
      if (p.width < 1 || p.height < 1) continue;
      const handle = await page.$(`[data-albsim-check="${p.index}"]`);
      const target = p.tag === 'figure' ? ((await handle.$('svg')) ?? handle) : handle;
      const png = await target.screenshot({ type: 'png' });
      const ink = inkOf(png);
      Object.assign(plot, { pixels: ink.width * ink.height, ink: ink.ink, inkFraction: ink.inkFraction, coloured: ink.coloured });
      if (dir) {
        plot.screenshot = path.join(dir, `plot-${String(p.index + 1).padStart(2, '0')}-${label.replace(/[^A-Za-z0-9._-]/g, '_')}.png`);
        fs.writeFileSync(plot.screenshot, png);
      }
      if (ink.inkFraction < MIN_INK_FRACTION) {
        problems.push(`plot ${label} is blank: ${(ink.inkFraction * 100).toFixed(2)} % of its pixels are not white`);
      }
      if (ink.coloured < MIN_COLOURED_PIXELS) {
        problems.push(`plot ${label} shows no data: only ${ink.coloured} coloured pixels`);
      }
    }

    const broken = checkLinks(file, dom);
    result.brokenLinks = broken;
    for (const href of broken) problems.push(`link ${href} leads nowhere`);

    result.print = {};
    for (const format of ['A4', 'Letter']) {
      try {
        const pdf = await page.pdf({ format, printBackground: true });
        const pages = pdfPages(pdf);
        result.print[format] = { bytes: pdf.length, pages };
        if (dir && format === 'A4') fs.writeFileSync(path.join(dir, 'print-a4.pdf'), pdf);
        const wanted = Math.max(2, dom.sections);
        if (pages < wanted) problems.push(`${format} print has ${pages} page(s) for ${dom.sections} section(s)`);
      } catch (err) {
        result.print[format] = { error: String(err?.message ?? err) };
        problems.push(`${format} print failed: ${err?.message ?? err}`);
      }
    }
  } finally {
    await context.close();
  }

  result.externalRequests = [...seen.external];
  result.consoleErrors = seen.console;
  result.pageErrors = seen.pageErrors;
  for (const u of result.externalRequests) problems.push(`external request: ${u}`);
  for (const m of seen.console) problems.push(`console error: ${m}`);
  for (const m of seen.pageErrors) problems.push(`page error: ${m}`);
  for (const m of seen.failed) problems.push(`the report itself did not load: ${m}`);

  result.htmlValidate = await validateHtml(validator, file);
  for (const m of result.htmlValidate.messages) {
    problems.push(`html-validate ${m.rule} at ${m.line}:${m.column}: ${m.message}`);
  }
  return result;
}

/** Re-encodes a screenshot as RGB with the strongest compression. */
function compactPng(buffer) {
  const png = PNG.sync.read(buffer);
  return PNG.sync.write(png, { colorType: 2, inputHasAlpha: true, deflateLevel: 9, filterType: -1 });
}

/** PNG images stacked top to bottom (all of the same width). */
function stack(buffers) {
  const parts = buffers.map((b) => PNG.sync.read(b));
  const width = parts[0].width;
  const out = new PNG({ width, height: parts.reduce((h, p) => h + p.height, 0) });
  let y = 0;
  for (const p of parts) {
    PNG.bitblt(p, out, 0, 0, Math.min(width, p.width), p.height, 0, y);
    y += p.height;
  }
  return PNG.sync.write(out);
}

/**
 * The README's picture: the report's header (title, lead, contents) and its first plot (the
 * timeline) with the heading above it. Where the page has other content between the two, the
 * picture shows the header and then the plot's section from its heading, one below the other.
 */
async function readmeShot(browser, { report, out }, width) {
  const { page, context, seen } = await openOffline(browser, report, { width, height: 800 });
  try {
    const box = await page.evaluate(() => {
      const fig = document.querySelector('figure');
      if (!fig) return null;
      const y = (el) => el.getBoundingClientRect().top + window.scrollY;
      const bottom = (el) => Math.ceil(el.getBoundingClientRect().bottom + window.scrollY);
      const header = document.querySelector('body > header');
      const section = fig.closest('section');
      const heading = section ? section.querySelector('h2') : null;
      return {
        headerBottom: header ? bottom(header) : 0,
        from: Math.floor(heading ? y(heading) - 8 : y(fig) - 8),
        to: bottom(fig) + 12,
      };
    });
    if (box === null) throw new Error(`${report} has no <figure> to show`);
    const clip = (y0, y1) => page.screenshot({ type: 'png', fullPage: true, clip: { x: 0, y: y0, width, height: y1 - y0 } });
    const parts =
      box.from <= box.headerBottom + 40
        ? [await clip(0, box.to)]
        : [await clip(0, box.headerBottom + 8), await clip(box.from, box.to)];
    const png = compactPng(parts.length === 1 ? parts[0] : stack(parts));
    const height = PNG.sync.read(png).height;
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    fs.writeFileSync(out, png);
    const problems = [...[...seen.external].map((u) => `external request: ${u}`), ...seen.console, ...seen.pageErrors];
    process.stdout.write(JSON.stringify({ out, width, height, bytes: png.length, problems }, null, 2) + '\n');
    return problems.length === 0;
  } finally {
    await context.close();
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(CHROMIUM)) {
    process.stderr.write(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\`\n`);
    process.exit(2);
  }
  // launch() starts Chromium with a fresh, temporary user-data dir of its own and removes it on close.
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    if (opts.readme) {
      process.exitCode = (await readmeShot(browser, opts.readme, opts.width)) ? 0 : 1;
      return;
    }
    const validator = await htmlValidator();
    const taken = new Set();
    const reports = [];
    for (const file of opts.files) reports.push(await checkReport(browser, validator, file, opts.screenshots, taken));
    const failed = reports.filter((r) => r.problems.length > 0).length;
    process.stdout.write(
      JSON.stringify({ chromium: browser.version(), checked: reports.length, failed, reports }, null, 2) + '\n',
    );
    process.exitCode = failed === 0 ? 0 : 1;
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  process.stderr.write(`check-reports: ${err?.stack ?? err}\n`);
  process.exit(2);
});
