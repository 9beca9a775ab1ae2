import { useState } from 'react';

/**
 * Reads the single-use token from the address fragment once and removes it from the address bar,
 * so it stays out of history, bookmarks and screenshots.
 */
export function useLinkToken(): string | undefined {
  const [token] = useState(() => {
    const match = /(?:^#|&)token=([\w-]+)/.exec(window.location.hash);
    if (match) window.history.replaceState(null, '', window.location.pathname);
    return match?.[1];
  });
  return token;
}
