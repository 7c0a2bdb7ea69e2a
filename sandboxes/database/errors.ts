/**
 * The one list of error codes the server answers with, named as mongod names them
 * (src/mongo/base/error_codes.yml in the mongodb/mongo repository; "LocationNNNN" for mongod's numbered assertions). Clients
 * branch on `code`, people read `codeName`, so both must be exactly mongod's. Sorted by code.
 */
export const ErrorCode = {
  /** A failure of the server itself (a bug), never of the request. */
  InternalError: 1,
  /** A value of the right type but not an acceptable one. */
  BadValue: 2,
  /** Something went wrong that mongod has no better code for. */
  UnknownError: 8,
  /** A command or operator document that cannot be read (unknown modifier, missing option). */
  FailedToParse: 9,
  /** usersInfo/updateUser/dropUser on a user that does not exist. */
  UserNotFound: 11,
  /** Not logged in, or logged in without the privilege the command needs. */
  Unauthorized: 13,
  /** A field of the wrong BSON type. */
  TypeMismatch: 14,
  /** A document nested deeper than mongod stores (100 levels). */
  Overflow: 15,
  /** A SASL conversation that does not exist. */
  ProtocolError: 17,
  /** SCRAM failed: unknown user or wrong password alike. */
  AuthenticationFailed: 18,
  /** An operation the server does not allow in this state ($out, $merge). */
  IllegalOperation: 20,
  /** Bytes that are not valid BSON. */
  InvalidBSON: 22,
  /** The collection or database does not exist. */
  NamespaceNotFound: 26,
  /** dropIndexes names an index that does not exist. */
  IndexNotFound: 27,
  /** A role that is not one of the built-in roles. */
  RoleNotFound: 31,
  /** Two update operators on the same path. */
  ConflictingUpdateOperators: 40,
  /** getMore/killCursors on a cursor that is gone (or not the caller's). */
  CursorNotFound: 43,
  /** create on a collection that exists. */
  NamespaceExists: 48,
  /** The command ran out of its time budget (server-side JavaScript). */
  MaxTimeMSExpired: 50,
  /** A $-prefixed field where a replacement document was expected. */
  DollarPrefixedFieldName: 52,
  /** An _id of a type that cannot be an _id (an array). */
  InvalidIdField: 53,
  /** An unknown command name. */
  CommandNotFound: 59,
  /** An update that would change _id. */
  ImmutableField: 66,
  /** Options that cannot go together, or a batch that is too large. */
  InvalidOptions: 72,
  /** A database or collection name mongod does not accept. */
  InvalidNamespace: 73,
  /** createIndexes with an existing key under another name. */
  IndexOptionsConflict: 85,
  /** createIndexes with an existing name for another key. */
  IndexKeySpecsConflict: 86,
  /** getLog of a log that does not exist. */
  OperationFailed: 96,
  /** SCRAM mechanism not enabled, or not set up for this user. */
  MechanismUnavailable: 334,
  /** A legacy OP_QUERY that is not a command. */
  UnsupportedOpQueryCommand: 352,
  /** A document over 16 MB. */
  BSONObjectTooLarge: 10334,
  /** A unique index already holds this key. */
  DuplicateKey: 11000,
  /** Unknown aggregation stage. */
  Location40324: 40324,
  /** A pipeline stage where it is not allowed (for example $lookup in an update). */
  Location40414: 40414,
  /** createUser for a user that exists. */
  Location51024: 51024,
  /** $where code that threw or was stopped while running on a document. */
  Location5038802: 5038802,
  /** $where with security.javascriptEnabled: false. */
  Location6108304: 6108304,
  /** $where code that does not compile. */
  Location6108306: 6108306,
} as const;

export type ErrorCodeName = keyof typeof ErrorCode;

/** A command failure: becomes `{ok: 0, errmsg, code, codeName}` on the wire. */
export class CommandError extends Error {
  readonly code: number;
  readonly codeName: string;
  constructor(codeName: ErrorCodeName, errmsg: string) {
    super(errmsg);
    this.code = ErrorCode[codeName];
    this.codeName = codeName;
  }

  toReply(): Record<string, unknown> {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName };
  }
}

/** A malformed message: the connection that sent it is closed, nothing else happens. */
export class ProtocolError extends Error {}
