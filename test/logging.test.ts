import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/environment.js';
import { run } from './support/processes.js';

/** Runs test/support/logging-process.ts, which logs an info line, an error, an info line; kills it with SIGKILL once it has. */
async function logThenKill(format: 'json' | 'pretty'): Promise<string> {
  const process = run('test/support/logging-process.ts', [], { LOG_FORMAT: format });
  await new Promise<void>((resolve) => process.child.stderr.on('data', (chunk: Buffer) => String(chunk).includes('logged') && resolve()));
  process.child.kill('SIGKILL');
  return (await process.finished).stdout;
}

describe('logs', () => {
  it('a warning or an error reaches stdout at once, with the lines before it, even if the process is then killed', async () => {
    const lines = (await logThenKill('json'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(lines.slice(0, 2)).toMatchObject([
      { level: 30, msg: 'an info line before the error', step: 1 },
      { level: 50, msg: 'an error just before a crash', step: 2, password: '[redacted]' },
    ]);
  });

  it('an uncaught exception is logged as fatal, after the buffered lines, and the process exits 1', async () => {
    const { code, stdout, stderr } = await run('test/support/logging-process.ts', [], { LOG_FORMAT: 'json', CRASH: '1' }).finished;
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(
      stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    ).toMatchObject([
      { level: 30, msg: 'an info line before the error' },
      { level: 60, msg: 'uncaught exception: something broke', err: { message: 'something broke' } },
    ]);
  });

  it('LOG_FORMAT=pretty writes human-readable lines, secrets still redacted', async () => {
    const output = await logThenKill('pretty');
    expect(output).toMatch(/^\[[\d:.]+\] INFO \(\d+\): an info line before the error$/m);
    expect(output).toMatch(/^\[[\d:.]+\] ERROR \(\d+\): an error just before a crash$/m);
    expect(output).toContain('password: "[redacted]"');
    expect(output).not.toContain('must-not-appear');
    expect(output).not.toMatch(/^\{/m);
  });

  it('LOG_FORMAT is json by default, and only json or pretty', () => {
    expect(loadConfig({}).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrowError('LOG_FORMAT="xml": expected json or pretty');
  });
});
