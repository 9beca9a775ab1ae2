import { afterEach, describe, expect, it, vi } from 'vitest';
import { CSRF_HEADER, type ConsultChatItem } from '@safeconsult/protocol';
import { fetchChat, fileHref, sendChatMessage, uploadChatFile } from './chat-api.js';

const APPOINTMENT = '3f0e9a52-7c1d-4b8e-a2f4-5d6c7b8a9e01';
const FILE_ID = '8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d';

const item: ConsultChatItem = {
  kind: 'file',
  id: '0b6d0a6e-5a3c-4d2e-9f10-000000000001',
  sentAt: '2026-11-25T10:00:00.000Z',
  from: {
    participantId: '6f1c2b7e-1a2b-4c3d-8e4f-000000000001',
    role: 'patient',
    name: null,
    relationship: null,
  },
  file: { id: FILE_ID, name: 'Befund für Jörg.pdf', contentType: 'application/pdf', size: 5 },
};

function answer(status: number, body: unknown, type = 'application/json') {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
}

function mockFetch(response: Response | Error) {
  const fetchMock = vi.fn<typeof fetch>(() =>
    response instanceof Error ? Promise.reject(response) : Promise.resolve(response),
  );
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('uploadChatFile', () => {
  it('sends the bytes as the body with the encoded name, the raw type and the anti-forgery token', async () => {
    const fetchMock = mockFetch(answer(201, item));
    const file = new File(['%PDF-'], 'Befund für Jörg.pdf', { type: 'application/pdf' });
    const result = await uploadChatFile(APPOINTMENT, file, 'csrf-1');
    expect(result).toEqual({ ok: true, data: item });
    const [path, init] = fetchMock.mock.calls[0] ?? [];
    expect(path).toBe(`/api/consults/${APPOINTMENT}/files`);
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe(file);
    expect(init?.headers).toMatchObject({
      'content-type': 'application/octet-stream',
      'x-file-name': 'Befund%20f%C3%BCr%20J%C3%B6rg.pdf',
      [CSRF_HEADER]: 'csrf-1',
    });
  });

  it('hands back the server refusal as a problem', async () => {
    mockFetch(
      answer(
        415,
        { type: 'about:blank', title: 'No', status: 415, code: 'file_type_not_allowed' },
        'application/problem+json',
      ),
    );
    const result = await uploadChatFile(APPOINTMENT, new File(['MZ'], 'a.exe'), 'csrf-1');
    expect(result).toMatchObject({
      ok: false,
      problem: { status: 415, code: 'file_type_not_allowed' },
    });
  });

  it('turns a failed connection into the network problem', async () => {
    mockFetch(new TypeError('offline'));
    const result = await uploadChatFile(APPOINTMENT, new File(['x'], 'a.txt'), 'csrf-1');
    expect(result).toMatchObject({ ok: false, problem: { code: 'network_error' } });
  });
});

describe('sendChatMessage and fetchChat', () => {
  it('posts the text as JSON with the token', async () => {
    const { id, sentAt, from } = item;
    const sent: ConsultChatItem = { kind: 'text', id, sentAt, from, text: '<b>not markup</b>' };
    const fetchMock = mockFetch(answer(201, sent));
    const result = await sendChatMessage(APPOINTMENT, '<b>not markup</b>', 'csrf-2');
    expect(result.ok && result.data.kind === 'text' && result.data.text).toBe('<b>not markup</b>');
    const [path, init] = fetchMock.mock.calls[0] ?? [];
    expect(path).toBe(`/api/consults/${APPOINTMENT}/chat`);
    expect(init?.body).toBe(JSON.stringify({ text: '<b>not markup</b>' }));
    expect(init?.headers).toMatchObject({ [CSRF_HEADER]: 'csrf-2' });
  });

  it('reads the history as its list of items', async () => {
    mockFetch(answer(200, { items: [item] }));
    expect(await fetchChat(APPOINTMENT)).toEqual({ ok: true, data: [item] });
  });

  it('refuses an answer that does not match the contract', async () => {
    mockFetch(
      answer(200, { items: [{ ...item, file: { ...item.file, contentType: 'text/html' } }] }),
    );
    await expect(fetchChat(APPOINTMENT)).rejects.toThrow();
  });
});

describe('fileHref', () => {
  it('is the download address of the file in its consult', () => {
    expect(fileHref(APPOINTMENT, FILE_ID)).toBe(`/api/consults/${APPOINTMENT}/files/${FILE_ID}`);
  });
});
