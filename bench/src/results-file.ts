import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const RESULTS = fileURLToPath(new URL('../RESULTS.md', import.meta.url));
const TITLE = '# Benchmark results\n';

/**
 * Writes one bench's section of bench/RESULTS.md and keeps the others, so a bench run on its own
 * (`npm run bench -w bench -- signaling`) does not erase the figures of the rest. Sections sit
 * between comment markers named after the bench; a section not yet in the file is appended.
 */
export async function writeResultsSection(name: string, body: string): Promise<void> {
  const text = await readFile(RESULTS, 'utf8').catch(() => TITLE);
  await writeFile(RESULTS, withSection(text, name, body));
}

/** The results text with the named section's body replaced, or appended when it is not there. */
export function withSection(text: string, name: string, body: string): string {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const section = `${start}\n\n${body.trim()}\n\n${end}`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  return from >= 0 && to > from
    ? text.slice(0, from) + section + text.slice(to + end.length)
    : `${text.trimEnd()}\n\n${section}\n`;
}

/** When and where a section's figures were taken, and how busy the machine was meanwhile. */
export function runConditions(loadAtStart: number): string {
  const loadAtEnd = os.loadavg()[0] ?? 0;
  const cpus = os.cpus();
  const machine = `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
  const noisy =
    Math.max(loadAtStart, loadAtEnd) > cpus.length
      ? ' (other work shared the machine: a noisy run)'
      : '';
  return `- date: ${new Date().toISOString()}
- machine: ${machine}
- load average (1 minute) at start and end: ${loadAtStart.toFixed(1)} and ${loadAtEnd.toFixed(1)} on ${cpus.length} cores${noisy}`;
}
