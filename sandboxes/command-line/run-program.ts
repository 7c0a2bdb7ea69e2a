/**
 * Runs a project program's main (given its arguments, resolving with its exit code) and exits
 * with that code; an error it did not answer itself is printed as one line and exits 1.
 */
export function runProgram(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
