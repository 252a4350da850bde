// Governance tools: read and set policy sets (validated YAML with CEL conditions), and the Director's retention cleanup.
import { z } from 'zod';
import { policySetNameSchema } from '../../../core/governance/policy/policy-schema';
import type { PolicyVersion } from '../../../core/governance/policy/policy-store';
import { DIRECTOR_ONLY, READERS } from '../../auth/roles';
import { text } from '../input-limits';
import { withHeartbeat } from '../progress';
import { type McpServices, requesterOf } from '../services';
import { ADDITIVE, defineTool, READ_ONLY, type ToolDefinition } from '../tool-definition';
import { iso } from './views';

const policyName = policySetNameSchema.describe('policy set name, e.g. "default"');

const versionSchema = z.object({ name: z.string(), version: z.number().int(), rules: z.number().int(), origin: z.string(), createdBy: z.string(), createdAt: z.string(), sourceHash: z.string() });
const versionView = (v: PolicyVersion) => ({ name: v.name, version: v.version, rules: v.rules, origin: v.origin, createdBy: v.createdBy, createdAt: iso(v.createdAt)!, sourceHash: v.sourceHash });

export function governanceTools(services: McpServices): ToolDefinition[] {
  const governance = services.governance;
  if (!governance) return [];

  const listPolicies = defineTool({
    name: 'list_policies',
    title: 'List policies',
    group: 'governance',
    description: 'The policy sets in force (newest version of each); with `name`, that set with its YAML source.',
    roles: READERS,
    input: z.strictObject({ name: policyName.optional() }),
    output: z.object({ policies: z.array(versionSchema), source: z.string().nullable() }),
    annotations: READ_ONLY,
    async run(args) {
      if (args.name) {
        const v = await governance.policies.get(args.name);
        return { policies: [versionView(v)], source: v.source };
      }
      return { policies: (await governance.policies.list()).map(versionView), source: null };
    },
  });

  const setPolicies = defineTool({
    name: 'set_policies',
    title: 'Set policies',
    group: 'governance',
    description: 'Store a new version of a policy set from YAML (rules with CEL conditions). Invalid YAML or CEL is refused with line and reason; the old version stays in force.',
    roles: DIRECTOR_ONLY,
    input: z.strictObject({ name: policyName, yaml: text(200_000, 1) }),
    output: z.object({ policy: versionSchema }),
    annotations: ADDITIVE,
    async run(args, { actor }) {
      return { policy: versionView(await governance.policies.set(args.name, args.yaml, actor, 'director')) };
    },
  });

  const cleanupRetention = defineTool({
    name: 'cleanup_retention',
    title: 'Clean up retention',
    group: 'governance',
    description: 'Delete data older than the retention period (default AURA_RETENTION_DAYS); recorded, and the audit chain still verifies.',
    roles: DIRECTOR_ONLY,
    input: z.strictObject({ retentionDays: z.number().int().min(1).max(36_500).optional() }),
    output: z.object({ cutoff: z.string(), retentionDays: z.number().int(), deleted: z.record(z.string(), z.number().int()), trimmedStreams: z.array(z.object({ stream: z.string(), afterSeq: z.number().int() })) }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    async run(args, { principal, progress }) {
      const report = await withHeartbeat(progress, 'removing expired data', governance.cleanupRetention(requesterOf(principal), { retentionDays: args.retentionDays }));
      return { cutoff: iso(report.cutoff)!, retentionDays: report.retentionDays, deleted: report.deleted, trimmedStreams: report.trimmedStreams.map((s) => ({ stream: s.stream, afterSeq: s.afterSeq })) };
    },
  });

  return [listPolicies, setPolicies, cleanupRetention];
}
