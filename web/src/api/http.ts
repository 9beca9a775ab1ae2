import { CSRF_HEADER, problemSchema, type Problem } from '@safeconsult/protocol';

export type ApiResult<T> = { ok: true; data: T } | { ok: false; problem: Problem };

export const NETWORK_PROBLEM: Problem = {
  type: 'about:blank',
  title: 'network',
  status: 0,
  code: 'network_error',
};

/**
 * Calls the API with JSON in and out. Errors arrive as problem documents; anything else that goes
 * wrong (offline, a proxy's HTML page) becomes a problem too, so callers handle one shape.
 */
export async function api<T>(
  path: string,
  options: { method?: string; body?: unknown; csrfToken?: string } = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.csrfToken) headers[CSRF_HEADER] = options.csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
    });
  } catch {
    return { ok: false, problem: NETWORK_PROBLEM };
  }
  if (response.status === 204) return { ok: true, data: undefined as T };
  if (!response.ok) return { ok: false, problem: await problemOf(response) };
  const json: unknown = await response.json().catch(() => undefined);
  return { ok: true, data: json as T };
}

/** The problem document of a failed response, or a stand-in when it carries none. */
export async function problemOf(response: Response): Promise<Problem> {
  const problem = problemSchema.safeParse(await response.json().catch(() => undefined));
  return problem.success ? problem.data : { ...NETWORK_PROBLEM, status: response.status };
}
