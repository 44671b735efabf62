import { describe, expect, it } from 'vitest';
import { parseLesson } from '../../lessons/parse.js';
import { verifyLesson } from '../../lessons/verify.js';
import { LESSON_TEMPLATE } from './lesson-template.js';

describe('the lesson editor\'s starting lesson', () => {
  it('parses, and the explorer agrees with its expectations', () => {
    const r = parseLesson(LESSON_TEMPLATE, 'template.yaml');
    if (!r.ok) throw new Error(r.errors.map((e) => `${e.line}:${e.col} ${e.message}`).join('\n'));
    const v = verifyLesson(r.lesson, { file: 'template.yaml', positions: r.positions });
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
  });
});
