// Scripts a stand-in running in another process (serve-stand-in.ts) through its control endpoints.
import type { ReceivedCall, Scripted } from './stand-in-server';

/** Queues behaviours for the next requests; resolves with how many are pending. */
export async function enqueueRemote(url: string, ...scripts: Scripted[]): Promise<number> {
  const response = await fetch(`${url}/_stand-in/enqueue`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scripts }) });
  if (!response.ok) throw new Error(`stand-in at ${url} refused the script: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { pending: number }).pending;
}

/** The requests the stand-in received (keys shown as [redacted]). */
export async function callsOfRemote(url: string): Promise<Array<Omit<ReceivedCall, 'headers'> & { headers: Record<string, string> }>> {
  const response = await fetch(`${url}/_stand-in/calls`);
  return ((await response.json()) as { calls: Array<Omit<ReceivedCall, 'headers'> & { headers: Record<string, string> }> }).calls;
}

export async function resetRemote(url: string): Promise<void> {
  await fetch(`${url}/_stand-in/reset`, { method: 'POST' });
}
