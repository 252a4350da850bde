// The leaderboard's chart (uPlot) drawn in chromium from score histories: lines on the canvas, a legend entry per employee.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { ROOT, STATE } from './support/daemons';

const entry = `
import { render, h } from 'preact';
import 'uplot/dist/uPlot.min.css';
import { ScoreChart } from './webview-ui/views/score-chart';
import { scoreSchema } from './webview-ui/protocol/aura-data';
const day = (d) => new Date(Date.UTC(2026, 0, d)).toISOString();
const scores = [
  scoreSchema.parse({ employeeId: 'e1', name: 'ada', score: 82, history: [{ at: day(1), score: 50 }, { at: day(2), score: 64 }, { at: day(3), score: 82 }] }),
  scoreSchema.parse({ employeeId: 'e2', name: 'grace', score: 41, history: [{ at: day(1), score: 50 }, { at: day(3), score: 41 }] }),
];
render(h(ScoreChart, { scores }), document.getElementById('app'));
`;

describe('the score chart', function () {
  this.timeout(60_000);
  let browser: Browser;
  const dir = path.join(STATE, 'e2e', 'score-chart');

  before(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    await build({ stdin: { contents: entry, resolveDir: ROOT, loader: 'ts' }, bundle: true, platform: 'browser', format: 'iife', outfile: path.join(dir, 'chart.js'), logLevel: 'warning' });
    fs.writeFileSync(path.join(dir, 'index.html'), '<!DOCTYPE html><html><head><link rel="stylesheet" href="chart.css"></head><body style="background:#1e1e1e;color:#ccc;width:700px"><div id="app"></div><script src="chart.js"></script></body></html>');
    browser = await launchBrowser();
  });
  after(async () => browser?.close());

  it('draws a line per employee and names each in the legend', async () => {
    const page = await browser.newPage({ viewport: { width: 760, height: 420 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${path.join(dir, 'index.html')}`);
    await page.locator('.chart canvas').waitFor();
    const legend = await page.locator('.u-legend').innerText();
    assert.match(legend, /ada/);
    assert.match(legend, /grace/);
    // Coloured pixels on the canvas: the series lines (the background is transparent).
    const painted = await page.locator('.chart canvas').evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
      return n;
    });
    assert.ok(painted > 500, `only ${painted} painted pixels`);
    await page.screenshot({ path: path.join(dir, 'score-chart.png') });
    assert.deepEqual(errors, []);
  });
});
