import { describe, expect, it } from 'vitest';
import {
  CONSULT_FILE_MAX_BYTES,
  CONSULT_FILE_TYPES,
  type ConsultChatItem,
  type Problem,
} from '@safeconsult/protocol';
import de from '../i18n/locales/de.json';
import en from '../i18n/locales/en.json';
import {
  charactersLeft,
  chatProblemKey,
  FILE_INPUT_ACCEPT,
  FILE_TYPE_KEYS,
  fileNameHeader,
  formatFileSize,
  mergeChatItems,
  refuseFileLocally,
  senderLabel,
  type ChatAction,
} from './chat-items.js';

const ME = '6f1c2b7e-1a2b-4c3d-8e4f-000000000001';
const CLINICIAN = '6f1c2b7e-1a2b-4c3d-8e4f-000000000002';

function text(id: number, sentAt: string, body = `line ${id}`): ConsultChatItem {
  return {
    kind: 'text',
    id: `0b6d0a6e-5a3c-4d2e-9f10-${String(id).padStart(12, '0')}`,
    sentAt,
    from: {
      participantId: CLINICIAN,
      role: 'clinician',
      name: 'Dr. Ada Weber',
      relationship: null,
    },
    text: body,
  };
}

const texts = (items: ConsultChatItem[]) => items.map((i) => (i.kind === 'text' ? i.text : ''));

describe('mergeChatItems', () => {
  it('joins history, sent and live items oldest first, each id once', () => {
    const a = text(1, '2026-11-25T10:00:00.000Z');
    const b = text(2, '2026-11-25T10:01:00.000Z');
    const c = text(3, '2026-11-25T10:02:00.000Z');
    // The sent message comes back over the socket as well; the late live item is older than one sent.
    expect(texts(mergeChatItems([a], [c], [c, b]))).toEqual(['line 1', 'line 2', 'line 3']);
  });

  it('orders by the instant, not by the text of the time (offsets and fractions differ)', () => {
    const early = text(1, '2026-11-25T11:00:00+02:00'); // 09:00 UTC
    const late = text(2, '2026-11-25T10:00:00.5Z');
    expect(texts(mergeChatItems([late, early]))).toEqual(['line 1', 'line 2']);
  });

  it('keeps arrival order for items sent at the same instant, and the first copy of an id', () => {
    const first = text(1, '2026-11-25T10:00:00.000Z', 'first');
    const second = text(2, '2026-11-25T10:00:00.000Z', 'second');
    const changed = { ...first, text: 'a later copy' };
    expect(texts(mergeChatItems([first, second], [changed]))).toEqual(['first', 'second']);
  });

  it('gives an empty list for no items', () => {
    expect(mergeChatItems([], [])).toEqual([]);
  });
});

describe('senderLabel', () => {
  const t = (key: string, values?: Record<string, string>) =>
    values ? `${key}${JSON.stringify(values)}` : key;
  const from = (
    role: ConsultChatItem['from']['role'],
    name: string | null,
    participantId = CLINICIAN,
    relationship: string | null = null,
  ) => ({
    participantId,
    role,
    name,
    relationship,
  });

  it('calls the reader "You" whatever their role', () => {
    expect(senderLabel(from('clinician', 'Dr. Ada Weber', ME), ME, t)).toBe('chat.sender.you');
    expect(senderLabel(from('patient', null, ME), ME, t)).toBe('chat.sender.you');
  });

  it('names staff by name, the patient by role only, a companion by name and relationship', () => {
    expect(senderLabel(from('clinician', 'Dr. Ada Weber'), ME, t)).toBe('Dr. Ada Weber');
    expect(senderLabel(from('staff', 'Sam Kim'), ME, t)).toBe('Sam Kim');
    expect(senderLabel(from('patient', 'Should not show'), ME, t)).toBe('chat.sender.patient');
    expect(senderLabel(from('companion', 'Jo'), ME, t)).toBe('chat.sender.companion{"name":"Jo"}');
    expect(senderLabel(from('companion', 'Jo', CLINICIAN, 'interpreter'), ME, t)).toBe(
      'chat.sender.companionWithRelationship{"name":"Jo","relationship":"consults.relationships.interpreter"}',
    );
  });

  it('falls back to the role without a name, and before the reader knows their own id', () => {
    expect(senderLabel(from('clinician', null), undefined, t)).toBe('chat.sender.clinician');
    expect(senderLabel(from('staff', null), undefined, t)).toBe('chat.sender.staff');
    expect(senderLabel(from('companion', null), undefined, t)).toBe('chat.sender.companionUnnamed');
  });
});

describe('formatFileSize', () => {
  it('uses bytes, kB and MB in steps of 1024, in the reader language', () => {
    expect(formatFileSize(1, 'en')).toBe('1 byte');
    expect(formatFileSize(820, 'en')).toBe('820 bytes');
    expect(formatFileSize(1024, 'en')).toBe('1 kB');
    expect(formatFileSize(14_541, 'en')).toBe('14.2 kB');
    expect(formatFileSize(3.5 * 1024 * 1024, 'en')).toBe('3.5 MB');
    expect(formatFileSize(CONSULT_FILE_MAX_BYTES, 'en')).toBe('10 MB');
    expect(formatFileSize(14_541, 'de')).toBe('14,2 kB');
    expect(formatFileSize(820, 'de')).toBe('820 Byte');
  });

  it('shows a file just over the limit as over it, not rounded down to it', () => {
    expect(formatFileSize(CONSULT_FILE_MAX_BYTES + 60 * 1024, 'en')).toBe('10.1 MB');
  });
});

describe('fileNameHeader', () => {
  it('percent-encodes the name as UTF-8 so the header stays ASCII', () => {
    const header = fileNameHeader('Befund für Jörg (1).pdf');
    expect(header).toBe('Befund%20f%C3%BCr%20J%C3%B6rg%20(1).pdf');
    expect(header).toMatch(/^[\x21-\x7e]+$/);
    expect(decodeURIComponent(header)).toBe('Befund für Jörg (1).pdf');
  });

  it('leaves no line break or separator that could split or end the header', () => {
    expect(fileNameHeader('a\r\nX-Evil: 1;b.txt')).toBe('a%0D%0AX-Evil%3A%201%3Bb.txt');
  });
});

describe('refuseFileLocally', () => {
  it('refuses empty files and files over the limit before upload', () => {
    expect(refuseFileLocally({ size: 0 })).toBe('chat.errors.fileEmpty');
    expect(refuseFileLocally({ size: CONSULT_FILE_MAX_BYTES + 1 })).toBe(
      'chat.errors.fileTooLarge',
    );
    expect(refuseFileLocally({ size: CONSULT_FILE_MAX_BYTES })).toBeUndefined();
    expect(refuseFileLocally({ size: 1 })).toBeUndefined();
  });
});

describe('charactersLeft', () => {
  it('stays hidden far from the limit and counts down near it', () => {
    expect(charactersLeft('hello')).toBeUndefined();
    expect(charactersLeft('x'.repeat(3599))).toBeUndefined();
    expect(charactersLeft('x'.repeat(3600))).toBe(400);
    expect(charactersLeft('x'.repeat(4000))).toBe(0);
  });
});

describe('FILE_INPUT_ACCEPT', () => {
  it('offers every accepted type and its name endings', () => {
    const accepted = FILE_INPUT_ACCEPT.split(',');
    for (const type of Object.keys(CONSULT_FILE_TYPES)) expect(accepted).toContain(type);
    expect(accepted).toEqual(expect.arrayContaining(['.pdf', '.png', '.jpg', '.jpeg', '.txt']));
  });
});

describe('chatProblemKey', () => {
  const problem = (status: number, code: string): Problem => ({
    type: 'about:blank',
    title: 'x',
    status,
    code,
  });

  it('explains a refused file by its status, whichever code the server uses', () => {
    expect(chatProblemKey(problem(415, 'file_type_not_allowed'), 'share')).toBe(
      'chat.errors.fileType',
    );
    expect(chatProblemKey(problem(415, 'unsupported_media_type'), 'share')).toBe(
      'chat.errors.fileType',
    );
    expect(chatProblemKey(problem(413, 'payload_too_large'), 'share')).toBe(
      'chat.errors.fileTooLarge',
    );
    expect(chatProblemKey(problem(413, 'body_too_large'), 'share')).toBe(
      'chat.errors.fileTooLarge',
    );
  });

  it('says why posting is refused, and reuses the general words for network and rate limits', () => {
    expect(chatProblemKey(problem(403, 'forbidden'), 'send')).toBe('chat.errors.forbidden');
    expect(chatProblemKey(problem(403, 'csrf_failed'), 'share')).toBe('chat.errors.forbidden');
    expect(chatProblemKey(problem(401, 'unauthenticated'), 'load')).toBe(
      'chat.errors.sessionEnded',
    );
    expect(chatProblemKey(problem(429, 'rate_limited'), 'send')).toBe('problems.rate_limited');
    expect(chatProblemKey(problem(0, 'network_error'), 'share')).toBe('problems.network_error');
  });

  it('falls back to words for the action', () => {
    expect(chatProblemKey(problem(500, 'internal_error'), 'load')).toBe('chat.errors.loadFailed');
    expect(chatProblemKey(problem(400, 'validation_failed'), 'send')).toBe(
      'chat.errors.sendFailed',
    );
    expect(chatProblemKey(problem(404, 'not_found'), 'share')).toBe('chat.errors.shareFailed');
  });
});

describe('words for every key the chat builds', () => {
  type Tree = { [key: string]: string | Tree };
  const lookup = (tree: Tree, key: string): unknown =>
    key.split('.').reduce<unknown>((node, part) => (node as Tree | undefined)?.[part], tree);
  const codes = [
    'forbidden',
    'csrf_failed',
    'unauthenticated',
    'rate_limited',
    'network_error',
    'x',
  ];
  const actions: ChatAction[] = ['load', 'send', 'share'];
  const keys = new Set([
    ...Object.values(FILE_TYPE_KEYS),
    'chat.errors.fileEmpty',
    ...actions.flatMap((action) => [
      ...codes.map((code) =>
        chatProblemKey({ type: 'about:blank', title: 'x', status: 400, code }, action),
      ),
      chatProblemKey({ type: 'about:blank', title: 'x', status: 413, code: 'x' }, action),
      chatProblemKey({ type: 'about:blank', title: 'x', status: 415, code: 'x' }, action),
    ]),
  ]);

  it('exist in English and German', () => {
    for (const key of keys) {
      expect(typeof lookup(en, key), key).toBe('string');
      expect(typeof lookup(de, key), key).toBe('string');
    }
  });
});
