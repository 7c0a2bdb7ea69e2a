/**
 * Lets the learner write `db.users.findOne().email` although the driver is asynchronous, the
 * way mongosh's async rewriter does, in a much smaller form: every call outside a function
 * body is awaited (awaiting a value that is not a promise just returns it), top-level
 * declarations become assignments so variables survive to the next line, and the last
 * expression's value is returned. Parsing uses acorn, the parser mongosh's rewriter also uses.
 */
import { parse, type Node } from 'acorn';
import { SCOPE } from './evaluator.ts';

type AnyNode = Node & { [key: string]: unknown };

export class IncompleteInputError extends SyntaxError {}

/** Holds the value of the last expression statement run; returned as the entry's result. */
export const COMPLETION = '__shellCompletion';

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'ClassBody']);

function isNode(value: unknown): value is AnyNode {
  return !!value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string' && typeof (value as { start?: unknown }).start === 'number';
}

function childNodes(node: AnyNode): AnyNode[] {
  const children: AnyNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'type' || key === 'start' || key === 'end' || key === 'loc' || key === 'range') continue;
    if (Array.isArray(value)) for (const item of value) if (isNode(item)) children.push(item);
    if (isNode(value)) children.push(value);
  }
  return children.sort((a, b) => a.start - b.start);
}

/** The node's source with its children rewritten; calls get `(await ...)` when awaitable. */
function emit(source: string, node: AnyNode, insideFunction: boolean, parentType?: string): string {
  // `{ i }` has key and value on the same source range: emitting both would print `ii`.
  if (node.type === 'Property' && node.shorthand === true) return source.slice(node.start, node.end);
  if (node.type === 'ExpressionStatement' && !insideFunction) {
    // The entry's value is the last expression statement run, at any depth (`for (...) x()`
    // shows the last x()), as JavaScript's completion value and mongosh's REPL have it.
    return `${COMPLETION} = (${emit(source, node.expression as AnyNode, false, node.type)});`;
  }
  const inFunction = insideFunction || FUNCTION_TYPES.has(node.type);
  let out = '';
  let cursor = node.start;
  for (const child of childNodes(node)) {
    out += source.slice(cursor, child.start);
    out += emit(source, child, inFunction, node.type);
    cursor = child.end;
  }
  out += source.slice(cursor, node.end);
  const awaitable =
    !insideFunction &&
    ((node.type === 'CallExpression' && parentType !== 'ChainExpression') ||
      (node.type === 'ChainExpression' && (node.expression as AnyNode).type === 'CallExpression'));
  return awaitable ? `(await ${out})` : out;
}

/** Rewrites one input into the body of an async function whose return value is the result. */
export function rewriteForShell(source: string): string {
  let program: AnyNode;
  try {
    program = parse(source, { ecmaVersion: 'latest', sourceType: 'script', allowAwaitOutsideFunction: true, allowReturnOutsideFunction: true }) as unknown as AnyNode;
  } catch (error) {
    const err = error as SyntaxError & { pos?: number };
    // An error at the very end means the input stops mid-statement: the REPL asks for more.
    if (typeof err.pos === 'number' && err.pos >= source.trimEnd().length) throw new IncompleteInputError(err.message);
    throw new SyntaxError(err.message);
  }
  const statements = program.body as AnyNode[];
  const parts: string[] = [];
  statements.forEach((statement) => {
    if (statement.type === 'VariableDeclaration') {
      const assignments = (statement.declarations as AnyNode[]).map((declarator) => {
        const id = declarator.id as AnyNode;
        const init = declarator.init ? emit(source, declarator.init as AnyNode, false) : 'undefined';
        // A name goes into the shell's scope explicitly, so it survives to the next entry
        // whichever evaluator runs it; destructuring patterns assign name by name as usual.
        if (id.type === 'Identifier') return `(${SCOPE}.${id.name as string} = ${init})`;
        return `(${source.slice(id.start, id.end)} = ${init})`;
      });
      parts.push(`${assignments.join(', ')};`);
    } else if (statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') {
      const name = (statement.id as AnyNode).name as string;
      parts.push(`${SCOPE}.${name} = ${source.slice(statement.start, statement.end)};`);
    } else {
      parts.push(emit(source, statement, false));
    }
  });
  return `let ${COMPLETION};\n${parts.join('\n')}\nreturn ${COMPLETION};`;
}
