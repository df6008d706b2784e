// The report of `stsx endpoint --check`: numbered steps with ok/failed/skipped, the figure, and
// a fix under each failure; or the same as JSON for scripts.
import type { CheckReport } from './run-checks.ts';
import { proxyLines } from './render-endpoint.ts';
import { terminalLines } from '../text/terminal-text.ts';
import { jsonText } from '../text/json.ts';

export function checkText(report: CheckReport): string {
  const d = report.endpoint;
  const lines = [
    `STS endpoint ${d.url}`,
    `  from ${d.endpoint.from}; region ${d.region.value} (from ${d.region.from})`,
  ];
  for (const item of d.ignored) lines.push(`  ignored ${item.setting}: ${item.reason}`);
  if (d.proxy.proxy) lines.push(...proxyLines(d.proxy, d.hostname).map((l) => `  proxy: ${l}`));
  if (d.fallbacks.length > 0) lines.push(`  fallbacks (not checked): ${d.fallbacks.map((f) => f.url).join(', ')}`);
  lines.push(`  each step within ${report.timeoutMs} ms (--connect-timeout)`);
  report.steps.forEach((step, i) => {
    lines.push(`${i + 1}. ${step.title.padEnd(16)}${step.status.padEnd(8)}${step.detail}`);
    if (step.fix && step.status === 'failed') lines.push(`   ${''.padEnd(16)}${step.decisive ? 'fix' : 'note'}: ${step.fix}`);
  });
  if (report.works && report.notAwsSts) lines.push("result: the endpoint works, but it is not AWS's STS (an emulator, or a proxy in between)");
  else lines.push(report.works ? 'result: the endpoint works' : 'result: the endpoint does not work from here');
  // Certificate subjects, proxy answers and body previews come from the network: shown, never obeyed.
  return `${terminalLines(lines.join('\n'))}\n`;
}

export function checkJson(report: CheckReport): string {
  return `${jsonText(report, 2)}\n`;
}
