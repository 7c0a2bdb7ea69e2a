/**
 * A press on Run checks, Reset or Show solution before the panel's parts are ready is kept
 * and carried out once they are (not lost, not doubled); other buttons are never held.
 */
import { describe, expect, it } from 'vitest';
import { holdPressesUntil } from '../../src/sandbox/held-presses.ts';
import { h } from '../../src/sandbox/element.ts';

describe('presses held until the panel is ready', () => {
  it('carries out an early press once, when ready, and later presses at once', async () => {
    const run = h('button', { 'data-lab-run-checks': true }, 'Run checks');
    const other = h('button', {}, 'Download my work');
    const row = h('div', {}, run, other);
    document.body.replaceChildren(row);
    let markReady!: () => void;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    holdPressesUntil(row, '[data-lab-run-checks]', ready);
    const pressed: string[] = [];
    run.addEventListener('click', () => pressed.push('run'));
    other.addEventListener('click', () => pressed.push('other'));

    run.click();
    run.click();
    other.click();
    expect(pressed).toEqual(['other']);

    markReady();
    await ready;
    await Promise.resolve();
    expect(pressed).toEqual(['other', 'run']);
    run.click();
    expect(pressed).toEqual(['other', 'run', 'run']);
  });
});
