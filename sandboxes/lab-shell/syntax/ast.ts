/** The syntax tree of a command line (the bash subset the lab shell runs; see ../README.md). */

export type WordPart =
  | { kind: 'text'; text: string; quoted: boolean }
  | { kind: 'param'; name: string; quoted: boolean; op?: ':-' | '-' | ':=' | ':+' | '#'; arg?: Word }
  | { kind: 'command'; list: List; quoted: boolean }
  | { kind: 'arith'; expr: Word; quoted: boolean }
  | { kind: 'tilde' };

export interface Word {
  parts: WordPart[];
}

export interface Redirect {
  fd: number;
  op: '>' | '>>' | '<' | '>&' | '&>';
  target: Word;
}

export interface Assignment {
  name: string;
  value: Word;
}

export type Command =
  | { kind: 'simple'; assigns: Assignment[]; words: Word[]; redirects: Redirect[] }
  | { kind: 'if'; clauses: { cond: List; body: List }[]; otherwise?: List; redirects: Redirect[] }
  | { kind: 'for'; name: string; items?: Word[]; body: List; redirects: Redirect[] }
  | { kind: 'while'; until: boolean; cond: List; body: List; redirects: Redirect[] }
  | { kind: 'group'; list: List; subshell: boolean; redirects: Redirect[] };

export interface Pipeline {
  negate: boolean;
  commands: Command[];
}

export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
}

export interface List {
  items: { andOr: AndOr; background: boolean }[];
}
