// Drives a rendered site in headless Chromium from a file:// URL, as a reader would, and writes what it saw.
// usage: node site-browser-check.mjs SITE_FOLDER OUT_FOLDER QUERY
//   SITE_FOLDER  a rendered site (index.html, status.html, chapter pages, assets/)
//   OUT_FOLDER   receives landing.png, chapter.png, next-chapter.png, search.png, search-target.png and result.json
//   QUERY        a search term; the test picks one that occurs in one chapter only
// Every request that is not file: or data: is aborted and listed (the site must work offline). Run by
// ChromiumScreenshotTests; puppeteer-core comes from .ci/package.json (npm ci --prefix .ci).
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(new URL("../../../.ci/package.json", import.meta.url));
const puppeteer = require("puppeteer-core");

const [site, out, query] = process.argv.slice(2);
if (!site || !out || !query) {
  console.error("usage: node site-browser-check.mjs SITE_FOLDER OUT_FOLDER QUERY");
  process.exit(2);
}
mkdirSync(out, { recursive: true });

const result = { cards: 0, navigation: [], charts: null, search: null, consoleErrors: [], external: [], missing: [] };
const page_name = (url) => basename(new URL(url).pathname) + new URL(url).hash;

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars"],
  defaultViewport: { width: 1200, height: 900 },
});
try {
  const page = await browser.newPage();
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    const url = request.url();
    if (url.startsWith("file:") || url.startsWith("data:")) return request.continue();
    result.external.push(url);
    return request.abort();
  });
  page.on("requestfailed", (request) => {
    if (request.url().startsWith("file:")) result.missing.push(request.url());
  });
  page.on("console", (message) => {
    if (message.type() === "error") result.consoleErrors.push(`${page_name(page.url())}: ${message.text()}`);
  });
  page.on("pageerror", (error) => result.consoleErrors.push(`${page_name(page.url())}: ${error.message}`));

  const shot = (name) => page.screenshot({ path: join(out, name), fullPage: false });
  const follow = async (selector) => {
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click(selector)]);
    result.navigation.push(page_name(page.url()));
  };

  // The course page, then the first chapter, the next one, and back
  await page.goto(pathToFileURL(join(resolve(site), "index.html")).href, { waitUntil: "load" });
  result.navigation.push(page_name(page.url()));
  result.cards = await page.$$eval("li.card", (cards) => cards.length);
  await shot("landing.png");
  await follow("li.card a.card-title");
  await shot("chapter.png");
  await follow("nav.pager a.next");
  // Every chart a script asks Plotly to draw (Plotly.newPlot("id", …)) should hold Plotly's svg
  const chartIds = await page.$$eval("script", (scripts) =>
    scripts.flatMap((s) => [...s.textContent.matchAll(/newPlot\(\s*["']([^"']+)["']/g)].map((m) => m[1])));
  const drawn = (ids) => ids.filter((id) => document.getElementById(id)?.querySelector("svg.main-svg")).length;
  await page.waitForFunction((ids, count) => ids.filter((id) => document.getElementById(id)?.querySelector("svg.main-svg")).length === count,
    { timeout: 15000 }, chartIds, chartIds.length).catch(() => {});
  result.charts = { ids: chartIds, drawn: await page.evaluate(`(${drawn.toString()})(${JSON.stringify(chartIds)})`) };
  await shot("next-chapter.png");
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.goBack()]);
  result.navigation.push(page_name(page.url()));

  // Search from the chapter page's header, then open the best result
  await page.type("#search-input", query);
  await page.waitForSelector("#search-results a", { timeout: 5000 }).catch(() => {});
  const links = await page.$$eval("#search-results a", (as) => as.map((a) => ({
    href: a.getAttribute("href"),
    text: a.textContent,
    snippet: a.parentElement.querySelector(".snippet")?.textContent ?? "",
  })));
  await shot("search.png");
  result.search = { query, results: links, landed: null, headingTop: null };
  if (links.length > 0) {
    await follow("#search-results a");
    result.search.landed = page_name(page.url());
    result.search.headingTop = await page.evaluate(() => {
      const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      return target ? Math.round(target.getBoundingClientRect().top) : null;
    });
    await shot("search-target.png");
  }
} finally {
  await browser.close();
}
writeFileSync(join(out, "result.json"), JSON.stringify(result, null, 2) + "\n");
console.log(JSON.stringify(result, null, 2));
