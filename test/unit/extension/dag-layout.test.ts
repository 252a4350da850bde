// The plan graph's layout (elkjs): every task placed, dependencies left of their dependents, edges routed.
import assert from 'node:assert/strict';
import { taskSchema } from '../../../webview-ui/protocol/aura-data';
import { layoutDag } from '../../../webview-ui/views/dag-layout';

const task = (key: string, dependsOn: string[] = []) => taskSchema.parse({ id: `id-${key}`, key, title: key, status: 'ready', dependsOn });

describe('plan graph layout', () => {
  it('places every task and draws an edge per dependency', async () => {
    const tasks = [task('a'), task('b', ['a']), task('c', ['a']), task('d', ['b', 'c'])];
    const l = await layoutDag(tasks);
    assert.equal(l.nodes.length, 4);
    assert.equal(l.edges.length, 4);
    for (const e of l.edges) assert.ok(e.points.length >= 2, `edge ${e.id} has a route`);
    assert.ok(l.width > 0 && l.height > 0);
  });

  it('lays dependencies out to the left of the tasks that need them', async () => {
    const l = await layoutDag([task('build', ['design']), task('design'), task('ship', ['build'])]);
    const x = (k: string) => l.nodes.find((n) => n.id === k)!.x;
    assert.ok(x('design') < x('build'));
    assert.ok(x('build') < x('ship'));
  });

  it('ignores a dependency on a task that is not in the plan', async () => {
    const l = await layoutDag([task('a', ['ghost'])]);
    assert.equal(l.nodes.length, 1);
    assert.equal(l.edges.length, 0);
  });
});
