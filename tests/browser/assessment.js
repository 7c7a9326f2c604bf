// Drives the tablet assessment form (static/assessment.js) in Chromium as an inspector would,
// including a lost connection and a reload. Prints one JSON object of what it observed; the Rust
// test (tests/api/assessment_browser.rs) checks it and the server's state.
//   node assessment.js <base_url> <email> <password> <visit_id> <api_token>
// CHROMIUM may point at the browser (default /usr/bin/chromium).
const { chromium } = require("playwright-core");

const [base, email, password, visit, token] = process.argv.slice(2);
const seen = {};
const waitText = (page, selector, prefix) =>
  page.waitForFunction(
    ([s, p]) => (document.querySelector(s)?.textContent || "").startsWith(p),
    [selector, prefix],
    { timeout: 15000 }
  );

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox"],
  });
  const context = await browser.newContext({ viewport: { width: 820, height: 1180 } });
  let page = await context.newPage();
  await page.goto(base + "/login");
  await page.fill("#email", email);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login")), page.click("main form.form button[type=submit]")]);
  const url = `${base}/bezoeken/${visit}/beoordeling`;
  await page.goto(url);

  // Online: a tap saves at once and the score follows.
  await page.click("#criterium-A1 label.rating-choice:has(input[value=voldoet])");
  await waitText(page, "#criterium-A1 .criterion-status", "Opgeslagen");
  seen.overall_after_a1 = await page.textContent("#overall-score");

  // A rating that needs a finding waits for one.
  await page.click("#criterium-A2 label.rating-choice:has(input[value=voldoet_niet])");
  seen.a2_without_finding = await page.textContent("#criterium-A2 .criterion-status");

  // Offline: the finding is kept on the device and the page says so.
  await context.setOffline(true);
  await page.fill("#finding-A2", "Het rooster van de begeleiders ontbreekt.");
  await waitText(page, "#save-status", "Geen verbinding");
  seen.offline_status = await page.textContent("#save-status");
  // A3 is changed offline too, but a colleague rates it from another device meanwhile.
  await page.click("#criterium-A3 label.rating-choice:has(input[value=voldoet_deels])");
  await page.fill("#finding-A3", "Incidenten worden niet altijd besproken.");
  await page.waitForFunction(() => {
    const store = JSON.parse(localStorage.getItem(Object.keys(localStorage)[0]) || "{}");
    return Object.keys(store).length === 2;
  });
  seen.draft_keys = await page.evaluate(() => Object.keys(JSON.parse(localStorage.getItem(Object.keys(localStorage)[0]) || "{}")).sort());

  // The tablet closes the page; later, online again, the draft comes back and is sent, except
  // where the server has been given something newer.
  await page.close();
  await context.setOffline(false);
  const colleague = await fetch(`${base}/api/v1/visits/${visit}/assessment`, {
    method: "PUT",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ ratings: [{ criterion: "A3", rating: "voldoet" }] }),
  });
  seen.colleague_status = colleague.status;
  page = await context.newPage();
  await page.goto(url);
  await waitText(page, "#save-status", "Alles opgeslagen");
  seen.after_reopen_status = await page.textContent("#save-status");
  seen.after_reopen_overall = await page.textContent("#overall-score");
  seen.draft_left = await page.evaluate(() => localStorage.length);
  seen.a3_status = await page.textContent("#criterium-A3 .criterion-status");
  seen.a3_shows_server = await page.isChecked("#criterium-A3 input[value=voldoet]");

  // A reload now shows what the server holds.
  await page.reload();
  seen.reloaded_a2 = await page.isChecked("#criterium-A2 input[value=voldoet_niet]");
  seen.reloaded_finding = await page.inputValue("#finding-A2");
  await browser.close();
  console.log(JSON.stringify(seen));
})().catch((err) => {
  console.error(String(err && err.stack ? err.stack : err));
  console.log(JSON.stringify(seen));
  process.exit(1);
});
