// Guards on the refs the product moves (only aura/ branches) and the identity its commits carry.
import { AuraError } from '../../core/domain/errors';
import { AURA_BRANCH_PREFIX } from '../../core/workspace/workspace';
import type { CommitAuthor } from '../../core/workspace/workspace';

/** Throws unless `ref` is a branch under refs/heads/aura/: the repository's own branches are never moved. */
export function assertAuraRef(ref: string): string {
  if (!ref.startsWith(`refs/heads/${AURA_BRANCH_PREFIX}`) || ref.includes('..')) {
    throw new AuraError('forbidden', `Refusing to change ${ref}: only branches under ${AURA_BRANCH_PREFIX} may be changed without the Director.`);
  }
  return ref;
}

export const ORCHESTRA_IDENTITY: CommitAuthor = { name: 'Aura Orchestra', email: 'orchestra@aura.invalid' };

/** Environment naming the author (an employee) and the committer (always the orchestrator). */
export function committerEnv(author: CommitAuthor = ORCHESTRA_IDENTITY): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: ORCHESTRA_IDENTITY.name,
    GIT_COMMITTER_EMAIL: ORCHESTRA_IDENTITY.email,
  };
}
