// The CEL environment policy conditions are checked and evaluated in: the variables every rule can read.
import { Environment } from '@marcbachmann/cel-js';
import { globToRegExp } from '../../workspace/scope';

/** Variables a condition may use; each is always present (with empty defaults) so a rule never reads a missing one. */
export const policyVariables = ['task', 'employee', 'run', 'tool', 'cost', 'scope'] as const;

let shared: Environment | undefined;

/** One environment per process: registering is done once; checking and evaluation do not change it. */
export function policyEnvironment(): Environment {
  if (!shared) {
    const env = new Environment({ homogeneousAggregateLiterals: false, limits: { maxAstNodes: 2000, maxDepth: 64, maxListElements: 200, maxMapEntries: 200, maxCallArguments: 16 } });
    for (const name of policyVariables) env.registerVariable(name, 'map');
    env.registerVariable('checkpoint', 'string');
    env.registerFunction('glob(string, string): bool', (path: string, pattern: string) => globToRegExp(pattern).test(path));
    shared = env;
  }
  return shared;
}
