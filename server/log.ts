// Structured logging as a small injectable interface: JSON lines in production, silence
// (or a capture) in tests.

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Log {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export function jsonLog(write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Log {
  const at = (level: string) => (msg: string, fields?: LogFields) => write(JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields }));
  return { info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLog: Log = { info() {}, warn() {}, error() {} };
