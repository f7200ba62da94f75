/**
 * Whether a value can be stored or looked up at all. PostgreSQL text cannot
 * hold U+0000 (it refuses the statement), and nothing the portal stores
 * contains it, so a value with one is refused at the edge, or a lookup of it
 * finds nothing without asking the database. No imports: pure modules use it too.
 */
export function isStorable(value: string): boolean {
  return !value.includes("\u0000");
}
