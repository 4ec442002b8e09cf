// build/radix-css.ts drops Radix rules for breakpoint classes and colour attributes the
// dashboard cannot produce. Its lists must hold every value src/renderer can pass: this finds
// them all with the type checker (a variable's type counts, not just literals), so a new
// responsive prop or status colour fails here instead of losing its styles.
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ATTRIBUTE_VALUES, RESPONSIVE_CLASSES, requirements } from '../../build/radix-css.js';

const BREAKPOINTS = ['initial', 'xs', 'sm', 'md', 'lg', 'xl'];
/** Where each watched prop of a Radix component ends up. */
const COLOR_ATTRIBUTE: Record<string, string> = { color: 'data-accent-color', accentColor: 'data-accent-color', grayColor: 'data-gray-color' };

interface Found {
  responsive: { site: string; tag: string; prop: string; value: string }[];
  attributeValues: Record<string, Set<string>>;
}

function scanRenderer(): Found {
  const root = path.resolve(__dirname, '../..');
  const config = ts.readConfigFile(path.join(root, 'tsconfig.web.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const program = ts.createProgram(parsed.fileNames, { ...parsed.options, noEmit: true });
  const checker = program.getTypeChecker();
  const found: Found = { responsive: [], attributeValues: {} };
  const parts = (t: ts.Type) => (t.isUnion() ? t.types : [t]);
  const responsive = (t: ts.Type) =>
    parts(t).some((p) => p.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown) || (p.flags & ts.TypeFlags.Object && p.getProperties().some((s) => BREAKPOINTS.includes(s.name))));
  const literals = (t: ts.Type) =>
    parts(t)
      .filter((p) => !(p.flags & ts.TypeFlags.Undefined))
      .map((p) => (p.isStringLiteral() ? p.value : `<${checker.typeToString(p)}>`));
  const isRadix = (tag: ts.JsxTagNameExpression) => {
    let symbol = checker.getSymbolAtLocation(tag);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    return (symbol?.declarations ?? []).some((d) => d.getSourceFile().fileName.includes('@radix-ui/themes'));
  };
  for (const sf of program.getSourceFiles()) {
    if (!sf.fileName.includes(`${path.sep}src${path.sep}renderer${path.sep}`)) continue;
    const site = (n: ts.Node) => `${path.relative(root, sf.fileName)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
    const visit = (n: ts.Node) => {
      if (ts.isJsxOpeningElement(n) || ts.isJsxSelfClosingElement(n)) {
        const radix = isRadix(n.tagName);
        const props: [ts.Node, string, string[], ts.Type | undefined][] = [];
        for (const a of n.attributes.properties) {
          if (ts.isJsxAttribute(a)) {
            const expr = a.initializer && ts.isJsxExpression(a.initializer) ? a.initializer.expression : undefined;
            const type = expr ? checker.getTypeAtLocation(expr) : undefined;
            const values = a.initializer && ts.isStringLiteral(a.initializer) ? [a.initializer.text] : type ? literals(type) : [];
            props.push([a, a.name.getText(), values, type]);
          } else {
            const spread = checker.getTypeAtLocation(a.expression);
            for (const p of spread.getProperties()) {
              const type = checker.getTypeOfSymbolAtLocation(p, a);
              props.push([a, p.name, literals(type), type]);
            }
          }
        }
        for (const [node, name, values, type] of props) {
          if (type && responsive(type)) found.responsive.push({ site: site(node), tag: n.tagName.getText(), prop: name, value: node.getText() });
          const attribute = COLOR_ATTRIBUTE[name];
          if (radix && attribute) for (const v of values) (found.attributeValues[attribute] ??= new Set()).add(v);
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return found;
}

describe('trimming Radix CSS (build/radix-css.ts)', () => {
  it('reads what a selector requires, only where it is required', () => {
    expect(requirements('.rt-Button:where(.sm\\:rt-r-size-1):where(.rt-variant-ghost)').classes).toEqual(['sm:rt-r-size-1', 'rt-variant-ghost', 'rt-Button']);
    // An alternative or a negation proves nothing.
    expect(requirements('.rt-Link:where(.sm\\:a, .b):not(.md\\:c):has(.rt-Foo)').classes).toEqual(['rt-Link']);
    expect(requirements(":where([data-accent-color='red']) .x[data-gray-color=sage][data-state]").attributes).toEqual([
      ['data-accent-color', 'red'],
      ['data-gray-color', 'sage'],
    ]);
    expect(requirements('[data-accent-color^=re]').attributes).toEqual([]);
  });

  it("keeps every breakpoint class and colour the dashboard's props can produce", { timeout: 180_000 }, async () => {
    const found = scanRenderer();
    // Responsive values: only the provider picker's columns (a literal, so its classes are known).
    expect(found.responsive.map((r) => `${r.tag} ${r.value}`)).toEqual(["RadioCards.Root columns={{ initial: '1', sm: '2', md: '3' }}"]);
    // Radix's own class builder, imported by a computed name: its React DOM typings would
    // otherwise join this Node-side project's types.
    const radix = (name: string) => import(name) as Promise<Record<string, unknown>>;
    const { extractProps } = (await radix('@radix-ui/themes/helpers')) as { extractProps: (props: object, ...defs: object[]) => { className: string } };
    const { radioCardsRootPropDefs } = (await radix('@radix-ui/themes/components/radio-cards.props')) as { radioCardsRootPropDefs: object };
    const { className } = extractProps({ columns: { initial: '1', sm: '2', md: '3' } }, radioCardsRootPropDefs);
    const breakpointClasses = className.split(' ').filter((c) => /^(xs|sm|md|lg|xl):/.test(c));
    expect(breakpointClasses.sort()).toEqual([...RESPONSIVE_CLASSES].sort());

    for (const [attribute, values] of Object.entries(found.attributeValues)) {
      // A value that is not a string literal (`<string>`) could be any colour: the list cannot hold it.
      for (const v of values) expect(ATTRIBUTE_VALUES[attribute], `${attribute}=${v}`).toContain(v);
    }
    // Radix's own defaults (a colour prop's 'gray', Theme's 'indigo') and an absent colour ('').
    expect(ATTRIBUTE_VALUES['data-accent-color']).toEqual(expect.arrayContaining(['', 'gray', 'indigo']));
  });
});
