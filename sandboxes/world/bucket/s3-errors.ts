/**
 * S3's error answers: status code plus the XML body S3 sends (`<Error><Code>…`). Messages are
 * S3's own wording so learners meet the real thing: lessons quote two of them, "Access Denied"
 * (a denied request) and "Request has expired" (a presigned URL past its X-Amz-Expires); see
 * the Amazon S3 API Reference, "Error responses".
 */
import { randomBytes } from 'node:crypto';

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra elements S3 adds after <Message>, in order. */
    readonly details: [string, string][] = [],
  ) {
    super(message);
  }

  toXml(requestId = randomBytes(8).toString('hex').toUpperCase()): string {
    const extra = this.details.map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`).join('');
    return (
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<Error><Code>${this.code}</Code><Message>${escapeXml(this.message)}</Message>${extra}` +
      `<RequestId>${requestId}</RequestId><HostId>${randomBytes(24).toString('base64')}</HostId></Error>`
    );
  }
}

export const accessDenied = (): S3Error => new S3Error(403, 'AccessDenied', 'Access Denied');

export const requestExpired = (expires: number, expiresAt: Date, now: Date): S3Error =>
  new S3Error(403, 'AccessDenied', 'Request has expired', [
    ['X-Amz-Expires', String(expires)],
    ['Expires', s3Time(expiresAt)],
    ['ServerTime', s3Time(now)],
  ]);

/**
 * A presigned URL whose X-Amz-Date is still in the future. S3's own answer: 403 AccessDenied
 * "Request is not yet valid", with X-Amz-Date written as milliseconds since 1970 (S3's odd
 * format, kept as is), Expires and ServerTime.
 */
export const requestNotYetValid = (signedAt: Date, expiresAt: Date, now: Date): S3Error =>
  new S3Error(403, 'AccessDenied', 'Request is not yet valid', [
    ['X-Amz-Date', String(signedAt.getTime())],
    ['Expires', s3Time(expiresAt)],
    ['ServerTime', s3Time(now)],
  ]);

/**
 * A Host that is not this bucket's name, address or localhost. S3 reads any other Host as the
 * name of a bucket (a CNAME to a bucket) and answers NoSuchBucket for it, naming the host.
 */
export const unknownHost = (host: string): S3Error =>
  new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', [['BucketName', host]]);

export const noSuchKey = (key: string): S3Error => new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', [['Key', key]]);

export const noSuchBucket = (bucket: string): S3Error =>
  new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', [['BucketName', bucket]]);

export const signatureDoesNotMatch = (): S3Error =>
  new S3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');

export const invalidAccessKeyId = (id: string): S3Error =>
  new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', [['AWSAccessKeyId', id]]);

export const authorizationQueryError = (message: string): S3Error => new S3Error(400, 'AuthorizationQueryParametersError', message);

export const methodNotAllowed = (method: string): S3Error =>
  new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', [['Method', method], ['ResourceType', 'OBJECT']]);

export const notImplemented = (what: string): S3Error =>
  new S3Error(501, 'NotImplemented', `A header or query you provided implies functionality that is not implemented (this lab bucket does not support ${what}).`);

export const invalidArgument = (message: string, name: string, value: string): S3Error =>
  new S3Error(400, 'InvalidArgument', message, [['ArgumentName', name], ['ArgumentValue', value]]);

export const invalidRange = (): S3Error => new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable');

/** S3's timestamp format in XML: 2017-01-08T12:00:00Z (ISO 8601 without milliseconds). */
export function s3Time(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
