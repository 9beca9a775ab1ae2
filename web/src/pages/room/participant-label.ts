import type { TFunction } from 'i18next';
import type { RoomParticipant } from '@safeconsult/protocol';

/** How a participant is named in the room: their name where known, else their role. */
export function participantLabel(t: TFunction, person: RoomParticipant | undefined): string {
  if (!person) return t('room.someone');
  const role = t(`room.roles.${person.role}`);
  if (!person.name) return role;
  return person.relationship
    ? t('room.nameWithRelationship', {
        name: person.name,
        relationship: t(`consults.relationships.${person.relationship}`),
      })
    : t('room.nameWithRole', { name: person.name, role });
}
