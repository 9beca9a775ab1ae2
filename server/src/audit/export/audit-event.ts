import type {
  AuditEvent,
  AuditEventAgent,
  AuditEventEntity,
  CodeableConcept,
  Coding,
  Reference,
} from 'fhir/r4.js';
import {
  ACT_CODE_SYSTEM,
  careRelationshipsOf,
  type AuditActorType,
  type AuditCategory,
  type AuditOutcome,
  type ResourceRef,
} from '@safeconsult/protocol';
import type { AuditEntryRow } from '../ledger/entry.js';
import { actionCodeOf, eventTypeOf, SYSTEMS, type ActionCode } from './audit-event-codes.js';

/** Who observed and recorded the events: this SafeConsult server, by its public address. */
export interface Observer {
  publicUrl: string;
  /** Staff names by account id, for people reading the export; the ids stay the key. */
  staffNames: ReadonlyMap<string, string>;
}

const SOFTWARE = 'SafeConsult';
const concept = (coding: Coding): CodeableConcept => ({ coding: [coding] });
const codeIn = (system: string, code: string, display?: string): Coding => ({
  system,
  code,
  ...(display ? { display } : {}),
});
const serverIdentity = (o: Observer): Reference => ({
  identifier: { system: 'urn:ietf:rfc:3986', value: o.publicUrl },
  display: SOFTWARE,
});
const staffReference = (id: string, o: Observer): Reference => ({
  reference: `Practitioner/${id}`,
  ...(o.staffNames.has(id) ? { display: o.staffNames.get(id) } : {}),
});

/**
 * One ledger entry as a FHIR R4 AuditEvent, after IHE BALP: the event's type and subtypes, the
 * requesting agent (with role, address and the policies that decided) beside the server, this
 * server as the observing source, and the entities: the patient, what was touched, the request's
 * id and the entry's position in the ledger with its leaf hash, so a SIEM can ask for a proof.
 */
export function toAuditEvent(row: AuditEntryRow, observer: Observer): AuditEvent {
  const category = row.category as AuditCategory;
  const { type, subtype } = eventTypeOf(category, row.action);
  const action = actionCodeOf(category, row.action);
  const relationships = careRelationshipsOf(row.policies ?? []);
  return {
    resourceType: 'AuditEvent',
    id: String(row.sequence),
    type,
    subtype: [...(subtype ? [subtype] : []), codeIn(SYSTEMS.action, row.action)],
    action,
    recorded: row.at.toISOString(),
    ...outcomeOf(row.outcome as AuditOutcome),
    ...(relationships.length > 0
      ? {
          purposeOfEvent: [
            concept(
              relationships.includes('emergency')
                ? codeIn(SYSTEMS.actReason, 'ETREAT', 'Emergency Treatment')
                : codeIn(SYSTEMS.actReason, 'TREAT', 'treatment'),
            ),
          ],
        }
      : {}),
    agent: [requestorOf(row, action, observer), serverAgent(observer)],
    source: {
      observer: serverIdentity(observer),
      type: [codeIn(SYSTEMS.sourceType, '4', 'Application Server')],
    },
    entity: entitiesOf(row, observer),
  };
}

/** 0 success, 4 minor failure: a refusal or a failed attempt is the system working as meant. */
function outcomeOf(outcome: AuditOutcome): Pick<AuditEvent, 'outcome' | 'outcomeDesc'> {
  switch (outcome) {
    case 'allowed':
    case 'succeeded':
      return { outcome: '0' };
    case 'refused':
      return { outcome: '4', outcomeDesc: 'Refused by the access policy' };
    case 'failed':
      return { outcome: '4', outcomeDesc: 'The attempt failed' };
  }
}

/** BALP's user agent types: a recipient of what it read, an agent of what it changed. */
function userAgentType(action: ActionCode): Coding {
  return action === 'R' || action === 'E'
    ? codeIn(SYSTEMS.participationType, 'IRCP', 'information recipient')
    : codeIn(SYSTEMS.roleClass, 'AGNT', 'agent');
}

function requestorOf(row: AuditEntryRow, action: ActionCode, o: Observer): AuditEventAgent {
  const agent: AuditEventAgent = {
    requestor: true,
    ...(row.address ? { network: { address: row.address, type: '2' as const } } : {}),
    ...(row.policies && row.policies.length > 0
      ? {
          policy: row.policies.map(
            (id) => `urn:safeconsult:access-policy:${row.policyVersion ?? 0}:${id}`,
          ),
        }
      : {}),
  };
  const id = row.actorId;
  switch (row.actorType as AuditActorType) {
    case 'staff':
      return {
        ...agent,
        type: concept(userAgentType(action)),
        ...(id ? { who: staffReference(id, o) } : {}),
        ...(row.actorRole ? { role: [concept(codeIn(SYSTEMS.staffRole, row.actorRole))] } : {}),
      };
    case 'participant': {
      // A patient acts as themself; a companion is known by their consult session only.
      const asPatient = row.actorRole === 'patient' && row.patientId;
      return {
        ...agent,
        type: concept(
          asPatient ? codeIn(SYSTEMS.roleClass, 'PAT', 'patient') : userAgentType(action),
        ),
        who: asPatient
          ? { reference: `Patient/${row.patientId}` }
          : { identifier: { system: SYSTEMS.participantSession, value: id ?? 'unknown' } },
        ...(id ? { altId: id } : {}),
        ...(row.actorRole
          ? { role: [concept(codeIn(SYSTEMS.participantKind, row.actorRole))] }
          : {}),
      };
    }
    case 'anonymous':
      return { ...agent, type: concept(userAgentType(action)), name: 'not signed in' };
    case 'system':
      return {
        ...agent,
        type: concept(codeIn(SYSTEMS.dicom, '110150', 'Application')),
        who: serverIdentity(o),
      };
    case 'client':
      // Another system with a token of its own, known by its registered client id.
      return {
        ...agent,
        type: concept(codeIn(SYSTEMS.dicom, '110150', 'Application')),
        who: { identifier: { system: SYSTEMS.systemClient, value: id ?? 'unknown' } },
      };
  }
}

const serverAgent = (o: Observer): AuditEventAgent => ({
  type: concept(codeIn(SYSTEMS.dicom, '110152', 'Destination Role ID')),
  who: serverIdentity(o),
  requestor: false,
});

const entityType = (code: '1' | '2' | '4', display: string) =>
  codeIn(SYSTEMS.entityType, code, display);
const objectRole = (code: string, display: string) => codeIn(SYSTEMS.objectRole, code, display);

function entitiesOf(row: AuditEntryRow, o: Observer): AuditEventEntity[] {
  const entities: AuditEventEntity[] = [];
  if (row.patientId) {
    entities.push({
      what: { reference: `Patient/${row.patientId}` },
      type: entityType('1', 'Person'),
      role: objectRole('1', 'Patient'),
    });
  }
  if (row.resource && row.resource.type !== 'Patient')
    entities.push(resourceEntity(row.resource, o));
  if (row.subjectUserId) {
    entities.push({
      what: staffReference(row.subjectUserId, o),
      type: entityType('1', 'Person'),
      role: objectRole('11', 'Security User Entity'),
    });
  }
  if (row.requestId) {
    entities.push({
      what: { identifier: { value: row.requestId } },
      type: codeIn(SYSTEMS.balpEntityType, 'XrequestId', 'X-Request-Id'),
    });
  }
  entities.push({
    what: { identifier: { system: SYSTEMS.ledger, value: String(row.sequence) } },
    type: entityType('4', 'Other'),
    name: 'audit ledger entry',
    detail: [
      { type: 'category', valueString: row.category },
      ...(row.leafHash
        ? [{ type: 'leafHash', valueBase64Binary: row.leafHash.toString('base64') }]
        : []),
      ...Object.entries(row.detail ?? {}).map(([key, value]) => ({
        type: key,
        valueString: String(value),
      })),
    ],
  });
  return entities;
}

/** What the request touched, other than the patient: a section, a consult, an account, a setting. */
function resourceEntity(
  ref: Exclude<ResourceRef, { type: 'Patient' }>,
  o: Observer,
): AuditEventEntity {
  switch (ref.type) {
    case 'RecordSection':
      return {
        what: {
          identifier: {
            system: `${SYSTEMS.resource}:RecordSection`,
            value: `${ref.patientId}/${ref.section}`,
          },
        },
        type: entityType('2', 'System Object'),
        role: objectRole('4', 'Domain Resource'),
        detail: [{ type: 'section', valueString: ref.section }],
        ...(ref.labels && ref.labels.length > 0
          ? { securityLabel: ref.labels.map((label) => codeIn(ACT_CODE_SYSTEM, label)) }
          : {}),
      };
    case 'Appointment':
      return {
        what: { reference: `Appointment/${ref.id}` },
        type: entityType('2', 'System Object'),
        role: objectRole('4', 'Domain Resource'),
      };
    case 'User':
      return {
        what: staffReference(ref.id, o),
        type: entityType('1', 'Person'),
        role: objectRole('11', 'Security User Entity'),
      };
    case 'Settings':
    case 'Directory':
    case 'AuditLog':
    case 'ResearchDataset':
      return {
        what: { identifier: { system: `${SYSTEMS.resource}:${ref.type}`, value: ref.id } },
        type: entityType('2', 'System Object'),
      };
  }
}

/** The staff accounts an AuditEvent names (actor, account concerned), whose names it shows. */
export const staffIdsOf = (rows: readonly AuditEntryRow[]) => [
  ...new Set(
    rows.flatMap((r) => [
      ...(r.actorType === 'staff' && r.actorId ? [r.actorId] : []),
      ...(r.subjectUserId ? [r.subjectUserId] : []),
      ...(r.resource?.type === 'User' ? [r.resource.id] : []),
    ]),
  ),
];
