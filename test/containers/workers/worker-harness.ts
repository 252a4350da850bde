// What the worker suites share: the real Docker runtime and worker image, a migrated store, runlogs, git workspaces, assignments.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDockerRuntime, type DockerRuntime } from '../../../adapters/containers/docker-runtime';
import { buildWorkerImage, defaultWorkerImage, inspectImage } from '../../../adapters/containers/worker-image-build';
import { createGitWorkspace } from '../../../adapters/git-workspace/git-workspace';
import type { EventLog } from '../../../core/events/event-log';
import { migrate } from '../../../core/store/migrations';
import type { Store } from '../../../core/store/store';
import { type Employee, employeeProfileSchema } from '../../../core/workforce/employee';
import type { Assignment, WorkContext } from '../../../core/workforce/worker';
import { createRunlogs, type Runlogs } from '../../../core/workforce/workers/runlog';
import { type PlanTask, planTaskSchema } from '../../../core/manager/plan-schema';
import type { Workspace } from '../../../core/workspace/workspace';
import { testEventLog } from '../../support/events';
import { createPgliteDatabase, migrations, type TestDatabase } from '../../support/stores';

export interface WorkerSuite {
  runtime: DockerRuntime;
  image: string;
  db: TestDatabase;
  store: Store;
  events: EventLog;
  runlogs: Runlogs;
  workspace: Workspace;
  home: string;
}

/** Sets up (before) and tears down (after) everything a worker suite needs; the engine must answer. */
export function useWorkerSuite(): WorkerSuite {
  const suite = {} as WorkerSuite;
  before(async function () {
    this.timeout(180_000);
    suite.runtime = createDockerRuntime({ dockerHost: process.env.DOCKER_HOST });
    const ping = await suite.runtime.ping();
    if (!ping.ok) throw new Error(`The container suites need a Docker engine (DOCKER_HOST=${process.env.DOCKER_HOST ?? 'default'}): ${ping.detail}`);
    // The container suite builds the image first; building is only needed when these suites run alone.
    suite.image = defaultWorkerImage;
    if (!(await inspectImage(suite.runtime.engine, suite.image))) await buildWorkerImage(suite.runtime.engine, { image: suite.image });
    suite.db = await createPgliteDatabase();
    suite.store = await suite.db.open();
    await migrate(suite.store, migrations());
    suite.events = testEventLog(suite.store);
    suite.home = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-workers-'));
    suite.runlogs = createRunlogs({ store: suite.store, snapshotsDir: path.join(suite.home, 'snapshots') });
    suite.workspace = createGitWorkspace({ workspacesDir: path.join(suite.home, 'workspaces') });
  });
  after(async function () {
    this.timeout(60_000);
    for (const runId of runIds) await suite.runtime?.removeByLabels({ 'aura.run': runId }).catch(() => undefined);
    await suite.store?.close();
    await suite.db?.drop();
    if (suite.home) fs.rmSync(suite.home, { recursive: true, force: true });
  });
  return suite;
}

let employeeCounter = 0;

export function employee(profile: Record<string, unknown>): Employee {
  employeeCounter += 1;
  return { id: `emp_test${employeeCounter}`, profile: employeeProfileSchema.parse({ name: `employee-${employeeCounter}`, model: 'stand-in-model', ...profile }), status: 'active', tier: 'junior', hiredAt: new Date(), workspaceId: 'default' };
}

let taskCounter = 0;
/** Runs whose containers the suite removes at the end, should a test leave one behind. */
const runIds = new Set<string>();

export function assignment(emp: Employee, task: Partial<PlanTask> & { runId?: string; attempt?: number; timeoutMs?: number }): Assignment {
  taskCounter += 1;
  const runId = task.runId ?? `run_w${process.pid}x${taskCounter}`;
  const taskId = `task_w${process.pid}x${taskCounter}`;
  runIds.add(runId);
  const attempt = task.attempt ?? 1;
  const plan = planTaskSchema.parse({ id: `t${taskCounter}`, title: `task ${taskCounter}`, kind: 'code', ...task, runId: undefined, attempt: undefined });
  return {
    runId,
    taskId,
    attempt,
    idempotencyKey: `${runId}_${taskId}_${attempt}`,
    task: plan,
    employee: emp,
    context: { runTitle: 'worker suite', dependencies: [] },
    deadline: Date.now() + (task.timeoutMs ?? 60_000),
  };
}

export function workContext(overrides: Partial<WorkContext> = {}): WorkContext & { notes: string[] } {
  const notes: string[] = [];
  return { signal: new AbortController().signal, progress: (note) => void notes.push(note), notes, ...overrides };
}

/** Every text the product kept about a run: its events, runlog rows and runlog files. */
export async function everythingRecorded(suite: WorkerSuite, runId: string, taskIds: string[]): Promise<string> {
  const events = await suite.events.query({ runId, limit: 1000 });
  const rows = await suite.store.query('SELECT * FROM aura.task_runlog WHERE run_id = $1', [runId]);
  const files = taskIds.map((t) => {
    const file = suite.runlogs.fileOf(t);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  });
  return JSON.stringify(events) + JSON.stringify(rows.rows) + files.join('\n');
}
