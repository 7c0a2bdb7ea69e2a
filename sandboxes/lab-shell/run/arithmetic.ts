/**
 * `$(( ... ))` for whole numbers: + - * / % comparisons and parentheses over numbers and
 * variable names. A tiny precedence-climbing evaluator rather than eval, so nothing a learner
 * types inside $(( )) can run as JavaScript.
 */
export function evaluateArithmetic(expr: string, lookup: (name: string) => string | undefined): number {
  const tokens = expr.match(/\d+|[A-Za-z_][A-Za-z0-9_]*|==|!=|<=|>=|&&|\|\||[-+*/%()<>!]/g) ?? [];
  const rest = expr.replace(/\d+|[A-Za-z_][A-Za-z0-9_]*|==|!=|<=|>=|&&|\|\||[-+*/%()<>!]|\s/g, '');
  if (rest) throw new Error(`$((${expr})): the lab shell's arithmetic knows + - * / % ( ) and comparisons`);
  let pos = 0;
  const LEVELS: string[][] = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];
  const apply = (op: string, a: number, b: number): number => {
    switch (op) {
      case '||': return a || b ? 1 : 0;
      case '&&': return a && b ? 1 : 0;
      case '==': return a === b ? 1 : 0;
      case '!=': return a !== b ? 1 : 0;
      case '<': return a < b ? 1 : 0;
      case '>': return a > b ? 1 : 0;
      case '<=': return a <= b ? 1 : 0;
      case '>=': return a >= b ? 1 : 0;
      case '+': return a + b;
      case '-': return a - b;
      case '*': return a * b;
      case '/':
        if (b === 0) throw new Error('division by 0');
        return Math.trunc(a / b);
      default:
        if (b === 0) throw new Error('division by 0');
        return a % b;
    }
  };
  const unary = (): number => {
    const token = tokens[pos++];
    if (token === undefined) throw new Error(`$((${expr})): the expression ends too early`);
    if (token === '-') return -unary();
    if (token === '+') return unary();
    if (token === '!') return unary() ? 0 : 1;
    if (token === '(') {
      const value = binary(0);
      if (tokens[pos++] !== ')') throw new Error(`$((${expr})): missing )`);
      return value;
    }
    if (/^\d+$/.test(token)) return Number(token);
    if (/^[A-Za-z_]/.test(token)) return Number(lookup(token) ?? 0) || 0;
    throw new Error(`$((${expr})): unexpected ${token}`);
  };
  const binary = (level: number): number => {
    if (level >= LEVELS.length) return unary();
    let value = binary(level + 1);
    while (pos < tokens.length && LEVELS[level]!.includes(tokens[pos]!)) {
      const op = tokens[pos++]!;
      value = apply(op, value, binary(level + 1));
    }
    return value;
  };
  if (tokens.length === 0) return 0;
  const value = binary(0);
  if (pos < tokens.length) throw new Error(`$((${expr})): unexpected ${tokens[pos]}`);
  return value;
}
