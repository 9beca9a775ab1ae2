import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import type { ConsultChatItem } from '@safeconsult/protocol';
import de from '../i18n/locales/de.json';
import en from '../i18n/locales/en.json';
import { ChatLine } from './chat-line.js';
import { ChatPanel } from './chat-panel.js';

/**
 * The markup the chat renders, without a browser: what an item becomes (text stays text, a file
 * stays a download) and the names and roles assistive technology relies on.
 */
const i18n = i18next.createInstance();
await i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, de: { translation: de } },
  lng: 'en',
  interpolation: { escapeValue: false },
});

const APPOINTMENT = '3f0e9a52-7c1d-4b8e-a2f4-5d6c7b8a9e01';
const ME = '6f1c2b7e-1a2b-4c3d-8e4f-000000000001';
const base = {
  id: '0b6d0a6e-5a3c-4d2e-9f10-000000000001',
  sentAt: '2026-11-25T10:00:00.000Z',
  from: { participantId: ME, role: 'patient', name: null, relationship: null },
} as const;

function line(item: ConsultChatItem, myParticipantId: string | undefined) {
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <ChatLine item={item} appointmentId={APPOINTMENT} myParticipantId={myParticipantId} />
    </I18nextProvider>,
  );
}

describe('ChatLine', () => {
  it('renders a message as text, never as markup', () => {
    const html = line({ ...base, kind: 'text', text: '<img src=x onerror=alert(1)>' }, ME);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('>You<');
    expect(html).toContain('dateTime="2026-11-25T10:00:00.000Z"');
  });

  it('offers a file only as a download link named by the file, with its type and size', () => {
    const html = line(
      {
        ...base,
        kind: 'file',
        file: {
          id: '8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d',
          name: 'scan.png',
          contentType: 'image/png',
          size: 2_621_440,
        },
      },
      undefined,
    );
    const link = /<a [^>]*>(.*?)<\/a>/.exec(html);
    expect(link?.[0]).toContain(
      `href="/api/consults/${APPOINTMENT}/files/8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d"`,
    );
    expect(link?.[0]).toContain('download="scan.png"');
    // The link's text is its accessible name.
    expect(link?.[1]?.replace(/<[^>]+>/g, '')).toBe('scan.png (PNG image, 2.5 MB)');
    expect(html).not.toMatch(/<(img|iframe|object|embed)\b/);
    expect(html).toContain('>Patient<');
  });
});

describe('ChatPanel', () => {
  it('is a labelled region with a labelled message box, a file picker and the storage note', () => {
    const html = renderToStaticMarkup(
      <I18nextProvider i18n={i18n}>
        <ChatPanel appointmentId={APPOINTMENT} csrfToken="t" myParticipantId={ME} liveItems={[]} />
      </I18nextProvider>,
    );
    const heading = /<h2 id="([^"]+)">Chat and files<\/h2>/.exec(html);
    expect(heading).not.toBeNull();
    expect(html).toContain(`<section class="chat-panel" aria-labelledby="${heading?.[1]}">`);
    // Until the history is in, a status says so; the log appears with it.
    expect(html).toContain('role="status"');
    const label = /<label for="([^"]+)">Message<\/label>/.exec(html);
    expect(html).toContain(`<textarea id="${label?.[1]}"`);
    expect(html).toContain('maxLength="4000"');
    expect(html).toMatch(/<input [^>]*type="file"[^>]*accept="application\/pdf,\.pdf,/);
    expect(html).toContain('stored encrypted');
  });
});
