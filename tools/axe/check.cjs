// Run axe-core over HTML files at two widths: node check.cjs CHROMIUM FILE.html ...
// Reports each violation with the rule, its impact and the elements; exits 1 if any.
const path = require("path");
const puppeteer = require("puppeteer-core");
const axeSource = require("axe-core").source;

const WIDTHS = [390, 1280];
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

(async () => {
  const [chromium, ...files] = process.argv.slice(2);
  const browser = await puppeteer.launch({
    executablePath: chromium, headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--allow-file-access-from-files"],
  });
  let failed = false;
  try {
    for (const file of files) {
      for (const width of WIDTHS) {
        const page = await browser.newPage();
        await page.setViewport({ width, height: 900 });
        await page.goto("file://" + path.resolve(file), { waitUntil: "load" });
        await page.evaluate(axeSource);
        const result = await page.evaluate(
          (tags) => axe.run(document, { runOnly: { type: "tag", values: tags } }), TAGS);
        const count = result.violations.length;
        failed ||= count > 0;
        console.log(`${count ? "FAIL" : "PASS"} ${file} at ${width}px: ${count} violations`);
        for (const v of result.violations) {
          console.log(`  ${v.id} (${v.impact}): ${v.help}`);
          for (const node of v.nodes.slice(0, 5)) console.log(`    ${node.target.join(" ")}`);
        }
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
  process.exit(failed ? 1 : 0);
})();
