// A fetch handed to a provider SDK: it carries the call's AbortSignal and remembers the last HTTP status and headers.

export interface ObservedResponse {
  status: number;
  headers: Headers;
}

export interface ObservedFetch {
  fetch: typeof fetch;
  /** The last response any request of this attempt received (undefined when none answered). */
  last(): ObservedResponse | undefined;
}

/**
 * SDKs differ in what they expose of a failed response (OpenAI keeps headers, Gemini and Ollama do not);
 * seeing the response at the fetch layer gives every adapter the status and Retry-After alike. The signal
 * is joined to whatever signal the SDK passes, so a deadline aborts even requests an SDK sends without one.
 */
export function observeFetch(signal: AbortSignal, base: typeof fetch = globalThis.fetch): ObservedFetch {
  let last: ObservedResponse | undefined;
  const observed: typeof fetch = async (input, init) => {
    const joined = init?.signal ? AbortSignal.any([init.signal, signal]) : signal;
    const response = await base(input, { ...init, signal: joined });
    last = { status: response.status, headers: response.headers };
    return response;
  };
  return { fetch: observed, last: () => last };
}
