import postcss from 'postcss';
import type { Plugin } from 'vite';

/**
 * Trims Radix Themes' stylesheet (all of it is bundled into the first screen's CSS) to the
 * rules the dashboard can ever match. A selector matches only an element that has every class
 * and `[attr=value]` the selector requires, so a selector requiring one that nothing can put
 * on an element is dropped (a rule with no selector left goes too, then any @media/@supports
 * left empty). What is provably never set:
 *
 * - `.rt-<Component>` classes (capitalised: rt-Button, rt-DialogContent…): Radix's JavaScript
 *   writes them as literal strings, never composes them, so one no emitted JS chunk contains
 *   is never set.
 * - Breakpoint variants (`xs:`…`xl:` + a utility, e.g. `sm:rt-r-size-2`: Radix's min-width
 *   @media blocks, ~280 kB). Radix writes one only for a prop whose value is a responsive
 *   object (`{ initial: '1', sm: '2' }`), one class per key; its own components never create
 *   such objects, they only pass on (or map) the caller's. So the only ones that exist come
 *   from the dashboard's own responsive values: RESPONSIVE_CLASSES.
 * - `data-accent-color` / `data-gray-color` values outside ATTRIBUTE_VALUES (Radix maps all
 *   26 colours onto --accent-* and 6 greys onto --gray-*; the dashboard sets a few).
 *
 * test/unit/radix-css.test.ts keeps both lists complete: it finds every responsive value and
 * every colour prop value in src/renderer with the type checker (a variable counts by its type).
 *
 * A class or attribute counts as required where it stands in the selector itself or inside a
 * `:where(…)` / `:is(…)` of one selector (Radix's `.rt-Button:where(.sm\:rt-r-size-1)`);
 * inside `:not()`, `:has()` or a selector list it may be a negation or an alternative, so it
 * proves nothing. Every other class (rt-r-size-2, rt-variant-soft…, built from props at run
 * time) is kept whatever its value.
 */

/** The breakpoint classes the dashboard generates: ProviderPicker's `columns={{ initial: '1', sm: '2', md: '3' }}`. */
export const RESPONSIVE_CLASSES: readonly string[] = ['sm:rt-r-gtc-2', 'md:rt-r-gtc-3'];

/**
 * Every value the dashboard can give these attributes: Radix sets `data-accent-color` from a
 * component's `color` prop (Theme: `accentColor`), `data-gray-color` from Theme's `grayColor`
 * (slate; nested Themes inherit it). 'violet' is in StatusColor's type, so it stays; Radix's
 * own defaults ('gray', 'indigo') and the empty value are here too.
 */
export const ATTRIBUTE_VALUES: Readonly<Record<string, readonly string[]>> = {
  'data-accent-color': ['', 'amber', 'blue', 'gray', 'green', 'indigo', 'orange', 'red', 'violet'],
  'data-gray-color': ['slate'],
};

const BREAKPOINT_CLASS = /^(xs|sm|md|lg|xl):/;
export const COMPONENT_CLASS = /^rt-[A-Z][A-Za-z]*$/;

/** `.rt-<Component>` classes written in `code`. */
export function componentClasses(code: string): Set<string> {
  return new Set(code.match(/rt-[A-Z][A-Za-z]*/g) ?? []);
}

/** Removes the at-rules left with nothing inside, inner-most first (an @supports emptied inside an @media empties that too). */
export function removeEmptyAtRules(root: postcss.Root): void {
  const atRules: postcss.AtRule[] = [];
  root.walkAtRules((at) => void atRules.push(at));
  for (const at of atRules.reverse()) if (at.nodes?.length === 0) at.remove();
}

/** Keeps the selectors `canMatch` accepts: a rule left with none goes, then any at-rule left empty. */
export function dropSelectors(root: postcss.Root, canMatch: (selector: string) => boolean): void {
  root.walkRules((rule) => {
    // Keyframe steps (`from`, `50%`) are not selectors of elements.
    if (rule.parent?.type === 'atrule' && /keyframes$/.test((rule.parent as postcss.AtRule).name)) return;
    const kept = rule.selectors.filter(canMatch);
    if (kept.length === 0) rule.remove();
    else if (kept.length < rule.selectors.length) rule.selectors = kept;
  });
  removeEmptyAtRules(root);
}

/** Splits `text` at top-level occurrences of `sep` (outside parentheses and brackets). */
function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === sep && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** What an element must have for `selector` to match it: classes (unescaped) and `[name=value]` attributes. */
export function requirements(selector: string): { classes: string[]; attributes: [string, string][] } {
  const classes: string[] = [];
  const attributes: [string, string][] = [];
  let top = '';
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i];
    if (ch === '\\') {
      top += ch + (selector[i + 1] ?? '');
      i++;
    } else if (ch === '(') {
      let depth = 0;
      let j = i;
      for (; j < selector.length; j++) {
        if (selector[j] === '\\') j++;
        else if (selector[j] === '(') depth++;
        else if (selector[j] === ')' && --depth === 0) break;
      }
      const inner = selector.slice(i + 1, j);
      // `:where(X)` / `:is(X)` of one selector matches exactly what X matches.
      if (/:(where|is)$/.test(top) && splitTopLevel(inner, ',').length === 1) {
        const req = requirements(inner);
        classes.push(...req.classes);
        attributes.push(...req.attributes);
      }
      i = j;
    } else top += ch;
  }
  // Exact-value attribute tests only (`[a=v]`, `[a='v']`), not ~= ^= or the `i` flag.
  for (const m of top.matchAll(/\[\s*([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([\w-]+))\s*\]/g)) attributes.push([m[1]!, m[2] ?? m[3] ?? m[4] ?? '']);
  // Attribute selectors may hold dots in quoted values: leave them out.
  const plain = top.replace(/\[[^\]]*\]/g, '');
  for (const m of plain.matchAll(/\.((?:\\.|[\w-])+)/g)) classes.push(m[1]!.replace(/\\(.)/g, '$1'));
  return { classes, attributes };
}

export function trimRadixCss(): Plugin {
  const responsive = new Set(RESPONSIVE_CLASSES);
  return {
    name: 'tokendesk:trim-radix-css',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const used = new Set<string>();
      for (const out of Object.values(bundle)) {
        if (out.type === 'chunk') for (const c of componentClasses(out.code)) used.add(c);
      }
      const canMatch = (selector: string) => {
        const req = requirements(selector);
        return (
          req.classes.every((c) => (COMPONENT_CLASS.test(c) ? used.has(c) : !BREAKPOINT_CLASS.test(c) || responsive.has(c))) &&
          req.attributes.every(([name, value]) => ATTRIBUTE_VALUES[name]?.includes(value) ?? true)
        );
      };
      for (const out of Object.values(bundle)) {
        if (out.type !== 'asset' || !out.fileName.endsWith('.css')) continue;
        const root = postcss.parse(String(out.source));
        dropSelectors(root, canMatch);
        out.source = root.toString();
      }
    },
  };
}
