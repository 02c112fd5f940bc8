// Sums the vitest JSON reports of every workspace package into the one closing line CI reads:
// `N passed, M failed`. A package without a report counts as a failure: its tests did not run.
// So does every other task of the run (lint, typecheck) that failed, read from turbo's summary.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

interface VitestReport {
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly numPendingTests: number;
  readonly testResults: ReadonlyArray<{
    readonly name: string;
    readonly status: string;
    readonly message?: string;
    readonly assertionResults: readonly unknown[];
  }>;
}

interface TurboSummary {
  readonly tasks: ReadonlyArray<{ readonly taskId: string; readonly execution?: { readonly exitCode?: number } }>;
}

const root = new URL("..", import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;
const problems: string[] = [];
/** Test tasks (`<package>#<script>`) whose report counts a failed test: their exit code says nothing more. */
const reportedFailing = new Set<string>();

/** A test script's report: `test` writes test-results.json, `test:<name>` test-results-<name>.json. */
const reportOf = (script: string): string =>
  script === "test" ? "test-results.json" : `test-results-${script.slice("test:".length)}.json`;

for (const group of ["packages", "apps"]) {
  for (const name of readdirSync(join(root, group))) {
    const dir = join(root, group, name);
    if (!existsSync(join(dir, "package.json"))) continue;
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string; scripts?: Record<string, string> };
    const scripts = Object.keys(pkg.scripts ?? {}).filter((s) => s === "test" || s.startsWith("test:"));
    for (const script of scripts) {
      const task = `${pkg.name}#${script}`;
      const label = `${group}/${name}${script === "test" ? "" : ` (${script})`}`;
      const reportPath = join(dir, reportOf(script));
      if (!existsSync(reportPath)) {
        problems.push(`${label}: no test report (its tests did not run)`);
        failed++;
        reportedFailing.add(task);
        continue;
      }
      const report = JSON.parse(readFileSync(reportPath, "utf8")) as VitestReport;
      passed += report.numPassedTests;
      skipped += report.numPendingTests;
      failed += report.numFailedTests;
      if (report.numFailedTests > 0) reportedFailing.add(task);
      // A test file that failed before any test ran (an import error, say) has no results of its own.
      for (const file of report.testResults) {
        if (file.status === "failed" && file.assertionResults.length === 0) {
          problems.push(`${label}: ${file.name} failed to run: ${(file.message ?? "").split("\n")[0]}`);
          failed++;
          reportedFailing.add(task);
        }
      }
      console.log(`${label}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
    }
  }
}
const runs = join(root, ".turbo", "runs");
const summaries = existsSync(runs) ? readdirSync(runs).filter((f) => f.endsWith(".json")) : [];
if (summaries.length === 0) {
  problems.push("no turbo run summary: lint and typecheck results unknown");
  failed++;
}
for (const file of summaries) {
  const summary = JSON.parse(readFileSync(join(runs, file), "utf8")) as TurboSummary;
  for (const task of summary.tasks) {
    const code = task.execution?.exitCode;
    if (code === 0) continue;
    const what = task.taskId.split("#")[1] as string;
    const isTest = what === "test" || what.startsWith("test:");
    if (isTest && reportedFailing.has(task.taskId)) continue;
    // A test run that failed with every test passed: an error outside the tests (vitest's "Unhandled Errors").
    problems.push(
      isTest
        ? `${task.taskId} exited ${code ?? "without running"} with no failed test: an error outside the tests (see its output)`
        : `${task.taskId} failed (exit ${code ?? "none: it did not run"})`,
    );
    failed++;
  }
}
for (const p of problems) console.log(p);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
