#!/usr/bin/env node
// `npm run lint` step: fails on an import cycle between the project's own modules, counting
// `import type` too. eslint's import-x/no-cycle skips type-only imports (TypeScript erases them,
// so they cannot break module loading); a cycle of types still ties two modules into one, which
// is why the campaigns, channels, templates and contracts cycles were broken by moving the shared
// types to a module both sides import. Resolves as tsconfig.json does (its `paths` included).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ts = createRequire(import.meta.url)('typescript');

const config = ts.getParsedCommandLineOfConfigFile(
  path.join(root, 'tsconfig.json'),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  },
);
const host = ts.createCompilerHost(config.options);

/** Each module of the project → the project modules it imports or re-exports from. */
const imports = new Map();
for (const file of config.fileNames.map((f) => path.resolve(f))) {
  const source = ts.createSourceFile(file, ts.sys.readFile(file) ?? '', ts.ScriptTarget.Latest, false);
  const targets = new Set();
  for (const statement of source.statements) {
    const specifier = (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier;
    if (!specifier || !ts.isStringLiteral(specifier)) continue;
    const resolved = ts.resolveModuleName(specifier.text, file, config.options, host).resolvedModule;
    if (resolved && !resolved.isExternalLibraryImport) targets.add(path.resolve(resolved.resolvedFileName));
  }
  imports.set(file, targets);
}

// Tarjan's strongly connected components: every component of more than one module is a cycle.
const cycles = [];
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
function visit(module) {
  index.set(module, index.size);
  low.set(module, index.get(module));
  stack.push(module);
  onStack.add(module);
  for (const next of imports.get(module) ?? []) {
    if (!imports.has(next)) continue;
    if (!index.has(next)) {
      visit(next);
      low.set(module, Math.min(low.get(module), low.get(next)));
    } else if (onStack.has(next)) low.set(module, Math.min(low.get(module), index.get(next)));
  }
  if (low.get(module) !== index.get(module)) return;
  const component = [];
  let member;
  do {
    member = stack.pop();
    onStack.delete(member);
    component.push(member);
  } while (member !== module);
  if (component.length > 1) cycles.push(component.map((f) => path.relative(root, f)).sort());
}
for (const module of imports.keys()) if (!index.has(module)) visit(module);

if (cycles.length === 0) {
  console.log(`import cycles: none in ${imports.size} modules (type imports included)`);
} else {
  for (const cycle of cycles) console.error(`import cycle of ${cycle.length} modules (type imports included):\n  ${cycle.join('\n  ')}`);
  console.error('Move what the modules share to a module both import.');
  process.exit(1);
}
