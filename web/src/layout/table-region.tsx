import type { ReactNode } from 'react';

/**
 * A wide table scrolls sideways in its own box on a narrow screen instead of widening the page
 * (WCAG 1.4.10). The box is a named region that takes the focus, so a keyboard can scroll it too.
 */
export function TableRegion({ captionId, children }: { captionId: string; children: ReactNode }) {
  return (
    <div className="table-region" role="region" aria-labelledby={captionId} tabIndex={0}>
      {children}
    </div>
  );
}
