import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CHAT_MAX_CHARACTERS,
  CONSULT_FILE_MAX_BYTES,
  type ConsultChatItem,
} from '@safeconsult/protocol';
import type { ApiResult } from '../api/http.js';
import {
  charactersLeft,
  chatProblemKey,
  FILE_INPUT_ACCEPT,
  formatFileSize,
  refuseFileLocally,
} from './chat-items.js';

/**
 * The message box and the button that shares a file. Focus stays in the box after a message is
 * sent, so a conversation can go on from the keyboard; a refused message stays in the box to be
 * sent again.
 */
export function ChatComposer({
  send,
  share,
}: {
  send: (text: string) => Promise<ApiResult<ConsultChatItem>>;
  share: (file: File) => Promise<ApiResult<ConsultChatItem>>;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const box = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const sending = useRef(false);
  const [text, setText] = useState('');
  const [errorKey, setErrorKey] = useState<string | undefined>(undefined);
  const [sharing, setSharing] = useState<string | undefined>(undefined);
  const left = charactersLeft(text);
  const maxSize = formatFileSize(CONSULT_FILE_MAX_BYTES, i18n.language);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending.current || text.trim() === '') return;
    sending.current = true;
    setErrorKey(undefined);
    // An answer that breaks the contract throws; the box must still take the next message.
    try {
      const result = await send(text);
      if (result.ok) setText('');
      else setErrorKey(chatProblemKey(result.problem, 'send'));
    } finally {
      sending.current = false;
      box.current?.focus();
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter while an input method composes a word confirms the word, not the message.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    event.currentTarget.form?.requestSubmit();
  }

  async function shareChosen(input: HTMLInputElement) {
    const file = input.files?.[0];
    // Cleared at once, so choosing the same file again after a refusal still counts as a change.
    input.value = '';
    if (!file) return;
    const refusal = refuseFileLocally(file);
    setErrorKey(refusal);
    if (refusal) return;
    setSharing(file.name);
    try {
      const result = await share(file);
      if (!result.ok) setErrorKey(chatProblemKey(result.problem, 'share'));
    } finally {
      setSharing(undefined);
    }
  }

  const described = [`${id}-hint`, left !== undefined && `${id}-left`, errorKey && `${id}-error`]
    .filter(Boolean)
    .join(' ');
  return (
    <form className="chat-composer" onSubmit={(event) => void submit(event)}>
      <div className="field">
        <label htmlFor={`${id}-message`}>{t('chat.messageLabel')}</label>
        <textarea
          id={`${id}-message`}
          ref={box}
          rows={3}
          maxLength={CHAT_MAX_CHARACTERS}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          aria-describedby={described}
        />
        <p className="why" id={`${id}-hint`}>
          {t('chat.enterHint')}
        </p>
        {left !== undefined && (
          <p className="chat-counter" id={`${id}-left`}>
            {t('chat.charactersLeft', { left: String(left) })}
          </p>
        )}
      </div>
      {errorKey && (
        <p className="error" role="alert" id={`${id}-error`}>
          {t(errorKey, { max: maxSize })}
        </p>
      )}
      {sharing && <p role="status">{t('chat.sharing', { name: sharing })}</p>}
      <div className="chat-actions">
        <button type="submit" className="button">
          {t('chat.send')}
        </button>
        <button
          type="button"
          className="button button-secondary"
          disabled={sharing !== undefined}
          onClick={() => picker.current?.click()}
        >
          {t('chat.shareFile')}
        </button>
        <input
          ref={picker}
          type="file"
          hidden
          accept={FILE_INPUT_ACCEPT}
          aria-label={t('chat.shareFile')}
          onChange={(event) => void shareChosen(event.currentTarget)}
        />
      </div>
      <p className="why">{t('chat.fileRules', { max: maxSize })}</p>
      <p className="why chat-stored">{t('chat.storedNote')}</p>
    </form>
  );
}
