// Accessibility check in Chromium with axe-core (WCAG 2.1 A and AA rules): opens each page,
// runs axe, saves a full-page screenshot, and prints one JSON object with the serious and critical
// violations per page. The Rust test (tests/api/accessibility.rs) fails on any of them.
//   node a11y.js <base_url> <email> <password> <screenshot_dir> <public paths,comma> <signed-in paths,comma>
const path = require("path");
const { chromium } = require("playwright-core");

const [base, email, password, shots, publicPaths, privatePaths] = process.argv.slice(2);
const axeSource = require.resolve("axe-core/axe.min.js");

async function check(page, url, name, seen) {
  const response = await page.goto(base + url);
  // axe is injected as a script: the app's CSP rightly forbids that, so the context bypasses it.
  await page.addScriptTag({ path: axeSource });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
  );
  await page.screenshot({ path: path.join(shots, name + ".png"), fullPage: true });
  seen[url] = {
    status: response.status(),
    violations: result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) })),
  };
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox"],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  const seen = {};
  const name = (url) => url.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "") || "start";
  for (const url of publicPaths.split(",").filter(Boolean)) await check(page, url, name(url), seen);
  await page.goto(base + "/login");
  await page.fill("#email", email);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login")), page.click("main form.form button[type=submit]")]);
  for (const url of privatePaths.split(",").filter(Boolean)) await check(page, url, name(url), seen);
  await browser.close();
  console.log(JSON.stringify(seen));
})().catch((err) => {
  console.error(String(err && err.stack ? err.stack : err));
  process.exit(1);
});
