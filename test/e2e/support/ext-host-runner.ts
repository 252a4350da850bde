// Runs the extension-host suite: bundles it, opens code-server with extensionTestsPath, and prints mocha-style results.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { type AuraServe, startAuraServe } from './aura-serve';
import { launchBrowser } from './browser';
import { prepareProfile, startCodeServer } from './code-server';
import { ROOT, STATE } from './daemons';

interface HostTestResult {
  title: string;
  state: 'passed' | 'failed';
  durationMs: number;
  error?: string;
}

async function main(): Promise<number> {
  const outDir = path.join(STATE, 'e2e', 'ext-host-bundle');
  fs.rmSync(outDir, { recursive: true, force: true });
  // Inside the repository's folder tree so `require('mocha')` finds node_modules.
  await build({ entryPoints: [path.join(ROOT, 'test/e2e/ext-host/index.ts')], outfile: path.join(outDir, 'index.js'), bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode', 'mocha'], logLevel: 'warning' });
  let aura: AuraServe | undefined;
  const stops: Array<() => Promise<void>> = [];
  try {
    aura = await startAuraServe('aura-serve-ext-host');
    fs.writeFileSync(path.join(outDir, 'config.json'), JSON.stringify({ mcpUrl: aura.mcpUrl, token: aura.token }));
    const profile = prepareProfile('ext-host', { 'aura.serverUrl': aura.mcpUrl, 'aura.autoConnect': false, 'aura.offerLocalOrchestrator': false });
    const code = await startCodeServer('code-server-ext-host', profile);
    stops.push(() => code.stop());
    const browser = await launchBrowser();
    stops.push(() => browser.close());
    const page = await browser.newPage();
    let exit: (code: unknown) => void = () => undefined;
    const exited = new Promise<unknown>((r) => (exit = r));
    await page.exposeFunction('codeAutomationLog', () => undefined);
    await page.exposeFunction('codeAutomationExit', (c: unknown) => exit(c));
    const authority = `127.0.0.1:${code.port}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', `vscode-remote://${authority}${ROOT}`],
      ['extensionTestsPath', `vscode-remote://${authority}${path.join(outDir, 'index.js')}`],
    ]);
    await page.goto(`${code.url}/?folder=${encodeURIComponent(code.workspace)}&payload=${encodeURIComponent(payload)}`);
    const timer = setTimeout(() => exit('timeout'), 240_000);
    const code_ = await exited;
    clearTimeout(timer);
    if (code_ !== 0) await page.screenshot({ path: path.join(STATE, 'logs', 'ext-host-end.png') }).catch(() => undefined); // for the reader of a failure
    const resultsFile = path.join(outDir, 'results.json');
    const results: HostTestResult[] = fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) : [];
    console.log('\n  extension host suite');
    results.forEach((r, i) => console.log(r.state === 'passed' ? `    ✔ ${r.title} (${r.durationMs}ms)` : `    ${i + 1}) ${r.title}`));
    const passed = results.filter((r) => r.state === 'passed').length;
    let failed = results.filter((r) => r.state === 'failed').length;
    if (code_ !== 0 && failed === 0) {
      failed = 1;
      console.log(`    the suite ended with ${String(code_)} before reporting a failure`);
    }
    console.log(`\n  ${passed} passing`);
    if (failed) console.log(`  ${failed} failing`);
    for (const r of results.filter((x) => x.state === 'failed')) console.log(`\n  ${r.title}:\n${r.error}`);
    return failed ? 1 : 0;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined); // stopping the rest matters more
    await aura?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.stack ?? error.message);
    console.log('\n  0 passing\n  1 failing');
    process.exit(1);
  },
);
