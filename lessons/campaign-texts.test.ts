// What the player reads: the glossary is complete and well-formed, every term a lesson
// links or names has an entry, the first lessons introduce the basic terms, and no text
// shows the engine's internal step ids or config keys.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { VARIANT_IDS, variantPrograms } from '../engine/index.js';
import { flagNamesIn, GLOSSARY, glossaryEntry, glossaryEntryNamed, glossaryLinksIn } from './glossary.js';
import data from './glossary.json';
import { isKnownSource } from './known-sources.js';
import { loadCampaign } from './load.js';
import { lessonTexts, presentLesson } from './present.js';
import { SOURCE_KINDS } from './schema.js';

const campaign = loadCampaign();

describe('the glossary', () => {
  it('is a list of entries with a definition and a source each', () => {
    const Entry = z.strictObject({
      id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
      term: z.string().min(1),
      aliases: z.array(z.string().min(1)),
      definition: z.string().min(80),
      source: z.strictObject({ kind: z.enum(SOURCE_KINDS), id: z.string().min(1), title: z.string().min(1) }),
    });
    const r = z.strictObject({ $comment: z.string(), terms: z.array(Entry).min(1) }).safeParse(data);
    expect(r.success ? [] : r.error.issues).toEqual([]);
    expect(new Set(GLOSSARY.map((e) => e.id)).size).toBe(GLOSSARY.length);
    for (const e of GLOSSARY) expect(isKnownSource(e.source.kind, e.source.id), `${e.id} cites unknown ${e.source.kind} ${e.source.id}`).toBe(true);
  });

  it('gives each name to one entry only', () => {
    const names = GLOSSARY.flatMap((e) => [e.term, ...e.aliases]);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('defines every term the campaign builds on', () => {
    for (const id of ['mm', 'vma', 'mmap-sem', 'oom-killer', 'oom-reaper', 'mmf-oom-victim', 'mmf-oom-skip', 'mmf-unstable', 'vm-locked', 'page-tables', 'pmd', 'hugetlb', 'bystander', 'victim']) {
      expect(glossaryEntry(id), `no glossary entry "${id}"`).toBeDefined();
    }
  });

  it('links only to its own entries from its definitions', () => {
    for (const e of GLOSSARY) for (const id of glossaryLinksIn(e.definition)) expect(glossaryEntry(id), `${e.id} links to #/glossary/${id}`).toBeDefined();
  });
});

describe('lesson texts and the glossary', () => {
  it('link only to terms the glossary has', () => {
    const broken: string[] = [];
    for (const l of campaign.lessons) for (const t of lessonTexts(l)) for (const id of glossaryLinksIn(t.text)) if (!glossaryEntry(id)) broken.push(`${l.id} ${t.path}: #/glossary/${id}`);
    expect(broken).toEqual([]);
  });

  it('name no kernel flag the glossary lacks', () => {
    const missing: string[] = [];
    for (const l of campaign.lessons) for (const t of lessonTexts(l)) for (const f of flagNamesIn(t.text)) if (!glossaryEntryNamed(f)) missing.push(`${l.id} ${t.path}: ${f}`);
    expect(missing).toEqual([]);
  });

  it('introduce the basic terms in the first three lessons, a few at a time', () => {
    const ramp = ['mm', 'vma', 'oom-killer', 'oom-reaper', 'victim', 'bystander', 'mmf-oom-skip', 'mmap-sem', 'mmf-oom-victim', 'mmf-unstable', 'vm-locked', 'page-tables', 'pmd', 'hugetlb'];
    const firstLinked = new Map<string, number>();
    for (const l of campaign.lessons) for (const t of lessonTexts(l)) for (const id of glossaryLinksIn(t.text)) if (!firstLinked.has(id)) firstLinked.set(id, l.order);
    for (const id of ramp) expect(firstLinked.get(id), `"${id}" is not linked in lessons 1-3`).toBeLessThanOrEqual(3);
    // one at a time: each of the first three lessons brings some of them, none brings all
    const per = [1, 2, 3].map((o) => ramp.filter((id) => firstLinked.get(id) === o).length);
    for (const n of per) expect(n).toBeGreaterThan(0);
  });
});

describe('lesson texts show no engine-internal names', () => {
  // Real kernel functions that are also step ids may be named; everything else is ours.
  const KERNEL_NAMES = new Set(['mmput', 'down_write', 'up_write', 'down_read', 'up_read', 'free_pgtables', 'remove_vma', 'free_pgd_range', 'unmap']);
  const internal = new Set<string>();
  for (const v of VARIANT_IDS) {
    const p = variantPrograms(v);
    for (const prog of [p.allocator, p.victim, p.reaper]) for (const s of prog.steps) for (const n of [s.id, s.name]) if (!KERNEL_NAMES.has(n)) internal.add(n);
  }
  for (const k of ['maxAttempts', 'keepAbove', 'stallLimit', 'mHeld', 'needless_kill']) internal.add(k);

  it('knows the internal names it looks for', () => {
    for (const n of ['A1', 'R6', 'T5', 'D4', 'mmap_null', 'set_oom_skip', 'self_reap', 'maxAttempts']) expect(internal).toContain(n);
  });

  it('in any text a player reads', () => {
    const found: string[] = [];
    for (const l of campaign.lessons) {
      for (const t of lessonTexts(presentLesson(l))) {
        // code spans of kernel code may hold anything kernel-like; internal names are still caught there
        const words = t.text.replace(/\]\(#\/glossary\/[a-z0-9-]+\)/g, ']').match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
        for (const w of new Set(words)) if (internal.has(w)) found.push(`${l.id} ${t.path}: ${w}`);
        if (/\*[0-9a-z]{4,}\b/.test(t.text) && /[a-z]-[a-z]+\*[0-9a-z]+/.test(t.text)) found.push(`${l.id} ${t.path}: a config id`);
      }
    }
    expect(found).toEqual([]);
  });
});
