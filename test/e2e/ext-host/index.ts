// The extension-host suite's entry (extensionTestsPath): runs the mocha tests inside VS Code and writes their results beside itself.
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

export interface HostTestResult {
  title: string;
  state: 'passed' | 'failed';
  durationMs: number;
  error?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: class {} as unknown as typeof Mocha.reporters.Base });
  mocha.suite.emit('pre-require', globalThis, 'ext-host', mocha);
  // Required only now: the test files need mocha's globals (describe, it) while they load.
  require('./commands.test');
  require('./memory.test');
  const results: HostTestResult[] = [];
  const out = path.join(__dirname, 'results.json');
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      fs.writeFileSync(out, JSON.stringify(results, null, 2));
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    // Written after each test too, so a suite that hangs still shows how far it got.
    const save = () => fs.writeFileSync(out, JSON.stringify(results, null, 2));
    runner.on('pass', (t) => (results.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 }), save()));
    runner.on('fail', (t, err: Error) => (results.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration ?? 0, error: `${err.message}\n${err.stack ?? ''}`.slice(0, 4000) }), save()));
  });
}
