import path from 'node:path';
import { CONSULT_FILE_TYPES, type ConsultFileType } from '@safeconsult/protocol';

/** Longest file name kept, in characters. */
export const FILE_NAME_MAX = 120;

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const PDF = Buffer.from('%PDF-', 'latin1');

/** Extensions a name may carry for each type; a name without one is taken as it is. */
const EXTENSIONS: Record<ConsultFileType, readonly string[]> = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg', 'jpe'],
  'text/plain': ['txt', 'text', 'log'],
};

const utf8 = new TextDecoder('utf-8', { fatal: true });
// Controls other than tab, line feed and carriage return mark a binary (or deceptive) text.
// eslint-disable-next-line no-control-regex
const TEXT_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function isPlainText(content: Buffer): boolean {
  try {
    return !TEXT_CONTROLS.test(utf8.decode(content));
  } catch {
    return false;
  }
}

/**
 * The type of a file from its first bytes (PDF, PNG or JPEG signatures; otherwise UTF-8 text
 * without control characters), or nothing when it is none of the accepted types.
 */
export function sniffFileType(content: Buffer): ConsultFileType | undefined {
  const starts = (signature: Buffer) => content.subarray(0, signature.length).equals(signature);
  if (starts(PDF)) return 'application/pdf';
  if (starts(PNG)) return 'image/png';
  if (starts(JPEG)) return 'image/jpeg';
  return content.length > 0 && isPlainText(content) ? 'text/plain' : undefined;
}

/** Whether the name's extension claims another type than the content has (`scan.pdf` of HTML). */
export function nameContradicts(name: string, type: ConsultFileType): boolean {
  const extension = path.extname(name).slice(1).toLowerCase();
  return extension !== '' && !EXTENSIONS[type].includes(extension);
}

/**
 * The name a file is kept and offered under: its last path segment, without control or
 * formatting characters (which could disguise an extension), at most FILE_NAME_MAX characters with
 * its extension kept, or a plain name with the type's extension when nothing is left.
 */
export function cleanFileName(raw: string, type: ConsultFileType): string {
  const base = raw.split(/[/\\]/).pop() ?? '';
  const visible = base.replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
  const characters = [...visible];
  if (characters.length === 0 || visible === '.' || visible === '..') {
    return `file.${CONSULT_FILE_TYPES[type]}`;
  }
  if (characters.length <= FILE_NAME_MAX) return visible;
  const extension = [...path.extname(visible)].slice(0, 10);
  return [...characters.slice(0, FILE_NAME_MAX - extension.length), ...extension].join('');
}

/** The readable list of what a consult accepts, for refusals. */
export const ACCEPTED_TYPES = 'PDF, PNG, JPEG or plain text (UTF-8)';
