/**
 * Stops a server cleanly on Ctrl+C or SIGTERM. One Ctrl+C reaches `npm start` two or three
 * times: the terminal signals the whole process group (npm, tsx and node), and npm and tsx
 * relay it to their child again. A second signal must not cut the first shutdown short, or
 * the labs it is stopping are left running; so repeats are ignored, and a time limit ends a
 * shutdown that hangs.
 */
export function shutdownOnSignals(close: () => Promise<void>, options: { timeoutMs?: number; exit?: (code: number) => void } = {}): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => exit(1), options.timeoutMs ?? 15_000).unref();
    close().then(
      () => exit(0),
      () => exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
}
