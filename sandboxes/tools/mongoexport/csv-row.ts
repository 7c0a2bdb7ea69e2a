/**
 * mongoexport --type=csv: one column per --fields entry (dotted paths reach into
 * sub-documents), values written the way the real tool writes them: ObjectId(hex), dates in
 * ISO form, sub-documents and arrays as relaxed Extended JSON, quotes only when needed.
 */
import { BSON, type Document } from 'mongodb';
import { valueAtPath } from '../program/field-path.ts';

function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof BSON.ObjectId) return `ObjectId(${value.toHexString()})`;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof BSON.Long || value instanceof BSON.Decimal128) return value.toString();
  return BSON.EJSON.stringify(value as Document, { relaxed: true });
}

function quote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(fields: string[]): string {
  return fields.map(quote).join(',') + '\n';
}

export function csvRow(doc: Document, fields: string[]): string {
  return fields.map((field) => quote(cellText(valueAtPath(doc, field)))).join(',') + '\n';
}
