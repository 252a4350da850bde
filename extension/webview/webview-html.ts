// The HTML shell of a dashboard webview: a strict CSP (default-src 'none'), one nonce per script, the initial route.
import { randomBytes } from 'node:crypto';
import type { Route } from '../../webview-ui/protocol/messages';

export interface DashboardHtmlInput {
  /** `webview.cspSource`: the origin local resources are served from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  route: Route;
  nonce?: string;
}

export function createNonce(): string {
  return randomBytes(18).toString('base64url');
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function dashboardHtml(input: DashboardHtmlInput): string {
  const nonce = input.nonce ?? createNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(input.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(input.styleUri)}">
<title>Aura Orchestra</title>
</head>
<body>
<div id="app" data-host="vscode" data-route="${escapeAttr(JSON.stringify(input.route))}"></div>
<script nonce="${nonce}" src="${escapeAttr(input.scriptUri)}"></script>
</body>
</html>`;
}
