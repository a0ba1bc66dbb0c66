// The action's HTTP policy for GitHub's REST API, as a `fetch` wrapped around the runner's own
// (proxy-aware) fetch and handed to Octokit:
// - a timeout of our own: an API call (all its attempts and backoff waits) gets `timeoutMs`; each
//   attempt at most a third of it, so one stalled connection is cut off and retried in time;
// - 5xx, network errors and cut-off attempts are retried (`retries` times, backoff base·n²);
// - rate limits (429, and 403 with `retry-after`, `x-ratelimit-remaining: 0` or GitHub's "secondary
//   rate limit" message) are waited out as GitHub says (`retry-after`, else `x-ratelimit-reset`,
//   else 60 s for a secondary limit), up to MAX_RATE_LIMIT_WAIT_S per wait and
//   MAX_RATE_LIMIT_RETRIES waits; a longer wait is a clear error (RateLimitError), never a pass.
//   Time spent waiting out a rate limit does not count against the timeout;
// - writes (POST/PATCH/PUT/DELETE) go one at a time, as GitHub asks of integrations.
// The response body is read inside the attempt (the timeout covers it) and handed on in memory.

/** Longest single wait for a rate limit (seconds); beyond it the call fails (documented in docs/action.md). */
export const MAX_RATE_LIMIT_WAIT_S = 60;
/** Rate-limit waits per API call before it fails. */
export const MAX_RATE_LIMIT_RETRIES = 3;
/** Wait for a secondary rate limit that names no time (GitHub: "wait at least one minute"). */
const SECONDARY_FALLBACK_S = 60;

export interface HttpPolicy {
  /** Whole API call, all attempts (default 30 s). */
  timeoutMs: number;
  /** Retries of 5xx, network errors and cut-off attempts (default 4). */
  retries: number;
  /** Backoff base: waits base·1, base·4, base·9, … (default 250 ms). */
  retryBaseMs: number;
  /** Where retry / rate-limit notices go. */
  warn: (message: string) => void;
}

/** The call ended without an answer we can use; the message says why (status 0: no answer). */
export class HttpGiveUpError extends Error {
  override name = 'HttpGiveUpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Fetch = (url: string, init?: any) => Promise<Response>;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));
const fmtS = (ms: number) => `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;

/** Seconds GitHub asks us to wait, or null when the response is not a rate limit. */
export function rateLimitWait(status: number, headers: Headers, body: string, now = Date.now()): { seconds: number; why: string } | null {
  const retryAfter = headers.get('retry-after');
  const remaining = headers.get('x-ratelimit-remaining');
  const secondary = /secondary rate limit|abuse detection/i.test(body);
  if (status !== 429 && !(status === 403 && (retryAfter !== null || remaining === '0' || secondary))) return null;
  if (retryAfter !== null) {
    const n = Number(retryAfter);
    const s = Number.isFinite(n) ? n : (Date.parse(retryAfter) - now) / 1000;
    if (Number.isFinite(s)) return { seconds: Math.max(0, Math.ceil(s)), why: `retry-after: ${retryAfter.slice(0, 40)}` };
  }
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (remaining === '0' && Number.isFinite(reset) && reset > 0) return { seconds: Math.max(0, Math.ceil(reset - now / 1000) + 1), why: 'x-ratelimit-reset' };
  if (secondary || status === 403) return { seconds: SECONDARY_FALLBACK_S, why: 'a secondary rate limit without retry-after' };
  return { seconds: 1, why: '429 without retry-after' };
}

function describe(url: string, method: string): string {
  try {
    const u = new URL(url);
    return `${method} ${decodeURIComponent(u.pathname)}`;
  } catch {
    return `${method} ${url}`;
  }
}

export function resilientFetch(base: Fetch, policy: HttpPolicy): Fetch {
  let writes: Promise<unknown> = Promise.resolve();
  const once = async (url: string, init: any): Promise<Response> => {
    const method = String(init?.method ?? 'GET').toUpperCase();
    const what = describe(url, method);
    let deadline = Date.now() + policy.timeoutMs;
    const attemptMs = Math.max(50, Math.ceil(policy.timeoutMs / 3));
    let failures = 0;
    let rateWaits = 0;
    let lastWhy = '';
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new HttpGiveUpError(0, `${what}: no complete answer from GitHub within ${fmtS(policy.timeoutMs)} (request-timeout), ${failures} attempt(s)${lastWhy ? `; last: ${lastWhy}` : ''}`);
      const ms = Math.min(left, attemptMs);
      const timer = AbortSignal.timeout(ms);
      const signal = init?.signal ? AbortSignal.any([init.signal, timer]) : timer;
      let res: Response;
      let body: ArrayBuffer;
      try {
        res = await base(url, { ...init, signal });
        body = await res.arrayBuffer();
      } catch (e) {
        if (init?.signal?.aborted) throw e;
        failures++;
        const why = timer.aborted ? `no answer within ${fmtS(ms)}` : `network error: ${String((e as Error)?.message ?? e).slice(0, 200)}`;
        lastWhy = why;
        if (failures > policy.retries || Date.now() >= deadline) {
          throw new HttpGiveUpError(0, `${what}: ${why}; gave up after ${failures} attempt(s) (request-timeout ${fmtS(policy.timeoutMs)})`);
        }
        policy.warn(`${what}: ${why}; retrying`);
        if (!timer.aborted) await sleep(Math.min(policy.retryBaseMs * failures * failures, deadline - Date.now()));
        continue;
      }
      const status = res.status;
      if (status === 429 || status === 403) {
        const text = new TextDecoder().decode(body);
        const wait = rateLimitWait(status, res.headers, text);
        if (wait) {
          const kind = /secondary rate limit/i.test(text) ? 'secondary rate limit' : 'rate limit';
          if (wait.seconds > MAX_RATE_LIMIT_WAIT_S || rateWaits >= MAX_RATE_LIMIT_RETRIES) {
            throw new HttpGiveUpError(
              status,
              rateWaits >= MAX_RATE_LIMIT_RETRIES
                ? `${what}: GitHub API ${kind} (HTTP ${status}) still in force after ${rateWaits} wait(s); nothing more was tried. Re-run the job later.`
                : `${what}: GitHub API ${kind} (HTTP ${status}): GitHub asks to wait ${wait.seconds} s (${wait.why}), more than the ${MAX_RATE_LIMIT_WAIT_S} s migration-gate waits. Re-run the job later.`,
            );
          }
          rateWaits++;
          policy.warn(`GitHub API ${kind} hit on ${what} (HTTP ${status}); retrying in ${wait.seconds}s (${wait.why})`);
          await sleep(wait.seconds * 1000);
          deadline = Date.now() + policy.timeoutMs; // waiting out a rate limit is not a stall
          continue;
        }
      }
      // A 5xx is retried while the backoff still fits in the time left; else GitHub's answer stands.
      if (status >= 500 && status !== 501 && failures < policy.retries && Date.now() + policy.retryBaseMs * (failures + 1) ** 2 < deadline) {
        failures++;
        lastWhy = `HTTP ${status}`;
        const pause = policy.retryBaseMs * failures * failures;
        policy.warn(`${what}: HTTP ${status}; retrying in ${fmtS(pause)}`);
        await sleep(pause);
        continue;
      }
      const nullBody = status === 204 || status === 205 || status === 304;
      const out = new Response(nullBody ? null : body, { status, statusText: res.statusText, headers: res.headers });
      Object.defineProperty(out, 'url', { value: res.url });
      return out;
    }
  };
  return (url, init) => {
    const method = String(init?.method ?? 'GET').toUpperCase();
    if (method === 'GET' || method === 'HEAD') return once(url, init);
    // One write at a time (GitHub: avoid concurrent writes; they trip secondary rate limits).
    const p = writes.then(() => once(url, init));
    writes = p.catch(() => {});
    return p;
  };
}
