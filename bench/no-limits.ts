// The server's edge limits off (docs/SECURITY.md), for benchmarks that drive hundreds or
// thousands of connections and rooms from this one address: every allowance a million.
export const NO_EDGE_LIMITS: Record<string, string> = {
  REAPLAB_LIMIT_CONNECTIONS: '1000000',
  REAPLAB_LIMIT_CREATES: '1000000,1000000',
  REAPLAB_LIMIT_CREATES_PER_CONNECTION: '1000000,1000000',
  REAPLAB_LIMIT_CODE_LOOKUPS: '1000000,1000000',
};
