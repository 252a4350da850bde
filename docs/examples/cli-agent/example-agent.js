// An example CLI agent for Aura Orchestra (protocol aura.cli-agent/1; see docs/cli-agent-protocol.md).
// It does no thinking: it writes the task's title and description into the first file of the task's scope,
// runs the acceptance commands itself, and reports honestly whether they passed. Replace the middle part
// with a call to your model or tool; keep the reading of the assignment and the writing of the result.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

// 1. The assignment: on stdin, and the same JSON in $AURA_ASSIGNMENT_FILE (when the task has a workspace).
const stdin = fs.readFileSync(0, 'utf8');
const assignment = JSON.parse(stdin || fs.readFileSync(process.env.AURA_ASSIGNMENT_FILE, 'utf8'));
if (assignment.protocol !== 'aura.cli-agent/1') throw new Error(`unknown protocol ${assignment.protocol}`);
const { task } = assignment;

// 2. The work, in /workspace (the task's own git worktree; the orchestrator commits what changes).
const target = task.scope.find((p) => !/[*?]/.test(p));
if (target) {
  const file = path.join('/workspace', target);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `# ${task.title}\n\n${task.description}\n`);
}

// 3. Check the work the way the Auditor will (it re-runs these itself, in a fresh container).
const checks = task.acceptance.commands.map((command) => {
  const r = spawnSync('sh', ['-c', command], { cwd: '/workspace', encoding: 'utf8' });
  process.stderr.write(`$ ${command} -> exit ${r.status}\n`);
  return { command, exitCode: r.status };
});
const passed = checks.every((c) => c.exitCode === 0);

// 4. The result: a JSON object in $AURA_RESULT_FILE (or as the last line of stdout).
const result = {
  status: passed ? 'succeeded' : 'failed',
  summary: target ? `Wrote ${target} for "${task.title}"${passed ? '' : '; acceptance commands failed'}` : `Nothing to write for "${task.title}"`,
  claimsChecksPassed: checks.length ? passed : undefined,
  output: { checks },
  telemetry: { tokensIn: 0, tokensOut: 0, costUsd: 0, model: 'example-agent' },
};
const json = JSON.stringify(result);
if (process.env.AURA_RESULT_FILE) fs.writeFileSync(process.env.AURA_RESULT_FILE, json);
else process.stdout.write(`${json}\n`);
