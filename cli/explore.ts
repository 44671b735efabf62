// Command-line explorer.
//   npm run -s explore -- --list
//   npm run -s explore -- --variant v4.19 --config mlocked [--json] [--max-states N]
//   npm run -s explore -- lessons/campaign/03-v414-munlock-race.yaml [--json]
// With --json, stdout is exactly one JSON object; progress goes to stderr for long runs.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CONFIGS, VARIANTS, explore, isScenarioError, makeScenario, OUTCOMES, type ExploreResult, type Scenario } from '../engine/index.js';
import { lessonScenario, parseLesson } from '../lessons/parse.js';

const USAGE = `usage:
  npm run -s explore -- --list
  npm run -s explore -- --variant <id> --config <id> [--json] [--max-states N]
  npm run -s explore -- <lesson.yaml> [--json] [--max-states N]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        list: { type: 'boolean' },
        variant: { type: 'string' },
        config: { type: 'string' },
        json: { type: 'boolean' },
        'max-states': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    return fail(`${(e as Error).message}\n${USAGE}`);
  }
}

function listing(): string {
  const lines = ['Variants:'];
  for (const v of Object.values(VARIANTS)) lines.push(`  ${v.id.padEnd(20)} ${v.date.padEnd(12)} ${v.title}`);
  lines.push('', 'Configs:');
  for (const c of Object.values(CONFIGS)) lines.push(`  ${c.id.padEnd(20)} ${c.title}`);
  return lines.join('\n');
}

function scenarioFromArgs(values: ReturnType<typeof parse>['values'], positionals: string[]): Scenario {
  if (positionals.length > 1) fail(`one lesson file at a time\n${USAGE}`);
  const file = positionals[0];
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      return fail(`${file}: ${(e as Error).message}`);
    }
    const r = parseLesson(text, file);
    if (!r.ok) fail(r.errors.map((e) => `${e.file}:${e.line}:${e.col}: ${e.message}`).join('\n'));
    return lessonScenario(r.lesson);
  }
  if (!values.variant || !values.config) fail(USAGE);
  const sc = makeScenario(values.variant, values.config);
  if (isScenarioError(sc)) fail(`${sc.message} (see --list)`);
  return sc;
}

function table(r: ExploreResult): string {
  const out = [
    `${r.variant} × ${r.config}: ${r.states} states, ${r.transitions} transitions, ${r.finalStates} final states${r.complete ? '' : ' — INCOMPLETE: the state budget ran out'}`,
    '',
    `${'outcome'.padEnd(14)}${'reachable'.padEnd(11)}shortest`,
  ];
  for (const o of OUTCOMES) {
    const x = r.outcomes[o];
    out.push(`${o.padEnd(14)}${(x.reachable ? 'yes' : r.complete ? 'no' : 'not found').padEnd(11)}${x.reachable ? x.steps : '-'}`);
  }
  for (const o of OUTCOMES) {
    const x = r.outcomes[o];
    if (!x.reachable) continue;
    out.push('', `${o} in ${x.steps} steps${x.detail ? ` — ${x.detail}` : ''}:`);
    x.trace.forEach((a, i) => out.push(`  ${String(i + 1).padStart(3)}  ${a.actor}:${a.step}`));
  }
  return out.join('\n');
}

function main(): void {
  const { values, positionals } = parse();
  if (values.help) { process.stdout.write(`${USAGE}\n`); return; }
  if (values.list) { process.stdout.write(`${listing()}\n`); return; }
  const scenario = scenarioFromArgs(values, positionals);
  const maxStates = values['max-states'] === undefined ? undefined : Number(values['max-states']);
  if (maxStates !== undefined && !(Number.isInteger(maxStates) && maxStates > 0)) fail('--max-states takes a positive integer');
  const started = performance.now();
  let printed = false;
  const result = explore(scenario, {
    ...(maxStates ? { maxStates } : {}),
    onProgress: (p) => {
      const secs = (performance.now() - started) / 1000;
      if (secs < 1) return;
      printed = true;
      process.stderr.write(`\rexploring: ${p.states} states, ${p.transitions} transitions, depth ${p.depth}, ${Math.round(p.states / secs)} states/s   `);
    },
  });
  if (printed) process.stderr.write('\n');
  if (values.json) {
    const outcomes: Record<string, unknown> = {};
    for (const o of OUTCOMES) {
      const x = result.outcomes[o];
      outcomes[o] = x.reachable ? { reachable: true, steps: x.steps, trace: x.trace.map((a) => ({ actor: a.actor, step: a.step })), ...(x.detail ? { detail: x.detail } : {}) } : { reachable: false };
    }
    process.stdout.write(`${JSON.stringify({ variant: result.variant, config: result.config, complete: result.complete, states: result.states, transitions: result.transitions, outcomes })}\n`);
  } else {
    process.stdout.write(`${table(result)}\n`);
  }
}

main();
