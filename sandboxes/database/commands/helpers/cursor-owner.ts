/** Who opens a cursor: only the same user may continue or kill it, as in mongod. */
export function ownerOf(ctx: { conn: { user?: { user: string; db: string } | undefined } }): string {
  return ctx.conn.user ? `${ctx.conn.user.db}.${ctx.conn.user.user}` : '';
}
