/** A lab file as text, for showing it: a file the lab does not have reads as empty rather than failing the view that shows it. */
import type { LabSession } from '../runtimes/runtime.ts';

const decoder = new TextDecoder();

export function readLabText(session: Pick<LabSession, 'readFile'>, path: string): Promise<string> {
  return session.readFile(path).then(
    (bytes) => decoder.decode(bytes),
    () => '',
  );
}
