import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallEnd } from '../../consult/room-state.js';

/** Why the call is over, said once and focused so that a screen reader announces it. */
export function CallEndNotice({ reason }: { reason: CallEnd }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="card" role="status" aria-labelledby="call-end-title">
      <h2 id="call-end-title" ref={heading} tabIndex={-1}>
        {t(`room.end.${reason}.title`)}
      </h2>
      <p>{t(`room.end.${reason}.text`)}</p>
    </section>
  );
}
