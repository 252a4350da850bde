// The images this product built in the engine (the worker image and the agents' images), read from their labels.
import { type DockerEngine, engineError } from './docker-engine';

export interface BuiltImage {
  /** repo:tag names of the image. */
  tags: string[];
  id: string;
  kind: 'worker' | 'agent';
  agent: string | null;
  version: string | null;
  sizeBytes: number;
  created: Date;
}

export async function listAuraImages(engine: DockerEngine): Promise<BuiltImage[]> {
  let images: Array<{ Id: string; RepoTags?: string[] | null; Labels?: Record<string, string> | null; Size: number; Created: number }>;
  try {
    images = await engine.docker.listImages({ filters: JSON.stringify({ label: ['aura.image'] }) });
  } catch (error) {
    throw engineError(error, 'listing images', engine.host);
  }
  return images
    .map((i): BuiltImage => {
      const labels = i.Labels ?? {};
      return {
        tags: (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
        id: i.Id,
        kind: labels['aura.image'] === 'agent' ? 'agent' : 'worker',
        agent: labels['aura.agent'] ?? null,
        version: labels['aura.agent.version'] ?? labels['aura.image.node'] ?? null,
        sizeBytes: i.Size,
        created: new Date(i.Created * 1000),
      };
    })
    .sort((a, b) => a.kind.localeCompare(b.kind) || (a.agent ?? '').localeCompare(b.agent ?? '') || b.created.getTime() - a.created.getTime());
}
