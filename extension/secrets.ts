// The extension's secrets (the server token, model API keys), kept only in VS Code's SecretStorage.
import type * as vscode from 'vscode';

/** Model providers (and the coding agents' model protocols) whose API key the local orchestrator receives as an environment variable. */
export const apiKeyProviders = {
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
  gemini: 'GEMINI_API_KEY',
} as const;
export type ApiKeyProvider = keyof typeof apiKeyProviders;

export interface Secrets {
  token(serverUrl: string): Promise<string | undefined>;
  setToken(serverUrl: string, token: string | undefined): Promise<void>;
  apiKey(provider: ApiKeyProvider): Promise<string | undefined>;
  setApiKey(provider: ApiKeyProvider, key: string | undefined): Promise<void>;
  /** Environment entries (`OPENAI_API_KEY=...`) for the local orchestrator's process. */
  apiKeyEnv(): Promise<Record<string, string>>;
}

export function createSecrets(storage: vscode.SecretStorage): Secrets {
  // Tokens are per server: a token for one server is never sent to another.
  const tokenKey = (url: string) => `aura.token:${new URL(url).origin}`;
  const keyKey = (p: ApiKeyProvider) => `aura.apiKey:${p}`;
  const put = async (key: string, value: string | undefined) => (value ? storage.store(key, value) : storage.delete(key));
  return {
    token: (url) => Promise.resolve(storage.get(tokenKey(url))),
    setToken: (url, token) => put(tokenKey(url), token),
    apiKey: (p) => Promise.resolve(storage.get(keyKey(p))),
    setApiKey: (p, key) => put(keyKey(p), key),
    async apiKeyEnv() {
      const env: Record<string, string> = {};
      for (const [provider, name] of Object.entries(apiKeyProviders)) {
        const value = await storage.get(keyKey(provider as ApiKeyProvider));
        if (value) env[name] = value;
      }
      return env;
    },
  };
}
