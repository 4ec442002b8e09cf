// Lists the longest functions in src/ (functions, methods, arrow functions; an arrow or
// function that is only an object or array literal is data, not logic, and is skipped).
//   node scripts/function-lengths.mjs [--top 15] [--max 150]   (exit 1 when one is over --max)
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const top = option('--top', 15);
const max = option('--max', Infinity);
const root = path.resolve(import.meta.dirname, '..');

function* sourceFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(file);
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield file;
  }
}

/** A body that is just `({ … })` / `[ … ]` or `return { … }`: a data table. */
function isDataOnly(node) {
  let body = node.body;
  if (!body) return true;
  if (ts.isParenthesizedExpression(body)) body = body.expression;
  if (ts.isObjectLiteralExpression(body) || ts.isArrayLiteralExpression(body)) return true;
  if (ts.isBlock(body) && body.statements.length === 1) {
    const only = body.statements[0];
    if (ts.isReturnStatement(only) && only.expression && (ts.isObjectLiteralExpression(only.expression) || ts.isArrayLiteralExpression(only.expression))) return true;
  }
  return false;
}

function nameOf(node) {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  if (node.name && ts.isPrivateIdentifier(node.name)) return node.name.text;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText();
  if (parent && ts.isPropertyDeclaration(parent)) return parent.name.getText();
  return '(anonymous)';
}

const found = [];
for (const file of sourceFiles(path.join(root, 'src'))) {
  const text = fs.readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const visit = (node) => {
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isConstructorDeclaration(node)) && !isDataOnly(node)) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ lines: end - start + 1, where: `${path.relative(root, file)}:${start + 1}`, name: nameOf(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
found.sort((a, b) => b.lines - a.lines);
for (const f of found.slice(0, top)) console.log(`${String(f.lines).padStart(5)}  ${f.name}  ${f.where}`);
const over = found.filter((f) => f.lines > max);
if (over.length) {
  console.error(`${over.length} function(s) longer than ${max} lines`);
  process.exit(1);
}
