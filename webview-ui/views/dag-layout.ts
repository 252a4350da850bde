// Lays a run's task DAG out with elkjs (layered, left to right) into boxes and edge paths the graph view draws.
import type { ElkNode } from 'elkjs/lib/elk-api';
import ELK from 'elkjs/lib/elk.bundled.js';
import type { Task } from '../protocol/aura-data';

export interface LaidNode {
  id: string;
  task: Task;
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface LaidEdge {
  id: string;
  from: string;
  to: string;
  points: Array<{ x: number; y: number }>;
}
export interface DagLayout {
  nodes: LaidNode[];
  edges: LaidEdge[];
  width: number;
  height: number;
}

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 46;

let elk: InstanceType<typeof ELK> | undefined;

/** The key a task is referred to by in other tasks' dependsOn. */
export const taskKey = (t: Task) => t.key ?? t.id;

/** Left to right where there is room; top to bottom on a narrow screen. */
export async function layoutDag(tasks: readonly Task[], direction: 'RIGHT' | 'DOWN' = 'RIGHT'): Promise<DagLayout> {
  elk ??= new ELK();
  const keys = new Set(tasks.map(taskKey));
  const edges = tasks.flatMap((t) => t.dependsOn.filter((d) => keys.has(d)).map((d) => ({ id: `${d}->${taskKey(t)}`, sources: [d], targets: [taskKey(t)] })));
  const input: ElkNode = {
    id: 'run',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': direction,
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.spacing.nodeNode': '18',
      'elk.layered.spacing.nodeNodeBetweenLayers': '48',
      'elk.padding': '[top=8,left=8,bottom=8,right=8]',
    },
    children: tasks.map((t) => ({ id: taskKey(t), width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges,
  };
  const graph = await elk.layout(input);
  const byKey = new Map(tasks.map((t) => [taskKey(t), t]));
  return {
    width: graph.width ?? 0,
    height: graph.height ?? 0,
    nodes: (graph.children ?? []).map((n) => ({ id: n.id, task: byKey.get(n.id)!, x: n.x ?? 0, y: n.y ?? 0, width: n.width ?? NODE_WIDTH, height: n.height ?? NODE_HEIGHT })),
    edges: (graph.edges ?? []).map((e) => {
      const s = e.sections?.[0];
      const points = s ? [s.startPoint, ...(s.bendPoints ?? []), s.endPoint] : [];
      return { id: e.id, from: e.sources[0]!, to: e.targets[0]!, points };
    }),
  };
}
