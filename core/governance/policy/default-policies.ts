// The policy set shipped with the product ("default"): in force for every run that names no other set.

export const DEFAULT_POLICY_SET = 'default';

export const defaultPolicySource = String.raw`# Aura Orchestra's shipped policies. Rules apply in order; the first matching allow/deny/require_approval
# decides, notify rules are recorded and evaluation continues. Conditions are CEL over task, employee, run,
# tool, cost, scope and checkpoint (see docs/governance.md).
name: default
description: Sensible defaults - destructive and networked operations need approval, budgets halt, secrets stay out of scope.
rules:
  - name: no-git-internals-in-scope
    on: [plan]
    when: task.scope.exists(p, !p.startsWith("!") && p.matches(r"(^|/)\.git(/|$)"))
    action: deny
    reason: A task may not change the repository's .git folder.

  - name: secret-files-in-scope-need-approval
    on: [plan]
    when: task.scope.exists(p, !p.startsWith("!") && p.matches(r"(^|/)(\.env(\.[^/]*)?|\.aura/secrets(/.*)?|id_(rsa|ed25519|ecdsa)[^/]*|[^/]*\.pem)$"))
    action: require_approval
    reason: A task that may change secret files needs the Director's approval.

  - name: protected-files-outside-scope-fail
    on: [scope]
    when: size(scope.protected) > 0
    action: deny
    reason: The attempt changed protected files (CI configuration or secrets) that its scope does not name.

  - name: declared-scope-is-binding
    on: [scope]
    when: scope.source == "declared"
    action: deny
    reason: The attempt changed files outside the scope the PRD declared.

  - name: inferred-scope-drift-is-flagged
    on: [scope]
    when: scope.source != "declared"
    action: notify
    reason: The attempt changed files beyond those its task names; the change is accepted and flagged.

  - name: approval-tasks-wait-for-the-director
    on: [task]
    when: task.kind == "approval"
    action: require_approval
    reason: Approval tasks wait for the Director.

  - name: run-over-budget-holds-work
    on: [task]
    when: run.hasBudget && run.costUsd > run.budgetUsd
    action: require_approval
    reason: The run's cost is above its budget; further work waits for the Director.

  - name: employee-over-cap-holds-work
    on: [task]
    when: employee.hasCap && employee.costUsd > employee.capUsd
    action: require_approval
    reason: The employee's spending is above its cap; work given to it waits for the Director.

  - name: budget-exceeded-halts
    on: [cost]
    when: cost.hasLimit && cost.spentUsd > cost.limitUsd && cost.scope in ["run", "employee"]
    action: deny
    reason: Spending crossed a run budget or an employee cap; the run (or the employee) halts.

  - name: task-cap-notifies
    on: [cost]
    when: cost.hasLimit && cost.spentUsd > cost.limitUsd && cost.scope in ["task", "call"]
    action: notify
    reason: A task or a single call cost more than its cap.

  - name: forbidden-commands
    on: [tool]
    when: >-
      tool.kind == "command" && (
        tool.command.matches(r"(^|[\s;&|(])rm\s+(-[a-zA-Z-]+\s+)+(/|/\*|~/?|\$HOME/?)(\s|;|&|\||$)") ||
        tool.command.matches(r"(^|[\s;&|(])(mkfs(\.[a-z0-9]+)?|shutdown|reboot|halt|poweroff|sudo|su)(\s|$)") ||
        tool.command.matches(r"(^|[\s;&|(])dd\s+[^;&|]*of=/dev/") ||
        tool.command.matches(r":\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:") ||
        tool.command.matches(r"chmod\s+(-[a-zA-Z]+\s+)*[0-7]*777\s+/(\s|$)") ||
        tool.command.matches(r"(curl|wget)\s[^;&]*\|\s*(sudo\s+)?(ba|z|da)?sh(\s|$)") ||
        tool.command.contains(".aura/secrets") || tool.command.contains("AURA_AUDIT_KEY")
      )
    action: deny
    reason: This command is forbidden (destroys the system, escalates privileges, pipes downloads into a shell or reads the audit key).

  - name: destructive-git-needs-approval
    on: [tool]
    when: >-
      tool.kind == "command" && tool.command.matches(r"(^|[\s;&|(])git\s+(\S+\s+)*(push\s+(\S+\s+)*(--force|-f|--force-with-lease|--delete|-d)(\s|=|$)|push\s+\S+\s+:|reset\s+--hard|clean\s+-[a-zA-Z]*[fdx]|branch\s+(-D|--delete\s+--force)|checkout\s+(--force|-f)(\s|$)|rebase(\s|$)|filter-branch|filter-repo|update-ref\s+-d|reflog\s+expire|stash\s+(drop|clear)|tag\s+-d)")
    action: require_approval
    reason: Destructive git operations (force push, hard reset, clean, history rewrites, deleting refs) need the Director's approval.

  - name: network-egress-needs-approval
    on: [tool]
    when: >-
      tool.host != "" || (tool.kind == "command" && (
        tool.command.matches(r"(^|[\s;&|(])(curl|wget|nc|ncat|netcat|ssh|scp|sftp|rsync|ftp|telnet)(\s|$)") ||
        tool.command.matches(r"(^|[\s;&|(])git\s+(\S+\s+)*(push|fetch|pull|clone|ls-remote)(\s|$)") ||
        tool.command.matches(r"(^|[\s;&|(])(npm|pnpm|yarn)\s+(install|i|add|publish)(\s|$)") ||
        tool.command.matches(r"(^|[\s;&|(])pip3?\s+install(\s|$)")
      ))
    action: require_approval
    reason: Reaching the network from an employee's workspace needs the Director's approval.
`;
