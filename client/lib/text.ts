// Server messages are written lower-case for logs ("no room with code X; check the code");
// shown to people they start with a capital and end with a full stop.
export function sentence(message: string): string {
  const t = message.trim();
  if (!t) return t;
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?…]$/.test(first) ? first : `${first}.`;
}
