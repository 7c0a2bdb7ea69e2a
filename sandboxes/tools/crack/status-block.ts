/** hashcat's status screen, reduced to the lines that teach something about bcrypt. */
export interface CrackStatus {
  state: 'Running' | 'Cracked' | 'Exhausted' | 'Aborted';
  target: string;
  guessBase: string;
  startedAt: number;
  now: number;
  attempts: number;
  plannedAttempts: number;
  recovered: number;
  total: number;
  costs: number[];
  wordIndex: number;
  words: number;
}

const percent = (part: number, whole: number) => (whole === 0 ? '100.00' : ((100 * part) / whole).toFixed(2));

export function formatStatus(status: CrackStatus): string {
  const seconds = Math.max((status.now - status.startedAt) / 1000, 0.001);
  const speed = status.attempts / seconds;
  const cost = status.costs.length === 1 ? `cost ${status.costs[0]} = ${2 ** status.costs[0]!} rounds per guess` : `costs ${status.costs.join(', ')}`;
  const rows: [string, string][] = [
    ['Session', 'crack'],
    ['Status', status.state],
    ['Hash.Mode', '3200 (bcrypt $2*$, Blowfish (Unix))'],
    ['Hash.Target', status.target],
    ['Time.Started', `${new Date(status.startedAt).toUTCString()} (${formatDuration(seconds)} ago)`],
    ['Guess.Base', status.guessBase],
    ['Speed.#1', `${speed < 10 ? speed.toFixed(1) : Math.round(speed)} H/s (${cost}, one salt per hash)`],
    ['Recovered', `${status.recovered}/${status.total} (${percent(status.recovered, status.total)}%) Digests`],
    ['Progress', `${status.attempts}/${status.plannedAttempts} (${percent(status.attempts, status.plannedAttempts)}%) guesses, word ${status.wordIndex}/${status.words}`],
  ];
  return rows.map(([name, value]) => `${name.padEnd(17, '.')}: ${value}`).join('\n');
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} secs`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} mins, ${Math.round(seconds - minutes * 60)} secs`;
}
