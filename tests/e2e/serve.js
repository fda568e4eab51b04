// zeren serve as a person uses it, in headless Chromium: open the page, choose a roster, click,
// get the zip; then a roster with a problem, and the page that lists it. Then as another site
// would use it: a form on another origin posting a roster, and a page whose name is made to
// resolve to this machine (DNS rebinding); both are refused.
//
//   node serve.js URL GOOD.xlsx BAD.xlsx OUT_DIR
//
// Run by tests/serve_e2e.rs, which starts the server and reads the zip back. Exits non-zero
// with a message on the first thing that is not as expected; never runs past DEADLINE_MS.
'use strict';

const { chromium } = require('playwright-core');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const DEADLINE_MS = 120_000;
const [url, good, bad, outDir] = process.argv.slice(2);
if (!url || !good || !bad || !outDir) {
  console.error('usage: node serve.js URL GOOD.xlsx BAD.xlsx OUT_DIR');
  process.exit(2);
}
setTimeout(() => {
  console.error(`e2e: not done after ${DEADLINE_MS / 1000} s`);
  process.exit(1);
}, DEADLINE_MS).unref();

function check(ok, what) {
  if (!ok) throw new Error(what);
}

// The names in a zip, from its central directory: enough to see what a download holds.
function zipNames(file) {
  const buf = fs.readFileSync(file);
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { end = i; break; }
  }
  check(end >= 0, `${file} is not a zip (no end of central directory)`);
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const names = [];
  for (let n = 0; n < count; n++) {
    check(buf.readUInt32LE(at) === 0x02014b50, `${file}: broken central directory`);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    names.push(buf.toString('utf8', at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'zeren-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.ZEREN_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--host-resolver-rules=MAP rebind.test 127.0.0.1'],
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(60_000);
    await page.goto(url);
    check((await page.title()).includes('党风廉政建设公文生成'), `page title: ${await page.title()}`);
    check(await page.isChecked('input[name=kind][value=responsibility-letter]'), '责任书 is not checked by default');
    if (process.env.ZEREN_E2E_SCREENSHOT) await page.screenshot({ path: process.env.ZEREN_E2E_SCREENSHOT, fullPage: true });

    // The template link downloads a workbook.
    const [template] = await Promise.all([page.waitForEvent('download'), page.click('a[href^="/roster-template.xlsx"]')]);
    const templateFile = path.join(outDir, 'template.xlsx');
    await template.saveAs(templateFile);
    check(fs.statSync(templateFile).size > 0 && zipNames(templateFile).includes('xl/workbook.xml'), 'the template is not a workbook');

    // Upload, click, get the zip; the button says it is working, and is back when done.
    await page.setInputFiles('input[name=roster]', good);
    const button = page.locator('button[type=submit]');
    // What the button shows just after the click (the page's own handler runs first).
    await page.evaluate(() => {
      const f = document.getElementById('f');
      f.addEventListener('submit', () => setTimeout(() => {
        const b = f.querySelector('button');
        window.zerenSeen = `${b.textContent}|${b.disabled}`;
      }, 0));
    });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      button.click(),
    ]);
    const seen = await page.evaluate(() => window.zerenSeen);
    check(seen === '正在生成……|true', `while building the button showed: ${seen}`);
    const zipFile = path.join(outDir, 'download.zip');
    await download.saveAs(zipFile);
    const size = fs.statSync(zipFile).size;
    check(size > 0, 'the downloaded zip is empty');
    check(download.suggestedFilename().endsWith('.zip'), `suggested name: ${download.suggestedFilename()}`);
    const names = zipNames(zipFile);
    check(names.some((n) => n.endsWith('.docx')), `no .docx in the zip: ${names.join(', ')}`);
    await page.waitForFunction(() => document.getElementById('status').textContent.includes('已生成'));
    check(!(await button.isDisabled()), 'the button stays disabled after the download');
    const status = await page.textContent('#status');
    console.log(`e2e: downloaded ${download.suggestedFilename()} (${size} bytes, ${names.length} files); page says “${status}”`);

    // A roster with a problem: the page lists it with its sheet and cell.
    await page.setInputFiles('input[name=roster]', bad);
    await Promise.all([page.waitForNavigation(), button.click()]);
    const problems = await page.textContent('ol.problems');
    check(problems.includes('负责人为空'), `problems page: ${problems}`);
    if (process.env.ZEREN_E2E_SCREENSHOT) {
      await page.screenshot({ path: process.env.ZEREN_E2E_SCREENSHOT.replace(/\.png$/, '-problems.png'), fullPage: true });
    }
    console.log(`e2e: problems page lists “${problems.trim()}”`);

    // Without the token another site is refused by it; without one, by the checks on the site.
    const service = new URL(url);
    const withToken = service.searchParams.has('token');
    const evil = await context.newPage();
    await evil.route('http://evil.test/', (route) => route.fulfill({
      contentType: 'text/html',
      body: `<form id="x" method="post" action="${service.origin}/build" enctype="multipart/form-data">`
        + '<input type="file" name="roster"></form>',
    }));
    await evil.goto('http://evil.test/');
    await evil.setInputFiles('input[name=roster]', good);
    const [posted] = await Promise.all([evil.waitForNavigation(), evil.evaluate(() => document.getElementById('x').submit())]);
    const postedText = await evil.textContent('body');
    check(posted.status() === (withToken ? 401 : 403), `a post from another site: ${posted.status()} ${postedText}`);
    console.log(`e2e: a post from another site is refused (${posted.status()}: ${postedText.trim().split('\n')[0]})`);
    const rebound = await context.newPage();
    const res = await rebound.goto(`http://rebind.test:${service.port}/`);
    const reboundText = await rebound.textContent('body');
    check(res.status() === (withToken ? 401 : 400), `a page under another name: ${res.status()} ${reboundText}`);
    check(!reboundText.includes('发文机关'), `the workspace shows under another name: ${reboundText}`);
    console.log(`e2e: the service under another name is refused (${res.status()})`);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
})().then(
  () => process.exit(0),
  (e) => {
    console.error(`e2e: ${e && e.stack ? e.stack : e}`);
    process.exit(1);
  },
);
