/** `db`: mongosh's database object; unknown properties are collections (`db.users`). */
import type { Document, MongoClient } from 'mongodb';
import { inspect } from 'node:util';
import { collectionProxy, ShellCollection } from './shell-collection.ts';

export class ShellDatabase {
  readonly _client: MongoClient;
  readonly _name: string;

  constructor(client: MongoClient, name: string) {
    this._client = client;
    this._name = name;
  }

  get #db() {
    return this._client.db(this._name);
  }

  getName(): string {
    return this._name;
  }
  getSiblingDB(name: string): ShellDatabase {
    return databaseProxy(new ShellDatabase(this._client, validDatabaseName(name)));
  }
  getCollection(name: string): ShellCollection {
    if (typeof name !== 'string' || name === '') throw new TypeError('getCollection() needs a collection name');
    return collectionProxy(new ShellCollection(this.#db, name));
  }
  async getCollectionNames(): Promise<string[]> {
    const infos = await this.#db.listCollections({}, { nameOnly: true }).toArray();
    return infos.map((info) => info.name).sort();
  }
  async getCollectionInfos(filter: Document = {}): Promise<Document[]> {
    return this.#db.listCollections(filter).toArray();
  }
  async runCommand(command: Document | string): Promise<Document> {
    return this.#db.command(typeof command === 'string' ? { [command]: 1 } : command);
  }
  async adminCommand(command: Document | string): Promise<Document> {
    return this._client.db('admin').command(typeof command === 'string' ? { [command]: 1 } : command);
  }
  async createUser(user: Document): Promise<Document> {
    if (!user || typeof user !== 'object' || typeof user.user !== 'string') throw new TypeError('createUser() needs { user: "name", pwd: "password", roles: [...] }');
    const { user: name, ...rest } = user;
    return this.#db.command({ createUser: name, ...rest, roles: rest.roles ?? [] });
  }
  async dropUser(name: string): Promise<Document> {
    return this.#db.command({ dropUser: name });
  }
  async getUsers(): Promise<Document> {
    return this.#db.command({ usersInfo: 1 });
  }
  async getUser(name: string): Promise<Document | null> {
    const result = await this.#db.command({ usersInfo: name });
    return (result.users as Document[] | undefined)?.[0] ?? null;
  }
  async dropDatabase(): Promise<Document> {
    const result = await this.#db.command({ dropDatabase: 1 });
    return { ok: result.ok, dropped: this._name };
  }
  async stats(): Promise<Document> {
    return this.#db.command({ dbStats: 1 });
  }
  async serverBuildInfo(): Promise<Document> {
    return this.adminCommand({ buildInfo: 1 });
  }
  async version(): Promise<string> {
    return String((await this.adminCommand({ buildInfo: 1 })).version);
  }
  async createCollection(name: string, options: Document = {}): Promise<Document> {
    await this.#db.createCollection(name, options);
    return { ok: 1 };
  }

  toString(): string {
    return this._name;
  }
  [inspect.custom](): string {
    return this._name;
  }
}

export function validDatabaseName(name: unknown): string {
  if (typeof name !== 'string' || name === '' || /[/\\. "$]/.test(name)) {
    throw new TypeError(`invalid database name '${String(name)}': no spaces, dots, slashes, quotes or $`);
  }
  return name;
}

export function databaseProxy(database: ShellDatabase): ShellDatabase {
  return new Proxy(database, {
    get(target, prop, receiver) {
      if (typeof prop === 'symbol' || prop in target || prop === 'then' || prop.startsWith('_')) {
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return target.getCollection(prop);
    },
  });
}
