// The lesson a new page of the lesson editor starts from: short, valid, and checked by the
// explorer (lesson-template.test.ts), so a teacher changes a working lesson rather than
// starting from a blank page. docs/LESSONS.md explains every field.
export const LESSON_TEMPLATE = `# A lesson: one scenario, three seats, one goal. Change what you like;
# the editor checks every field as you type.
id: my-first-lesson
order: 1
title: "Where does the memory come back from?"
chapter: "My lessons"
date: "2018-10"
variant: v4.19
config: pgtable-heavy
overrides:
  vmas:
    - { kind: anon, pages: 3 }
  pgtables: 1
  bystanders: [2]
  need: [3]
mode: race
roles:
  solo: scheduler
  victim:
    does: "Runs the killed process's exit path, exit_mmap()."
    wants: "Hand its pages back."
    side: hunt
    bot: lazy
  reaper:
    does: "Runs the oom_reaper thread, which frees a victim's pages from outside."
    wants: "Free the pages before anyone waits long."
    side: hunt
    bot: random
  allocator:
    does: "Runs a program that needs 3 pages and calls the OOM killer when none are free."
    wants: "Its 3 pages."
    side: hunt
    bot: random
goal:
  kind: hunt
  outcome: success
  text: "Get the allocator its 3 pages."
story: |
  The allocator needs 3 pages and finds none free, so the **OOM killer** picks
  the victim V and kills it. Two actors can now give V's memory back: V itself,
  on its way out, and the **oom_reaper**.

  Watch the memory bar while you step them: whose step frees the pages first?
win: "The allocator got its pages, and the bystander W was left alone."
lose: "The run ended another way: restart and try a different order."
takeaway: "A killed process's memory comes back through its exit path or through the reaper, whichever gets there first."
simplifies: "One model page stands for many real ones, and the victim has a single memory area."
hints:
  - "Only the allocator can move at first: step it until it kills the victim."
  - "Now step the victim or the reaper until 3 pages are free, then the allocator again."
sources:
  - kind: commit
    id: 27ae357fa82b
    title: "mm, oom: fix concurrent munlock and oom reaper unmap, v3"
    date: "2018-05"
    note: "The exit path of this version frees what the reaper could free first."
expect:
  reachable: [success]
  unreachable: [needless_kill, lockup, oops, panic]
`;
