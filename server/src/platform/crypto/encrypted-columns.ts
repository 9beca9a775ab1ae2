/**
 * Where field ciphertext (`FieldProtection`) is stored, so that key rotation can find and re-seal
 * all of it without knowing the modules. Each module declares its own tables next to the code that
 * encrypts them, reusing the very context functions it encrypts with; the composition root
 * registers the declarations (platform imports no module).
 */

/** One column holding ciphertext, and the associated data its values were sealed with. */
export interface EncryptedColumn<K extends string = string> {
  /** The column's SQL name. */
  name: string;
  /** The encryption context of the value in the row with this key (e.g. `patient.resource:<id>`). */
  context(row: Readonly<Record<K, string>>): string;
}

export interface EncryptedTable<K extends string = string> {
  /** The table's SQL name, optionally schema-qualified (`fhir.resource`). */
  table: string;
  /** The primary key's column(s); their values reach `context` as text. */
  key: readonly K[];
  columns: readonly EncryptedColumn<K>[];
}

/** Declares a table's encrypted columns with the key columns checked by the compiler. */
export function encryptedTable<const K extends string>(
  declaration: EncryptedTable<K>,
): EncryptedTable {
  return declaration;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** The encrypted columns of the whole server, as registered by the composition root. */
export class EncryptedColumnRegistry {
  private readonly tables = new Map<string, EncryptedTable>();

  register(...tables: EncryptedTable[]): this {
    for (const table of tables) {
      const names = [...table.table.split('.'), ...table.key, ...table.columns.map((c) => c.name)];
      const bad = names.find((name) => !IDENTIFIER.test(name));
      if (bad !== undefined) throw new Error(`Not a plain SQL identifier: "${bad}"`);
      if (table.key.length === 0 || table.columns.length === 0) {
        throw new Error(`${table.table}: an encrypted table needs key and encrypted columns`);
      }
      if (this.tables.has(table.table)) {
        throw new Error(`${table.table}: its encrypted columns are registered twice`);
      }
      this.tables.set(table.table, table);
    }
    return this;
  }

  get all(): readonly EncryptedTable[] {
    return [...this.tables.values()];
  }
}
