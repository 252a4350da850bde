// The port the planner reads a run repository's files through (to give tasks without a declared scope one).

/**
 * The tracked files of the repository a run works on, as relative POSIX paths: the run branch's files when the run
 * has a workspace already (a replan), else the files at HEAD of the repository given at submit, else none (a new one).
 */
export type RepoFiles = (where: { runId?: string; repoPath?: string | null }) => Promise<string[]>;
