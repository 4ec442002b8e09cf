import { createHash } from 'node:crypto';
import postcss from 'postcss';
import type { Plugin } from 'vite';
import { COMPONENT_CLASS, componentClasses, dropSelectors, removeEmptyAtRules, requirements } from './radix-css.js';

/**
 * Splits the dashboard's stylesheet in two, so that the first screen parses less CSS:
 *
 * - the **first-screen sheet**, which index.html links: the whole stylesheet less the Radix
 *   component rules that no first-screen chunk can use. A chunk is on the first screen when
 *   index.html's scripts import it statically (a chain of `import`s, no `import()`); the
 *   bundler puts a module there only when the first screen's code uses it. A component rule
 *   is kept when every `.rt-<Component>` class its selector requires is written in such a
 *   chunk (Radix writes them as literal strings);
 * - the **full sheet**: every rule, in the same order. The dashboard loads it before the first
 *   part it loads on demand renders (src/renderer/src/components/full-stylesheet.ts) and inserts it
 *   right after the first-screen sheet, then removes that: the same rules in the same place,
 *   so the cascade is the original one.
 *
 * Both sheets also lose the custom properties nothing reads (`--x: …` with no `var(--x` in any
 * stylesheet and no `--x` in any script), repeated until none is left: the colour steps,
 * sizes and spacings Radix declares for every theme that no rule or component uses; and the
 * `@keyframes` no declaration or script names.
 *
 * The first-screen sheet's <link> carries the full sheet's URL in `data-full-stylesheet`.
 */

const CUSTOM_PROPERTY = /--[A-Za-z0-9_-]+/g;

/** Custom properties read by var() in `css`. */
export function customPropertyReads(css: string): Set<string> {
  return new Set([...css.matchAll(/var\(\s*(--[A-Za-z0-9_-]+)/g)].map((m) => m[1]!));
}

/**
 * Removes, until none is left, each custom property declaration whose name no `var()` of
 * `root` or of `otherCss` reads and that is not in `namedInScripts`; then the rules and
 * at-rules left empty.
 */
export function dropUnreadCustomProperties(root: postcss.Root, otherCss: string, namedInScripts: ReadonlySet<string>): void {
  const external = customPropertyReads(otherCss);
  for (;;) {
    const reads = customPropertyReads(root.toString());
    let removed = 0;
    root.walkDecls((decl) => {
      if (decl.prop.startsWith('--') && !reads.has(decl.prop) && !external.has(decl.prop) && !namedInScripts.has(decl.prop)) {
        decl.remove();
        removed++;
      }
    });
    if (removed === 0) break;
  }
  removeEmpty(root);
}

/**
 * Removes each `@keyframes` whose name no declaration value of `root` or of `otherCss` and no
 * script mentions (Radix's progress bar and skeleton animations, say, when neither is used).
 */
export function dropUnusedKeyframes(root: postcss.Root, otherCss: string, scripts: readonly string[]): void {
  const values: string[] = [otherCss];
  root.walkDecls((decl) => void values.push(decl.value));
  const text = values.join('\n');
  const mentioned = (name: string) => new RegExp(`(^|[^\\w-])${name.replace(/[^\w-]/g, '\\$&')}($|[^\\w-])`).test(text) || scripts.some((code) => code.includes(name));
  root.walkAtRules(/keyframes$/, (at) => {
    if (!mentioned(at.params.trim())) at.remove();
  });
}

/** Rules with no declaration left, then at-rules with nothing left. */
function removeEmpty(root: postcss.Root): void {
  root.walkRules((rule) => {
    if (rule.nodes.length === 0) rule.remove();
  });
  removeEmptyAtRules(root);
}

/** Drops the rules (and selectors) that require a `.rt-<Component>` class outside `components`. */
export function keepComponents(root: postcss.Root, components: ReadonlySet<string>): void {
  dropSelectors(root, (selector) => requirements(selector).classes.every((c) => !COMPONENT_CLASS.test(c) || components.has(c)));
}

export function splitFirstScreenCss(): Plugin {
  return {
    name: 'tokendesk:first-screen-css',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const html = bundle['index.html'];
      if (html?.type !== 'asset') throw new Error('tokendesk: the renderer build has no index.html to link its first-screen stylesheet from');
      let page = String(html.source);

      // The chunks index.html's scripts import statically (tree-shaken: what a `.rt-` class
      // is in was rendered because something there uses it), and the component classes they write.
      const chunks = new Map(Object.values(bundle).flatMap((out) => (out.type === 'chunk' ? [[out.fileName, out] as const] : [])));
      const queue = [...chunks.values()].filter((c) => c.isEntry).map((c) => c.fileName);
      const seen = new Set<string>();
      const firstScreen = new Set<string>();
      while (queue.length > 0) {
        const chunk = chunks.get(queue.pop()!);
        if (!chunk || seen.has(chunk.fileName)) continue;
        seen.add(chunk.fileName);
        for (const c of componentClasses(chunk.code)) firstScreen.add(c);
        queue.push(...chunk.imports);
      }

      const namedInScripts = new Set([...chunks.values()].flatMap((c) => c.code.match(CUSTOM_PROPERTY) ?? []));
      const sheets = Object.values(bundle).filter((out): out is typeof out & { type: 'asset' } => out.type === 'asset' && out.fileName.endsWith('.css'));
      const linked = sheets.filter((s) => page.includes(`href="./${s.fileName}"`));
      if (linked.length !== 1) throw new Error(`tokendesk: index.html should link one stylesheet, it links ${linked.length}`);
      const main = linked[0]!;
      const otherCss = sheets
        .filter((s) => s !== main)
        .map((s) => String(s.source))
        .join('\n');

      const scripts = [...chunks.values()].map((c) => c.code);
      const full = postcss.parse(String(main.source));
      dropUnreadCustomProperties(full, otherCss, namedInScripts);
      dropUnusedKeyframes(full, otherCss, scripts);
      const first = full.clone();
      keepComponents(first, firstScreen);
      dropUnreadCustomProperties(first, otherCss, namedInScripts);
      dropUnusedKeyframes(first, otherCss, scripts);

      const fullSource = full.toString();
      const hash = createHash('sha256').update(fullSource).digest('base64url').slice(0, 8);
      const fullName = main.fileName.replace(/\.css$/, `-full-${hash}.css`);
      this.emitFile({ type: 'asset', fileName: fullName, source: fullSource });
      main.source = first.toString();

      const link = `<link rel="stylesheet" crossorigin href="./${main.fileName}">`;
      if (!page.includes(link)) throw new Error(`tokendesk: index.html does not link ${main.fileName} as expected:\n${page}`);
      page = page.replace(link, `<link rel="stylesheet" crossorigin href="./${main.fileName}" data-full-stylesheet="./${fullName}">`);
      html.source = page;
    },
  };
}
