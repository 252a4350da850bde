// Readiness: named checks (database, migrations, later the container engine) that /ready reports.

export interface ReadinessResult {
  ok: boolean;
  detail: string;
}

export interface ReadinessCheck {
  name: string;
  check(): Promise<ReadinessResult>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, ReadinessResult>;
}

export async function checkReadiness(checks: readonly ReadinessCheck[], timeoutMs = 3_000): Promise<ReadinessReport> {
  const entries = await Promise.all(
    checks.map(async (c): Promise<[string, ReadinessResult]> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<ReadinessResult>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
      });
      try {
        const result = await Promise.race([c.check().catch((e: Error) => ({ ok: false, detail: e.message })), timeout]);
        return [c.name, result];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const checksOut = Object.fromEntries(entries);
  return { ready: entries.every(([, r]) => r.ok), checks: checksOut };
}
