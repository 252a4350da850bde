// What a resource is: a URI template, how to read it, and which event streams change it (for subscriptions).
import type { OwnedKind } from '../../../core/tenancy/workspace-filter';
import type { Principal } from '../../auth/roles';
import type { McpServices } from '../services';

export interface ResourceDefinition {
  /** RFC 6570 level-1 template, e.g. `aura://runs/{id}`; a template without variables is a fixed resource. */
  template: string;
  name: string;
  title: string;
  description: string;
  /** Parses a concrete URI into the template's variables, or null when it is not this resource. */
  match(uri: string): Record<string, string> | null;
  /** Which template variables name objects, and what kind each is: checked against the session's workspace first. */
  owner?: Record<string, OwnedKind>;
  /** Not divided into team workspaces yet: served only to tokens of 'default' (docs/tenancy.md). */
  unscoped?: boolean;
  /** The resource's content as JSON; throws AuraError not_found for an unknown id. `principal` scopes lists. */
  read(vars: Record<string, string>, services: McpServices, principal: Principal): Promise<unknown>;
  /**
   * Resolves, at subscribe time, which committed appends may change this resource: a predicate over stream
   * names (a run's id, or 'system'). Throws not_found for an unknown id, so a bad subscription fails loudly.
   */
  changedBy(vars: Record<string, string>, services: McpServices, principal: Principal): Promise<(stream: string) => boolean | Promise<boolean>>;
  /** Concrete instances worth listing in resources/list (e.g. the latest runs). */
  list?(services: McpServices, principal: Principal): Promise<Array<{ uri: string; name: string; title: string }>>;
}

/** Builds `match` for a template of the form `aura://a/{x}/b`: each variable is one path segment of id characters. */
export function templateMatcher(template: string): (uri: string) => Record<string, string> | null {
  const names: string[] = [];
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    return '([A-Za-z0-9][A-Za-z0-9_.:-]{0,99})';
  });
  const re = new RegExp(`^${pattern}$`);
  return (uri) => {
    const m = re.exec(uri);
    if (!m) return null;
    return Object.fromEntries(names.map((n, i) => [n, m[i + 1]!]));
  };
}
