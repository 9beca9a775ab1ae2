import {
  consultChatItemSchema,
  consultChatSchema,
  CSRF_HEADER,
  type ConsultChatItem,
} from '@safeconsult/protocol';
import { api, NETWORK_PROBLEM, problemOf, type ApiResult } from '../api/http.js';
import { fileNameHeader } from './chat-items.js';

const consultPath = (appointmentId: string) => `/api/consults/${encodeURIComponent(appointmentId)}`;

/** Where a shared file is downloaded from (the server answers with an attachment). */
export function fileHref(appointmentId: string, fileId: string): string {
  return `${consultPath(appointmentId)}/files/${encodeURIComponent(fileId)}`;
}

/** Checks a successful answer against the contract, so a wrong shape fails here and not in render. */
function parsed<T>(result: ApiResult<unknown>, schema: { parse(data: unknown): T }): ApiResult<T> {
  return result.ok ? { ok: true, data: schema.parse(result.data) } : result;
}

/** The consult's chat so far, oldest first. */
export async function fetchChat(appointmentId: string): Promise<ApiResult<ConsultChatItem[]>> {
  const result = parsed(
    await api<unknown>(`${consultPath(appointmentId)}/chat`),
    consultChatSchema,
  );
  return result.ok ? { ok: true, data: result.data.items } : result;
}

export async function sendChatMessage(
  appointmentId: string,
  text: string,
  csrfToken: string,
): Promise<ApiResult<ConsultChatItem>> {
  const result = await api<unknown>(`${consultPath(appointmentId)}/chat`, {
    method: 'POST',
    body: { text },
    csrfToken,
  });
  return parsed(result, consultChatItemSchema);
}

/**
 * Uploads a file as the request body itself, not as a form: the server reads the bytes to learn
 * the type and takes the name from `X-File-Name` only.
 */
export async function uploadChatFile(
  appointmentId: string,
  file: File,
  csrfToken: string,
): Promise<ApiResult<ConsultChatItem>> {
  let response: Response;
  try {
    response = await fetch(`${consultPath(appointmentId)}/files`, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/octet-stream',
        'x-file-name': fileNameHeader(file.name),
        [CSRF_HEADER]: csrfToken,
      },
      body: file,
      credentials: 'same-origin',
    });
  } catch {
    return { ok: false, problem: NETWORK_PROBLEM };
  }
  if (!response.ok) return { ok: false, problem: await problemOf(response) };
  return parsed(
    { ok: true, data: await response.json().catch(() => undefined) },
    consultChatItemSchema,
  );
}
