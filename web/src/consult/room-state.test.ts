import { describe, expect, it } from 'vitest';
import { SIGNAL_CLOSE, type RoomParticipant } from '@safeconsult/protocol';
import {
  closeOutcome,
  isPolite,
  peersToConnect,
  reconnectDelay,
  removableInCall,
  waitingList,
  type RoomStateMessage,
} from './room-state.js';

const ME = '00000000-0000-4000-8000-00000000000a';
const DOC = '00000000-0000-4000-8000-00000000000b';
const COMP = '00000000-0000-4000-8000-00000000000c';
const SIS = '00000000-0000-4000-8000-00000000000d';
const AUNT = '00000000-0000-4000-8000-00000000000e';

function person(
  id: string,
  state: RoomParticipant['state'],
  joinedAt = '2026-01-01T10:00:00.000Z',
) {
  return {
    id,
    role: 'companion' as const,
    name: null,
    relationship: null,
    state,
    verifiedBy: 'link' as const,
    joinedAt,
  };
}

function state(
  you: RoomParticipant['state'],
  participants: RoomParticipant[],
  status: RoomStateMessage['status'] = 'open',
): RoomStateMessage {
  return {
    type: 'state',
    status,
    you: { id: ME, state: you },
    participants,
    recording: 'unavailable',
  };
}

describe('peersToConnect', () => {
  it('connects to every other admitted participant once this person is admitted', () => {
    const s = state('admitted', [
      person(ME, 'admitted'),
      person(DOC, 'admitted'),
      person(COMP, 'waiting'),
    ]);
    expect(peersToConnect(s)).toEqual([DOC]);
  });

  it('connects to nobody from the waiting room, or in an ended room', () => {
    expect(
      peersToConnect(state('waiting', [person(ME, 'waiting'), person(DOC, 'admitted')])),
    ).toEqual([]);
    expect(peersToConnect(state('admitted', [person(DOC, 'admitted')], 'ended'))).toEqual([]);
    expect(peersToConnect(undefined)).toEqual([]);
  });

  it('drops those who left and holds the mesh to the room size', () => {
    const s = state('admitted', [
      person(ME, 'admitted'),
      person(DOC, 'admitted'),
      person(COMP, 'left'),
      person(SIS, 'admitted'),
      person(AUNT, 'admitted'),
      person('00000000-0000-4000-8000-00000000000f', 'admitted'),
    ]);
    expect(peersToConnect(s)).toEqual([DOC, SIS, AUNT]);
  });
});

describe('waitingList', () => {
  it('lists the waiting, longest waiting first', () => {
    const s = state('admitted', [
      person(COMP, 'waiting', '2026-01-01T10:05:00.000Z'),
      person(DOC, 'admitted'),
      person(SIS, 'waiting', '2026-01-01T10:01:00.000Z'),
    ]);
    expect(waitingList(s).map((p) => p.id)).toEqual([SIS, COMP]);
  });
});

describe('removableInCall', () => {
  it('lists the admitted patients and companions, not staff and not those waiting or gone', () => {
    const s = state('admitted', [
      { ...person(DOC, 'admitted'), role: 'clinician' },
      { ...person(ME, 'admitted'), role: 'patient' },
      person(COMP, 'admitted'),
      person(SIS, 'waiting'),
      person(AUNT, 'removed'),
    ]);
    expect(removableInCall(s).map((p) => p.id)).toEqual([ME, COMP]);
    expect(removableInCall(undefined)).toEqual([]);
  });
});

describe('isPolite', () => {
  it('makes exactly one side of each pair polite', () => {
    expect(isPolite(ME, DOC)).not.toBe(isPolite(DOC, ME));
  });
});

describe('closeOutcome', () => {
  it('ends the call on the application close codes', () => {
    expect(closeOutcome(SIGNAL_CLOSE.ended)).toBe('ended');
    expect(closeOutcome(SIGNAL_CLOSE.removed)).toBe('removed');
    expect(closeOutcome(SIGNAL_CLOSE.replaced)).toBe('replaced');
    expect(closeOutcome(SIGNAL_CLOSE.sessionEnded)).toBe('sessionEnded');
    expect(closeOutcome(SIGNAL_CLOSE.abuse)).toBe('refused');
    expect(closeOutcome(SIGNAL_CLOSE.notFound)).toBe('refused');
  });

  it('reconnects after a network loss or a server restart', () => {
    expect(closeOutcome(1006)).toBe('reconnect');
    expect(closeOutcome(1001)).toBe('reconnect');
    expect(closeOutcome(1011)).toBe('reconnect');
  });
});

describe('reconnectDelay', () => {
  it('grows with each attempt and stops growing at half a minute', () => {
    const middle = () => 0.5;
    expect(reconnectDelay(0, middle)).toBe(500);
    expect(reconnectDelay(3, middle)).toBe(4000);
    expect(reconnectDelay(50, middle)).toBe(30_000);
  });

  it('spreads clients out by a quarter either way', () => {
    expect(reconnectDelay(2, () => 0)).toBe(1500);
    expect(reconnectDelay(2, () => 1)).toBe(2500);
  });
});
