import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { DEFAULT_LOCALE, isLocale, LOCALES, type Locale } from '@safeconsult/protocol';
import de from './locales/de.json';
import en from './locales/en.json';

const STORAGE_KEY = 'safeconsult.locale';

function storedLocale(): Locale | undefined {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : undefined;
  } catch {
    return undefined; // storage can be blocked; the choice then lasts for the page only
  }
}

function browserLocale(): Locale | undefined {
  for (const tag of navigator.languages) {
    const language = tag.split('-')[0];
    if (isLocale(language)) return language;
  }
  return undefined;
}

/** The user's own choice wins, then the browser's language; the clinic default comes last. */
export function hasPersonalLocale(): boolean {
  return storedLocale() !== undefined || browserLocale() !== undefined;
}

export async function setupI18n(): Promise<void> {
  i18next.on('languageChanged', (language) => {
    document.documentElement.lang = language;
  });
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, de: { translation: de } },
    lng: storedLocale() ?? browserLocale() ?? DEFAULT_LOCALE,
    fallbackLng: DEFAULT_LOCALE,
    supportedLngs: [...LOCALES],
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
}

export async function chooseLocale(locale: Locale): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // storage blocked: keep the choice for this page only
  }
  await i18next.changeLanguage(locale);
}

export function currentLocale(): Locale {
  return isLocale(i18next.language) ? i18next.language : DEFAULT_LOCALE;
}

export async function applyClinicDefaultLocale(locale: Locale): Promise<void> {
  if (!hasPersonalLocale()) await i18next.changeLanguage(locale);
}
