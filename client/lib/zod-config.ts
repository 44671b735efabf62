// zod compiles object parsers with `new Function` unless told not to; the client's CSP
// (script-src 'self', no 'unsafe-eval') refuses that, and even zod's probe for it is a
// reported violation. Imported first by every page part that parses, before anything parses.
import { z } from 'zod';

z.config({ jitless: true });
