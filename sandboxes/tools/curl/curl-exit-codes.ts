/** curl's own exit codes (see `man curl`, EXIT CODES) for the cases this subset can hit. */
export const CURL_EXIT = {
  ok: 0,
  unsupportedProtocol: 1,
  usage: 2,
  malformedUrl: 3,
  couldNotResolveHost: 6,
  couldNotConnect: 7,
  httpError: 22,
  writeError: 23,
  timeout: 28,
  tooManyRedirects: 47,
  emptyReply: 52,
  receiveError: 56,
} as const;

export class CurlError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}
