import {
  CHAT_MAX_CHARACTERS,
  CONSULT_FILE_MAX_BYTES,
  CONSULT_FILE_TYPES,
  type ConsultChatItem,
  type ConsultFileType,
  type Problem,
} from '@safeconsult/protocol';

/**
 * The consult's chat as one list: the history, what this browser sent, and what the room's socket
 * delivered. The same item can arrive by two of these ways (a sent message comes back over the
 * socket), so each id appears once; the list runs oldest first by `sentAt`, and items sent at the
 * same instant keep the order they arrived in.
 */
export function mergeChatItems(
  ...sources: readonly (readonly ConsultChatItem[])[]
): ConsultChatItem[] {
  const byId = new Map<string, ConsultChatItem>();
  for (const source of sources)
    for (const item of source) if (!byId.has(item.id)) byId.set(item.id, item);
  return [...byId.values()].sort((a, b) => Date.parse(a.sentAt) - Date.parse(b.sentAt));
}

/** What `t` of react-i18next is used for here: a key and the values it names. */
export type Translate = (key: string, values?: Record<string, string>) => string;

/**
 * Who wrote a line, as the reader sees it: their own lines as "You", staff by name, the patient by
 * role only (the room never shows the patient's name), a companion by name and relationship.
 */
export function senderLabel(
  from: ConsultChatItem['from'],
  myParticipantId: string | undefined,
  t: Translate,
): string {
  if (from.participantId === myParticipantId) return t('chat.sender.you');
  switch (from.role) {
    case 'patient':
      return t('chat.sender.patient');
    case 'companion':
      if (!from.name) return t('chat.sender.companionUnnamed');
      return from.relationship
        ? t('chat.sender.companionWithRelationship', {
            name: from.name,
            relationship: t(`consults.relationships.${from.relationship}`),
          })
        : t('chat.sender.companion', { name: from.name });
    case 'clinician':
      return from.name ?? t('chat.sender.clinician');
    case 'staff':
      return from.name ?? t('chat.sender.staff');
  }
}

const KIB = 1024;

/**
 * A file size for people: "820 bytes", "14.2 kB", "3.5 MB" in the reader's language. Steps of 1024,
 * so the 10 MiB limit reads as "10 MB" and a file the browser lists at that size is not refused as
 * larger than what the limit says.
 */
export function formatFileSize(bytes: number, locale: string): string {
  const [value, unit] =
    bytes < KIB
      ? [bytes, 'byte']
      : bytes < KIB * KIB
        ? [bytes / KIB, 'kilobyte']
        : [bytes / (KIB * KIB), 'megabyte'];
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit,
    unitDisplay: unit === 'byte' ? 'long' : 'short',
    maximumFractionDigits: unit === 'byte' ? 0 : 1,
  }).format(value);
}

/** Words for each accepted kind of file, for the line that shows a shared file. */
export const FILE_TYPE_KEYS: Record<ConsultFileType, string> = {
  'application/pdf': 'chat.fileTypes.pdf',
  'image/png': 'chat.fileTypes.png',
  'image/jpeg': 'chat.fileTypes.jpeg',
  'text/plain': 'chat.fileTypes.text',
};

/** What the file picker offers: the accepted types and their usual name endings. */
export const FILE_INPUT_ACCEPT = Object.entries(CONSULT_FILE_TYPES)
  .flatMap(([type, ending]) => (ending === 'jpg' ? [type, '.jpg', '.jpeg'] : [type, `.${ending}`]))
  .join(',');

/**
 * The `X-File-Name` header for an upload. Header values must be Latin-1, and names are not (a
 * patient's "Befund für Jörg.pdf"), so the name travels percent-encoded as UTF-8.
 */
export function fileNameHeader(name: string): string {
  return encodeURIComponent(name);
}

/** Why a file is not sent at all: checked in the browser before any byte leaves it. */
export function refuseFileLocally(file: { size: number }): string | undefined {
  if (file.size === 0) return 'chat.errors.fileEmpty';
  if (file.size > CONSULT_FILE_MAX_BYTES) return 'chat.errors.fileTooLarge';
  return undefined;
}

/** The counter shows once a message comes this close to the limit. */
const COUNTER_FROM = CHAT_MAX_CHARACTERS - 400;

/** Characters left in a message, or undefined while it is far from the limit. */
export function charactersLeft(text: string): number | undefined {
  return text.length >= COUNTER_FROM ? CHAT_MAX_CHARACTERS - text.length : undefined;
}

export type ChatAction = 'load' | 'send' | 'share';

const FALLBACK_KEYS: Record<ChatAction, string> = {
  load: 'chat.errors.loadFailed',
  send: 'chat.errors.sendFailed',
  share: 'chat.errors.shareFailed',
};

/**
 * A refusal in plain language. The status decides for the size and type of a file, whichever code
 * the server names them by; the server's own `detail` is not shown, since it is written for the
 * clinic's staff and in English.
 */
export function chatProblemKey(problem: Problem, action: ChatAction): string {
  if (problem.status === 415) return 'chat.errors.fileType';
  if (problem.status === 413) return 'chat.errors.fileTooLarge';
  switch (problem.code) {
    case 'unauthenticated':
      return 'chat.errors.sessionEnded';
    case 'forbidden':
    case 'csrf_failed':
      return 'chat.errors.forbidden';
    case 'rate_limited':
    case 'network_error':
      return `problems.${problem.code}`;
    default:
      return FALLBACK_KEYS[action];
  }
}
