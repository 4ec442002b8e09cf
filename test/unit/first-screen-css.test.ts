// build/first-screen-css.ts: which rules the first screen's stylesheet keeps, and the custom
// properties and keyframes both sheets drop because nothing reads them.
import postcss from 'postcss';
import { describe, expect, it } from 'vitest';
import { dropUnreadCustomProperties, dropUnusedKeyframes, keepComponents } from '../../build/first-screen-css.js';
import { componentClasses } from '../../build/radix-css.js';

/** The sheet without whitespace (postcss keeps the source's). */
const css = (root: postcss.Root) => root.toString().replace(/\s+/g, '');

describe('keepComponents', () => {
  it('drops the rules and selectors that need a component the first screen does not write, and the at-rules left empty', () => {
    const root = postcss.parse(`
      .rt-Badge { color: red }
      .rt-DialogContent { color: blue }
      .rt-Badge, .rt-DialogContent:where(.rt-r-size-2) { margin: 0 }
      @media (min-width: 1px) { .rt-DialogOverlay { opacity: 1 } }
      .rt-reset, .row-name { padding: 0 }
      :where(.rt-DialogContent) .x { top: 0 }
      .y:not(.rt-DialogContent) { left: 0 }
      @keyframes rt-fade-in { from { opacity: 0 } }
    `);
    keepComponents(root, new Set(['rt-Badge']));
    expect(css(root)).toBe(
      '.rt-Badge{color:red}.rt-Badge{margin:0}.rt-reset,.row-name{padding:0}.y:not(.rt-DialogContent){left:0}@keyframesrt-fade-in{from{opacity:0}}',
    );
  });

  it('finds the component classes a chunk writes', () => {
    expect([...componentClasses('className:(0,c.default)(`rt-reset`,`rt-Badge`,r),"rt-r-size-1","rt-BaseButton"')]).toEqual(['rt-Badge', 'rt-BaseButton']);
  });
});

describe('dropUnreadCustomProperties', () => {
  it('drops declarations nothing reads, through chains, and keeps what another sheet or a script reads', () => {
    const root = postcss.parse(`
      :root { --a: 1px; --b: var(--a); --c: var(--b); --used: 2px; --lazy: 3px; --scripted: 4px; --x: 0 }
      .p { margin: var(--used) }
      .only-vars { --c2: var(--x) }
    `);
    dropUnreadCustomProperties(root, '.lazy { padding: var(--lazy) }', new Set(['--scripted']));
    expect(css(root)).toBe(':root{--used:2px;--lazy:3px;--scripted:4px}.p{margin:var(--used)}');
  });
});

describe('dropUnusedKeyframes', () => {
  it('keeps keyframes a declaration, another sheet or a script names; drops the rest', () => {
    const root = postcss.parse(`
      @keyframes used { to { opacity: 1 } }
      @keyframes via-property { to { opacity: 1 } }
      @keyframes elsewhere { to { opacity: 1 } }
      @keyframes scripted { to { opacity: 1 } }
      @keyframes unused { to { opacity: 1 } }
      @keyframes used-longer { to { opacity: 1 } }
      .a { animation: used 1s }
      .b { --anim: via-property 2s }
    `);
    dropUnusedKeyframes(root, '.c { animation-name: elsewhere }', ['el.style.animation = "scripted 1s"']);
    expect(root.nodes.filter((n): n is postcss.AtRule => n.type === 'atrule').map((a) => a.params)).toEqual(['used', 'via-property', 'elsewhere', 'scripted']);
  });
});
