/**
 * The one list of error codes the server answers with, named as mongod names them
 * (src/mongo/base/error_codes.yml). Clients branch on `code`, people read `codeName`,
 * so both must be exactly mongod's.
 */
export const ErrorCode = {
  InternalError: 1,
  BadValue: 2,
  NoSuchKey: 4,
  FailedToParse: 9,
  UserNotFound: 11,
  Unauthorized: 13,
  TypeMismatch: 14,
  AuthenticationFailed: 18,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  DollarPrefixedFieldName: 52,
  InvalidIdField: 53,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  ProtocolError: 17,
  Location51024: 51024,
  MechanismUnavailable: 334,
  InvalidBSON: 22,
  BSONObjectTooLarge: 10334,
  DuplicateKey: 11000,
  Location40414: 40414,
  Location40324: 40324,
  UnsupportedOpQueryCommand: 352,
  OperationFailed: 96,
  UnknownError: 8,
  RoleNotFound: 31,
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
