// Leader duty: writes the signed checkpoint of every chain head to $AURA_HOME/audit every so often (when a head
// moved), and once more when leadership is given up, so `aura audit verify` can tell a cut tail or a deleted stream.
import { createHash } from 'node:crypto';
import type { Clock } from '../../domain/clock';
import type { AuditSigner } from '../../events/chain';
import { takeHeadCheckpoint, writeCheckpointFile } from '../../events/head-checkpoint';
import type { Store } from '../../store/store';
import type { LeaderDuty } from './leader-duty';

export function checkpointDuty(deps: { store: Store; signer: AuditSigner; clock: Clock; dir: string; everyMs: number }): LeaderDuty {
  let lastAt = -Infinity;
  let lastDigest = '';
  const write = async () => {
    const checkpoint = await takeHeadCheckpoint(deps.store, deps.signer, deps.clock);
    const digest = createHash('sha256').update(JSON.stringify([checkpoint.databaseId, checkpoint.heads])).digest('hex');
    if (digest === lastDigest) return;
    writeCheckpointFile(deps.dir, checkpoint);
    lastDigest = digest;
  };
  return {
    name: 'checkpoint chain heads',
    async run(now) {
      if (now.getTime() - lastAt < deps.everyMs) return;
      lastAt = now.getTime();
      await write();
    },
    onRelease: write,
  };
}
