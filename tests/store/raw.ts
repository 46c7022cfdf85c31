/** Reading a store file through a connection of the test's own, as any other program could: the store keeps its handle to itself. */
import Database from 'better-sqlite3';

const withDb = <T>(file: string, fn: (db: Database.Database) => T): T => {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
};

export const rawAll = (file: string, sql: string, ...params: unknown[]): unknown[] => withDb(file, (db) => db.prepare(sql).all(...params));

export const rawGet = (file: string, sql: string, ...params: unknown[]): unknown => withDb(file, (db) => db.prepare(sql).get(...params));
