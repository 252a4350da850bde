// Evaluates a compiled policy set at one checkpoint: first decisive rule wins, notices accumulate, errors fail closed.
import type { CompiledPolicySet, CompiledRule } from './policy-compile';
import { type PolicyInput, policyContext } from './policy-context';

export interface RuleMatch {
  rule: string;
  action: CompiledRule['action'];
  reason: string;
  /** Set when the condition could not be evaluated and the rule was applied anyway (fail closed). */
  error?: string;
}

export interface PolicyDecision {
  action: 'allow' | 'deny' | 'require_approval';
  /** The deciding rule; absent when nothing matched (allowed by default). */
  rule?: string;
  reason?: string;
  /** `notify` rules that matched before the decision. */
  notices: RuleMatch[];
  /** Every rule that matched, in order (the decisive one last). */
  matches: RuleMatch[];
}

/**
 * Rules apply in document order. A matching `notify` is collected and evaluation goes on; the first matching
 * `allow`, `deny` or `require_approval` decides. A condition that cannot be evaluated counts as matched for
 * `deny`, `require_approval` and `notify` and as not matched for `allow`, so an error never loosens enforcement.
 */
export function decide(set: CompiledPolicySet, input: PolicyInput): PolicyDecision {
  const matches = matchAll(set, input, true);
  const notices = matches.filter((m) => m.action === 'notify');
  const decisive = matches.find((m) => m.action !== 'notify');
  if (!decisive || decisive.action === 'allow') return { action: 'allow', rule: decisive?.rule, reason: decisive?.reason, notices, matches };
  return { action: decisive.action as 'deny' | 'require_approval', rule: decisive.rule, reason: decisive.reason, notices, matches };
}

/** Every rule of the set that matches at this checkpoint (`stopAtDecision` stops after the first decisive one). */
export function matchAll(set: CompiledPolicySet, input: PolicyInput, stopAtDecision = false): RuleMatch[] {
  const context = policyContext(input);
  const out: RuleMatch[] = [];
  for (const rule of set.rules) {
    if (!rule.on.has(input.checkpoint)) continue;
    let matched: boolean;
    let error: string | undefined;
    try {
      matched = rule.test(context);
    } catch (e) {
      error = (e as Error).message.split('\n')[0];
      matched = rule.action !== 'allow';
    }
    if (!matched) continue;
    out.push({ rule: rule.name, action: rule.action, reason: error ? `${rule.reason} (condition could not be evaluated: ${error})` : rule.reason, error });
    if (stopAtDecision && rule.action !== 'notify') break;
  }
  return out;
}
