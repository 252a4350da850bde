// A hook that loads data through the backend and loads it again when a watched resource changes or the connection returns.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Backend } from './backend';

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload(): void;
}

export function useData<T>(backend: Backend, load: () => Promise<T>, deps: unknown[], watch?: (uri: string) => boolean): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const reload = useCallback(() => {
    const mine = ++generation.current;
    setLoading(true);
    load().then(
      (value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        if (mine !== generation.current) return;
        setError(e instanceof Error ? e.message : String(e));
        setLoading(false);
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps -- deps are the caller's
  }, deps);
  useEffect(() => {
    reload();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      // Bursts of updates (a task finishing emits several events) become one reload.
      if (!timer) timer = setTimeout(() => ((timer = undefined), reload()), 200);
    };
    const offUpdated = backend.onUpdated((uri) => {
      if (watch?.(uri)) soon();
    });
    const offConn = backend.onConnection((s) => s === 'connected' && soon());
    return () => {
      offUpdated();
      offConn();
      if (timer) clearTimeout(timer);
    };
  }, [reload]);
  return { data, error, loading, reload };
}

/** Subscribes to resources while a view shows them. */
export function useSubscription(backend: Backend, uris: string[]): void {
  const key = uris.join(' ');
  useEffect(() => {
    for (const u of uris) backend.subscribe(u);
    return () => uris.forEach((u) => backend.unsubscribe(u));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by the joined list
  }, [key]);
}
