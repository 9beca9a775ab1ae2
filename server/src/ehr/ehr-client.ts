import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import type { Bundle, Resource } from 'fhir/r4.js';
import { JWT_BEARER_ASSERTION } from '@safeconsult/protocol';
import { CONNECTOR_ALG, type EhrSettings } from './connection.js';

const REQUEST_TIMEOUT_MS = 15_000;
/** A token is renewed this long before the EHR says it expires. */
const RENEW_BEFORE_MS = 30_000;

/**
 * A failure talking to the EHR, summarised by us (HTTP status or network error): the EHR's own
 * text may repeat patient data and is never kept or logged.
 */
export class EhrUnavailable extends Error {
  constructor(readonly summary: string) {
    super(summary);
  }
}

interface CachedToken {
  version: string;
  token: string;
  expiresAt: number;
}

/**
 * Holds the access token of the EHR connection until shortly before it expires; one per server
 * (the composition root makes it), so requests and the write-back worker share it.
 */
export class EhrTokenCache {
  private cached: CachedToken | undefined;

  async tokenFor(settings: EhrSettings, now: Date): Promise<string> {
    if (settings.kind === 'bearer') return settings.token;
    const cached = this.cached;
    if (
      cached?.version === settings.version &&
      cached.expiresAt - RENEW_BEFORE_MS > now.getTime()
    ) {
      return cached.token;
    }
    const fresh = await fetchToken(settings, now);
    this.cached = { version: settings.version, ...fresh };
    return fresh.token;
  }

  forget(): void {
    this.cached = undefined;
  }
}

async function call(url: string, init: RequestInit): Promise<Response> {
  try {
    // Redirects are not followed: the token, an assertion or a note would go where the EHR points.
    return await fetch(url, {
      ...init,
      redirect: 'error',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    throw new EhrUnavailable(`EHR unreachable (${code ?? (error as Error).name})`);
  }
}

/** SMART Backend Services: discover the token endpoint, sign an assertion, exchange it. */
async function fetchToken(
  settings: Extract<EhrSettings, { kind: 'smart-backend' }>,
  now: Date,
): Promise<{ token: string; expiresAt: number }> {
  const discovery = await call(`${settings.baseUrl}/.well-known/smart-configuration`, {
    headers: { accept: 'application/json' },
  });
  if (!discovery.ok) throw new EhrUnavailable(`EHR discovery answered ${discovery.status}`);
  const { token_endpoint: tokenUrl } = (await discovery.json()) as { token_endpoint?: string };
  if (typeof tokenUrl !== 'string') throw new EhrUnavailable('EHR names no token endpoint');
  const seconds = Math.floor(now.getTime() / 1000);
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: CONNECTOR_ALG, kid: settings.privateKey.kid!, typ: 'JWT' })
    .setIssuer(settings.clientId)
    .setSubject(settings.clientId)
    .setAudience(tokenUrl)
    .setIssuedAt(seconds)
    .setExpirationTime(seconds + 240)
    .setJti(randomUUID())
    .sign(await importJWK(settings.privateKey, CONNECTOR_ALG));
  const res = await call(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: JWT_BEARER_ASSERTION,
      client_assertion: assertion,
      scope: settings.scopes.join(' '),
    }).toString(),
  });
  if (!res.ok) {
    const { error } = (await res.json().catch(() => ({}))) as { error?: string };
    throw new EhrUnavailable(`EHR token endpoint answered ${res.status} ${error ?? ''}`.trim());
  }
  const body = (await res.json()) as { access_token?: string; expires_in?: number };
  if (!body.access_token) throw new EhrUnavailable('EHR token endpoint sent no token');
  return { token: body.access_token, expiresAt: now.getTime() + (body.expires_in ?? 300) * 1000 };
}

/** The FHIR calls the connector makes, authenticated as the connection says. */
export class EhrFhirClient {
  constructor(
    private readonly settings: EhrSettings,
    private readonly tokens: EhrTokenCache,
    private readonly now: () => Date,
  ) {}

  get baseUrl(): string {
    return this.settings.baseUrl;
  }

  private async request(path: string, init: RequestInit = {}): Promise<Response> {
    const token = await this.tokens.tokenFor(this.settings, this.now());
    const res = await call(`${this.settings.baseUrl}/${path}`, {
      ...init,
      headers: {
        accept: 'application/fhir+json',
        authorization: `Bearer ${token}`,
        ...(init.headers as Record<string, string> | undefined),
      },
    });
    // A token the EHR no longer takes is fetched anew next time.
    if (res.status === 401) this.tokens.forget();
    return res;
  }

  /**
   * The resources a search finds, following the EHR's `next` links until `limit` are read. A page
   * link must stay under the EHR's base address: the token goes nowhere else.
   */
  async search<T extends Resource>(
    type: string,
    params: Record<string, string>,
    limit = Number.POSITIVE_INFINITY,
  ): Promise<T[]> {
    const found: T[] = [];
    let path: string | undefined = `${type}?${new URLSearchParams(params).toString()}`;
    while (path !== undefined && found.length < limit) {
      const res = await this.request(path);
      if (!res.ok) throw new EhrUnavailable(`EHR search of ${type} answered ${res.status}`);
      const bundle = (await res.json()) as Bundle;
      for (const entry of bundle.entry ?? []) {
        const mode = entry.search?.mode;
        if (mode === 'include' || mode === 'outcome') continue;
        if (entry.resource?.resourceType === type) found.push(entry.resource as T);
      }
      path = this.pathUnderBase(bundle.link?.find((link) => link.relation === 'next')?.url);
    }
    return found.slice(0, limit);
  }

  private pathUnderBase(url: string | undefined): string | undefined {
    if (url === undefined) return undefined;
    const base = `${this.settings.baseUrl}/`;
    if (!url.startsWith(base)) {
      throw new EhrUnavailable('EHR sent a page link outside its base address');
    }
    return url.slice(base.length);
  }

  /** A conditional create: the resource once, however often it is sent (If-None-Exist). */
  async createOnce<T extends Resource>(
    resource: T,
    condition: string,
  ): Promise<T & { id: string }> {
    const res = await this.request(resource.resourceType, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json', 'if-none-exist': condition },
      body: JSON.stringify(resource),
    });
    if (res.status !== 200 && res.status !== 201) {
      throw new EhrUnavailable(`EHR create of ${resource.resourceType} answered ${res.status}`);
    }
    return (await res.json()) as T & { id: string };
  }
}
