import { useTranslation } from 'react-i18next';

/** The server's refusal of the last thing this person did in the room, in their language. */
export function RoomRefusal({ code }: { code: string | undefined }) {
  const { t } = useTranslation();
  if (!code) return null;
  return (
    <p className="error" role="alert">
      {t(`room.refusals.${code}`, { defaultValue: t('room.refusals.other') })}
    </p>
  );
}
