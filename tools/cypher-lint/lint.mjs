// Offline Neo4j check of Cypher text with Neo4j's own parser and semantic analysis
// (@neo4j-cypher/language-support, lintCypherQuery). No server needed.
//
// stdin: JSON
//   {
//     "schema": {                       // optional; from graphmodel/storage.py
//       "labels": ["Territory", ...],
//       "relationshipTypes": ["PART_OF", ...],
//       "propertyKeys": ["id", "name", ...],
//       "graphSchema": [{"from": "Territory", "to": "Territory", "relType": "PART_OF"}, ...]
//     },
//     "versions": ["CYPHER 5"],         // optional; Cypher versions to check
//     "queries": [{"name": "coverage/x", "text": "MATCH ...", "params": ["kinds"]}, ...]
//   }
// stdout: JSON
//   {
//     "package": "@neo4j-cypher/language-support@<version>",
//     "results": [{"name": ..., "version": "CYPHER 5",
//                  "diagnostics": [{"severity": "error"|"warning", "message": ...,
//                                   "line": 1, "column": 1, "offset": 0, "excerpt": ...}]}]
//   }
//
// Every parameter a query declares (its "params") is declared to the linter, so "Parameter $x
// is not defined" means the text uses a parameter its header does not declare. Functions are
// checked against the built-in (non-APOC) functions of Neo4j that the package ships in its
// test data, so a LadybugDB-only function (label(), list_transform()...) is reported.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as support from '@neo4j-cypher/language-support';

const { lintCypherQuery } = support;

function builtinFunctions() {
  // The package's mock schema is a dump of a real server's dbms.functions(); keep the
  // built-in functions only (APOC is a plugin, not something our queries may rely on).
  const all = support.testData?.mockSchema?.functions;
  if (!all) return undefined;
  const out = {};
  for (const [version, registry] of Object.entries(all)) {
    out[version] = Object.fromEntries(
      Object.entries(registry).filter(([, fn]) => fn.isBuiltIn),
    );
  }
  return out;
}

function packageVersion() {
  // The package's "exports" hide package.json; find it beside the resolved entry point.
  try {
    const require = createRequire(import.meta.url);
    let dir = dirname(require.resolve('@neo4j-cypher/language-support'));
    while (dir !== dirname(dir)) {
      const candidate = join(dir, 'package.json');
      if (existsSync(candidate)) {
        const meta = JSON.parse(readFileSync(candidate, 'utf8'));
        if (meta.name === '@neo4j-cypher/language-support') return meta.version;
      }
      dir = dirname(dir);
    }
  } catch {
    // fall through
  }
  return 'unknown';
}

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

function lint(query, schema, version, functions) {
  const params = Object.fromEntries((query.params ?? []).map((p) => [p, null]));
  const dbSchema = {
    ...schema,
    parameters: params,
    defaultLanguage: version,
    ...(functions ? { functions } : {}),
  };
  const { diagnostics } = lintCypherQuery(query.text, dbSchema, {
    consoleCommandsEnabled: false,
  });
  return diagnostics.map((d) => ({
    severity: SEVERITY[d.severity] ?? String(d.severity),
    message: d.message,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    offset: d.offsets?.start ?? null,
    excerpt:
      d.offsets && d.offsets.end > d.offsets.start
        ? query.text.slice(d.offsets.start, Math.min(d.offsets.end, d.offsets.start + 80))
        : null,
  }));
}

const input = JSON.parse(readFileSync(0, 'utf8'));
const schema = input.schema ?? {};
const versions = input.versions ?? ['CYPHER 5'];
const functions = builtinFunctions();
const results = [];
for (const query of input.queries ?? []) {
  for (const version of versions) {
    results.push({ name: query.name, version, diagnostics: lint(query, schema, version, functions) });
  }
}
process.stdout.write(
  JSON.stringify({
    package: `@neo4j-cypher/language-support@${packageVersion()}`,
    functionsChecked: Boolean(functions),
    results,
  }),
);
