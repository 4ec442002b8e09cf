// ESLint rule: inside one folder (its `root`), imports run down an ordered list of layers.
// A unit is a root's first-level folder, or a file directly in the root (named without its
// extension). A unit may import itself and any unit of a lower layer; not one of its own
// layer (so no two units can import each other) and not one above. A unit absent from the
// list is reported wherever it imports or is imported, so a new folder gets a place.
// Paths are read from the import text alone (no resolver): the code imports by relative path.
import path from 'node:path';

/** @type {import('eslint').Rule.RuleModule} */
export const layerOrder = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports inside a folder run down its layers, never up or sideways' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          layers: { type: 'array', items: { type: 'array', items: { type: 'string' } } },
        },
        required: ['root', 'layers'],
        additionalProperties: false,
      },
    ],
    messages: {
      upward: '{{from}} imports {{to}}, a layer above it. In {{root}} imports run down: {{order}}.',
      sideways: '{{from}} imports {{to}}, which shares its layer: neither may import the other. In {{root}} imports run down: {{order}}.',
      unplaced: '{{unit}} has no layer in {{root}}: give it a place in the layer order in eslint.config.js.',
    },
  },

  create(context) {
    const { root, layers } = context.options[0];
    const rootDir = path.resolve(context.cwd, root);
    const rank = new Map(layers.flatMap((units, i) => units.map((unit) => [unit, i])));
    const order = layers.map((units) => units.join(', ')).join(' → ');

    /** The unit a path belongs to, or undefined outside the root. */
    const unitOf = (file) => {
      const rel = path.relative(rootDir, file);
      if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
      const [first, ...rest] = rel.split(path.sep);
      return rest.length ? first : first.replace(/\.[^.]*$/, '');
    };

    const from = unitOf(context.filename);
    if (from === undefined) return {};

    const check = (source) => {
      if (source?.type !== 'Literal' || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const to = unitOf(path.resolve(path.dirname(context.filename), source.value));
      if (to === undefined || to === from) return;
      for (const unit of [from, to]) {
        if (!rank.has(unit)) return context.report({ node: source, messageId: 'unplaced', data: { unit, root } });
      }
      const step = rank.get(to) - rank.get(from);
      if (step >= 0) context.report({ node: source, messageId: step > 0 ? 'upward' : 'sideways', data: { from, to, root, order } });
    };

    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSImportType: (node) => check(node.argument?.type === 'TSLiteralType' ? node.argument.literal : undefined),
    };
  },
};
