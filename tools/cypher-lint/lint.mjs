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
//     "functionsChecked": true,
//     "results": [{"name": ..., "version": "CYPHER 5",
//                  "diagnostics": [{"severity": "error"|"warning", "message": ...,
//                                   "line": 1, "column": 1, "offset": 0, "excerpt": ...}]}]
//   }
//
// Every parameter a query declares (its "params") is declared to the linter, so "Parameter $x
// is not defined" means the text uses a parameter its header does not declare. Functions are
// checked against the built-in (non-APOC) functions of Neo4j that the package ships in its
// test data, so a LadybugDB-only function (label(), list_transform()...) is reported.
//
// Neo4j's semantic analysis takes ~80 ms a statement, so the queries are spread over worker
// threads, one per CPU (CYPHER_LINT_WORKERS=n to override).
//
// Usage: npm ci --prefix tools/cypher-lint
//        node tools/cypher-lint/lint.mjs < queries.json
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

// Only the workers load Neo4j's analyser (a few hundred MB of compiled Scala); the main thread
// splits the work and gathers the results.
const support = isMainThread ? null : await import('@neo4j-cypher/language-support');

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
  const { diagnostics } = support.lintCypherQuery(query.text, dbSchema, {
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

function lintAll({ queries, schema, versions }) {
  const functions = builtinFunctions();
  const results = [];
  // Version by version: the analyser keeps one function resolver per version.
  for (const version of versions) {
    for (const query of queries) {
      results.push({ name: query.name, version, diagnostics: lint(query, schema, version, functions) });
    }
  }
  return { results, functionsChecked: Boolean(functions) };
}

async function main() {
  const input = JSON.parse(readFileSync(0, 'utf8'));
  const job = {
    schema: input.schema ?? {},
    versions: input.versions ?? ['CYPHER 5'],
    queries: input.queries ?? [],
  };
  const cpus = Number(process.env.CYPHER_LINT_WORKERS) || availableParallelism();
  const workers = Math.max(1, Math.min(cpus, Math.ceil(job.queries.length / 8)));
  const chunks = Array.from({ length: workers }, (_, i) =>
    job.queries.filter((_, j) => j % workers === i),
  );
  const parts = await Promise.all(
    chunks.map(
      (queries) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: { ...job, queries } });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  const order = new Map(job.queries.map((q, i) => [q.name, i]));
  const versionOrder = new Map(job.versions.map((v, i) => [v, i]));
  const results = parts
    .flatMap((part) => part.results)
    .sort(
      (a, b) =>
        versionOrder.get(a.version) - versionOrder.get(b.version) ||
        order.get(a.name) - order.get(b.name),
    );
  process.stdout.write(
    JSON.stringify({
      package: `@neo4j-cypher/language-support@${packageVersion()}`,
      functionsChecked: parts.every((part) => part.functionsChecked),
      results,
    }),
  );
}

if (isMainThread) {
  main().catch((err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1);
  });
} else {
  parentPort.postMessage(lintAll(workerData));
}
