// The Markdown preview of an approval a Director reads before deciding (plain, so it can be tested without VS Code).
import type { Approval } from '../../webview-ui/protocol/aura-data';

/** The Markdown a Director reads before deciding. */
export function approvalMarkdown(a: Approval): string {
  const preview = a.preview === undefined ? '' : typeof a.preview === 'string' ? a.preview : `\`\`\`json\n${JSON.stringify(a.preview, null, 2)}\n\`\`\``;
  return [
    `# ${a.title ?? `Approval ${a.id}`}`,
    '',
    `- kind: ${a.kind ?? '-'}`,
    `- run: ${a.runId ?? '-'}${a.taskId ? `, task: ${a.taskId}` : ''}`,
    `- requested: ${a.createdAt ?? '-'}`,
    '',
    a.summary ?? '',
    '',
    preview,
  ].join('\n');
}
