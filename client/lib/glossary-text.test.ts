import { describe, expect, it } from 'vitest';
import { glossaryEntry } from '../../lessons/glossary.js';
import { glossaryTerms, STATE_TERMS } from './glossary-text.js';

describe('glossary terms in the game', () => {
  it('every state-panel label that names a term names one the glossary has', () => {
    for (const [label, id] of Object.entries(STATE_TERMS)) expect(glossaryEntry(id), `${label} → ${id}`).toBeDefined();
  });

  it('turns glossary links into openable terms, and leaves other links alone', () => {
    expect(glossaryTerms('<p>Set <a href="#/glossary/mmf-oom-skip"><code>MMF_OOM_SKIP</code></a> now.</p>'))
      .toBe('<p>Set <rl-glossary-term term="mmf-oom-skip"><code>MMF_OOM_SKIP</code></rl-glossary-term> now.</p>');
    expect(glossaryTerms('<a href="#/glossary/no-such-term">x</a> <a href="https://lore.kernel.org/">y</a>'))
      .toBe('<a href="#/glossary/no-such-term">x</a> <a href="https://lore.kernel.org/">y</a>');
  });
});
