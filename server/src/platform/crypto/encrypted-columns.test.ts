import { describe, expect, it } from 'vitest';
import { EncryptedColumnRegistry, encryptedTable } from './encrypted-columns.js';

const notes = encryptedTable({
  table: 'chat_message',
  key: ['room_id', 'seq'],
  columns: [{ name: 'body', context: ({ room_id, seq }) => `chat_message.body:${room_id}/${seq}` }],
});

describe('the registry of encrypted columns', () => {
  it('holds what modules register, with the context each row was sealed with', () => {
    const registry = new EncryptedColumnRegistry().register(notes);
    const [table] = registry.all;
    expect(table?.table).toBe('chat_message');
    expect(table?.columns[0]?.context({ room_id: 'r1', seq: '7' })).toBe('chat_message.body:r1/7');
  });

  it('refuses a table registered twice, and names that are not plain identifiers', () => {
    expect(() => new EncryptedColumnRegistry().register(notes, notes)).toThrow(/registered twice/);
    const bad = (table: string, key: string, column: string) =>
      encryptedTable({ table, key: [key], columns: [{ name: column, context: () => 'c' }] });
    for (const declaration of [
      bad('patient; drop table patient', 'id', 'resource'),
      bad('patient', 'Id', 'resource'),
      bad('patient', 'id', 'resource"'),
    ]) {
      expect(() => new EncryptedColumnRegistry().register(declaration)).toThrow(/plain SQL/);
    }
    expect(() =>
      new EncryptedColumnRegistry().register({ table: 'patient', key: [], columns: [] }),
    ).toThrow(/needs key and encrypted columns/);
  });

  it('takes schema-qualified tables', () => {
    const fhir = encryptedTable({
      table: 'fhir.resource',
      key: ['id'],
      columns: [{ name: 'content', context: ({ id }) => `fhir.resource.content:${id}` }],
    });
    expect(new EncryptedColumnRegistry().register(fhir).all).toHaveLength(1);
  });
});
