/**
 * POSIX regular expressions (basic for grep and sed, extended with -E) as JavaScript ones. In
 * a basic expression `\( \) \{ \} \| \+ \?` are the operators and the bare characters are
 * literal; bracket expressions keep their POSIX classes.
 */
const CLASSES: Record<string, string> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: 'A-Za-z0-9', upper: 'A-Z', lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v', blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f',
};

export function posixToJs(pattern: string, extended: boolean): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '[') {
      let j = i + 1;
      let set = '';
      if (pattern[j] === '^') {
        set += '^';
        j++;
      }
      if (pattern[j] === ']') {
        set += '\\]';
        j++;
      }
      while (j < pattern.length && pattern[j] !== ']') {
        const cls = /^\[:([a-z]+):\]/.exec(pattern.slice(j));
        if (cls && CLASSES[cls[1]!]) {
          set += CLASSES[cls[1]!];
          j += cls[0].length;
          continue;
        }
        const ch = pattern[j]!;
        set += ch === '\\' || ch === '[' ? `\\${ch}` : ch;
        j++;
      }
      if (j >= pattern.length) {
        out += '\\[';
        continue;
      }
      out += `[${set}]`;
      i = j;
      continue;
    }
    if (c === '\\') {
      const next = pattern[++i];
      if (next === undefined) {
        out += '\\\\';
        break;
      }
      if (!extended && '(){}|+?'.includes(next)) out += next;
      else if (/[0-9]/.test(next)) out += `\\${next}`;
      else if ('wWsSbB'.includes(next)) out += `\\${next}`;
      else out += /[.*+?^${}()|[\]\\/]/.test(next) ? `\\${next}` : next === 'n' ? '\\n' : next === 't' ? '\\t' : next;
      continue;
    }
    if (!extended && '(){}|+?'.includes(c)) {
      out += `\\${c}`;
      continue;
    }
    if (c === '/') {
      out += '\\/';
      continue;
    }
    if (extended && c === '{' && !/^\{\d+(,\d*)?\}/.test(pattern.slice(i))) {
      out += '\\{';
      continue;
    }
    if (extended && c === '}') {
      const opened = out.lastIndexOf('{');
      out += opened >= 0 && out[opened - 1] !== '\\' && /^\{\d+(,\d*)?$/.test(out.slice(opened)) ? '}' : '\\}';
      continue;
    }
    out += c;
  }
  return out;
}

export function compilePosix(pattern: string, options: { extended: boolean; ignoreCase?: boolean; global?: boolean }): RegExp {
  const source = posixToJs(pattern, options.extended);
  try {
    return new RegExp(source, `${options.ignoreCase ? 'i' : ''}${options.global ? 'g' : ''}`);
  } catch (error) {
    throw new Error(`invalid regular expression '${pattern}': ${(error as Error).message}`);
  }
}
