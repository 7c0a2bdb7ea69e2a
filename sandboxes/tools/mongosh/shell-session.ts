/**
 * One shell session: the connection, the current database, the cursor `it` continues, and a
 * node:vm context holding `db`, `use`, `show`, `print` and the BSON helpers. Input is split
 * into shell commands (`use x`, `show dbs`, `it`, `exit`) and JavaScript, which is rewritten
 * (async-rewrite.ts) and run with its promises awaited, as mongosh does.
 */
import { BSON as bson } from 'mongodb';
import type { Document, MongoClient } from 'mongodb';
import { rewriteForShell } from './async-rewrite.ts';
import { createEvaluator, type Evaluator, type EvaluatorKind } from './evaluator.ts';
import { formatBytes, formatTable, formatValue } from './format-output.ts';
import { ShellCursor } from './shell-cursor.ts';
import { databaseProxy, ShellDatabase, validDatabaseName } from './shell-database.ts';

/** Thrown by exit()/quit(); the caller ends the shell with the code. */
export class ShellExit extends Error {
  constructor(readonly code: number) {
    super('exit');
  }
}

/** A value the evaluator already printed itself (a cursor page, a table). */
const PRINTED = Symbol('printed');

export interface SessionOutput {
  (text: string): void;
}

export class ShellSession {
  readonly client: MongoClient;
  #db: ShellDatabase;
  #cursor: ShellCursor | undefined;
  readonly #evaluator: Evaluator;
  readonly #print: SessionOutput;
  readonly #colors: boolean;

  constructor(client: MongoClient, dbName: string, print: SessionOutput, colors = false, evaluator: EvaluatorKind = 'vm') {
    this.client = client;
    this.#db = databaseProxy(new ShellDatabase(client, dbName));
    this.#print = print;
    this.#colors = colors;
    this.#evaluator = createEvaluator(this.#globals(), evaluator);
  }

  get evaluatorKind(): EvaluatorKind {
    return this.#evaluator.kind;
  }

  get dbName(): string {
    return this.#db.getName();
  }

  #globals(): Record<string, unknown> {
    const session = this;
    // print() returns undefined as in mongosh, so `--eval 'print(x)'` shows no result line after it.
    const printValues = (...values: unknown[]): void => {
      this.#print(values.map((value) => formatValue(value, { colors: this.#colors })).join(' '));
    };
    const globals: Record<string, unknown> = {
      print: printValues,
      printjson: (value: unknown): void => {
        this.#print(formatValue(value, { colors: this.#colors, fullDepth: true }));
      },
      console: { log: printValues, error: printValues, info: printValues, warn: printValues },
      use: (name: string) => this.use(name),
      show: (what: string, arg?: string) => this.show(what, arg),
      exit: (code = 0) => {
        throw new ShellExit(Number(code) || 0);
      },
      sleep: (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)),
      version: () => '2.12.0',
      // Dates made in the shell must be this realm's Date, so they print as ISODate('...').
      Date,
      ISODate: (value?: string | number) => (value === undefined ? new Date() : new Date(value)),
      ObjectId: (value?: string) => new bson.ObjectId(value),
      NumberLong: (value: string | number = 0) => bson.Long.fromString(String(value)),
      NumberInt: (value: string | number = 0) => new bson.Int32(Number(value)),
      NumberDecimal: (value: string | number = '0') => bson.Decimal128.fromString(String(value)),
      UUID: (value?: string) => new bson.UUID(value),
      Long: bson.Long,
      Int32: bson.Int32,
      Double: bson.Double,
      Decimal128: bson.Decimal128,
      Binary: bson.Binary,
      Timestamp: bson.Timestamp,
      MinKey: bson.MinKey,
      MaxKey: bson.MaxKey,
      BSONRegExp: bson.BSONRegExp,
      EJSON: bson.EJSON,
    };
    globals.quit = globals.exit;
    Object.defineProperty(globals, 'db', { get: () => session.#db, set: (value) => (session.#db = value), enumerable: true });
    Object.defineProperty(globals, 'it', { get: () => session.it(), enumerable: true });
    return globals;
  }

  use(name: string): typeof PRINTED {
    const valid = validDatabaseName(name);
    if (valid === this.dbName) {
      this.#print(`already on db ${valid}`);
    } else {
      this.#db = databaseProxy(new ShellDatabase(this.client, valid));
      this.#print(`switched to db ${valid}`);
    }
    return PRINTED;
  }

  async show(what: string, _arg?: string): Promise<typeof PRINTED> {
    switch (what) {
      case 'dbs':
      case 'databases': {
        const result = await this.client.db('admin').command({ listDatabases: 1 });
        const databases = (result.databases as Document[]).map((db) => [String(db.name), formatBytes(Number(db.sizeOnDisk ?? 0))] as [string, string]);
        this.#print(formatTable(databases));
        return PRINTED;
      }
      case 'collections':
      case 'tables': {
        const names = await this.#db.getCollectionNames();
        if (names.length) this.#print(names.join('\n'));
        return PRINTED;
      }
      case 'users': {
        const result = await this.#db.getUsers();
        this.#print(formatValue(result.users, { colors: this.#colors, fullDepth: true }));
        return PRINTED;
      }
      default:
        throw new SyntaxError(`'${what}' is not a valid argument for "show": try show dbs, show collections, show users`);
    }
  }

  async it(): Promise<typeof PRINTED> {
    if (!this.#cursor) {
      this.#print('no cursor');
      return PRINTED;
    }
    await this.#printCursorPage(this.#cursor);
    return PRINTED;
  }

  async #printCursorPage(cursor: ShellCursor): Promise<void> {
    const { documents, hasMore } = await cursor.nextPage();
    this.#cursor = hasMore ? cursor : undefined;
    if (documents.length === 0) return;
    let text = formatValue(documents, { colors: this.#colors, fullDepth: true });
    if (hasMore) text += '\nType "it" for more';
    this.#print(text);
  }

  /** A line that is a shell command rather than JavaScript: `use x`, `show dbs`, `it`, `exit`. */
  static commandOf(line: string): { name: string; args: string[] } | undefined {
    const match = /^\s*(use|show|it|exit|quit|help)(?:\s+([^;()]*?))?\s*;?\s*$/.exec(line);
    if (!match) return undefined;
    const args = (match[2] ?? '').split(/\s+/).filter(Boolean);
    if ((match[1] === 'use' && args.length !== 1) || (match[1] === 'show' && args.length < 1)) return undefined;
    if ((match[1] === 'it' || match[1] === 'help') && args.length) return undefined;
    return { name: match[1]!, args };
  }

  /**
   * Runs one chunk of input (a REPL entry, an --eval string, a file) and returns the value
   * of its last expression, unprinted. Shell commands run line by line in between.
   */
  async evaluate(source: string, filename = '<shell>'): Promise<unknown> {
    const lines = source.split('\n');
    let pending: string[] = [];
    let result: unknown;
    const flush = async () => {
      if (pending.join('').trim() === '') {
        pending = [];
        return;
      }
      const body = rewriteForShell(pending.join('\n'));
      pending = [];
      result = await this.#evaluator.run(body, filename);
    };
    for (const line of lines) {
      const command = ShellSession.commandOf(line);
      if (!command) {
        pending.push(line);
        continue;
      }
      await flush();
      result = await this.#runCommand(command.name, command.args);
    }
    await flush();
    return result;
  }

  async #runCommand(name: string, args: string[]): Promise<unknown> {
    switch (name) {
      case 'use':
        return this.use(args[0]!);
      case 'show':
        return this.show(args[0]!, args[1]);
      case 'it':
        return this.it();
      case 'exit':
      case 'quit':
        throw new ShellExit(Number(args[0] ?? 0) || 0);
      default:
        this.#print(SHELL_HELP);
        return PRINTED;
    }
  }

  /** Prints a result the way mongosh's REPL does; cursors print their first page. */
  async printResult(value: unknown): Promise<void> {
    if (value === PRINTED || value === undefined) return;
    if (value instanceof ShellCursor) {
      await this.#printCursorPage(value);
      return;
    }
    this.#print(formatValue(value, { colors: this.#colors, fullDepth: true }));
  }

  /** --json: cursors become their documents, everything else is EJSON as mongosh prints it. */
  async jsonResult(value: unknown, relaxed: boolean): Promise<string | undefined> {
    if (value === PRINTED || value === undefined) return undefined;
    const plain = value instanceof ShellCursor ? await value.toArray() : value;
    return bson.EJSON.stringify(plain as Document, undefined, 2, { relaxed });
  }
}

export const SHELL_HELP = `  Shell commands:
    use <db>                 switch the current database
    show dbs                 list databases with their sizes
    show collections         list the current database's collections
    show users               list the current database's users
    it                       show the next 20 documents of the last cursor
    exit / quit              leave the shell

  Database (db.*): getName(), getSiblingDB(name), getCollection(name), getCollectionNames(),
    runCommand(cmd), adminCommand(cmd), createUser({user, pwd, roles}), getUsers(), dropUser(name),
    dropDatabase()
  Collections (db.<name>.*): find(filter, projection), findOne, countDocuments, aggregate([stages]),
    insertOne, insertMany, updateOne, updateMany, replaceOne, deleteOne, deleteMany, distinct, drop
  Cursors: .limit(n) .skip(n) .sort({field: 1}) .projection({...}) .toArray() .count() .forEach(fn)
  Helpers: print(), printjson(), ObjectId(), ISODate(), NumberLong(), NumberInt(), UUID(), EJSON`;
