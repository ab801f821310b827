// The catalog page in a real headless Chromium (playwright-core driving
// Debian's chromium), opened from file:// with no network. Reports console
// errors, requests outside the file, dialogs (an injected alert would open
// one), elements the page never writes, each event's example, the lifecycle
// diagrams, the introduction's lists, emphasis, headings and code, the
// navigation entries that do not fit their column, and, for each event's
// name typed into the search box, the events left shown; writes a
// screenshot. Several pages in one browser, each in a context of its own
// (launching Chromium is most of a small page's time): one JSON line each,
// in order.
// Usage: node tests/clients/page.mjs PAGE.html EXPECTATIONS.json SCREENSHOT.png [PAGE.html …]
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const browser = await chromium.launch({
  executablePath: process.env.EVCAT_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox"],
});

async function check(pagePath, expectationsPath, screenshotPath) {
  const expected = JSON.parse(readFileSync(expectationsPath, "utf8"));
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const consoleErrors = [];
  const outside = [];
  const dialogs = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(String(error)));
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith("file:") && !url.startsWith("data:")) outside.push(url);
  });
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await page.route("**/*", (route) =>
    route.request().url().startsWith("file:") ? route.continue() : route.abort(),
  );
  await page.goto(pathToFileURL(pagePath).href, { waitUntil: "load" });

  // Every element the page writes, by tag; anything else came from a catalog.
  const allowed = new Set(("html head meta title style body header h1 h2 h3 h4 p div nav input ul li a main " +
    "section article table thead tbody tr th td code span dl dt dd details summary pre figure " +
    "figcaption script svg defs marker path g rect text strong em ol blockquote h5 h6 hr br wbr").split(" "));
  const tags = await page.$$eval("*", (elements) => elements.map((element) => element.tagName.toLowerCase()));
  const unexpectedElements = [...new Set(tags.filter((tag) => !allowed.has(tag)))];
  const scripts = await page.$$eval("script", (elements) => elements.length);

  const events = await page.$$eval("[data-event]", (elements) =>
    elements.map((element) => ({
      event: element.dataset.event,
      id: element.id,
      example: element.querySelector("pre")?.textContent ?? null,
      schemaLink: element.querySelector('a[href$=".schema.json"]')?.getAttribute("href") ?? null,
    })),
  );
  const lifecycles = await page.$$eval("[data-lifecycle]", (elements) =>
    elements.map((element) => ({ family: element.dataset.lifecycle, svg: element.querySelector("svg") !== null })),
  );

  // The introduction as the page shows it: its list items, emphasis,
  // headings and code, by their text.
  const intro = await page.$eval("header .prose", (element) => {
    const texts = (selector) => [...element.querySelectorAll(selector)].map((node) => node.textContent.trim());
    return { items: texts("li"), strong: texts("strong"), emphasis: texts("em"), headings: texts("h3, h4, h5, h6"), code: texts("code") };
  });
  // Navigation entries that leave the column instead of wrapping in it.
  const clipped = await page.$$eval("nav a", (links) => {
    const nav = document.querySelector("nav");
    const style = getComputedStyle(nav);
    const right = nav.getBoundingClientRect().right - parseFloat(style.paddingRight) + 0.5;
    const overflowing = nav.scrollWidth > nav.clientWidth ? ["(the navigation scrolls sideways)"] : [];
    return overflowing.concat(links.filter((link) => link.getBoundingClientRect().right > right).map((link) => link.textContent));
  });

  const searches = [];
  for (const { event, query } of expected.searches) {
    await page.fill("input[type=search]", query);
    const shown = await page.$$eval("article[data-event]", (elements) =>
      elements.filter((element) => !element.hidden && element.offsetParent !== null).map((element) => element.dataset.event),
    );
    searches.push({ event, query, shown });
  }
  await page.fill("input[type=search]", "");
  await page.screenshot({ path: screenshotPath, fullPage: false });
  await context.close();
  return { consoleErrors, outside, dialogs, unexpectedElements, scripts, events, lifecycles, searches, intro, clipped };
}

const args = process.argv.slice(2);
for (let index = 0; index < args.length; index += 3) {
  console.log(JSON.stringify(await check(args[index], args[index + 1], args[index + 2])));
}
await browser.close();
