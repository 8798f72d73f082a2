// Runs an external tool (ffmpeg, ffprobe) with a time limit, collecting its output; a tool that
// fails reports the last lines it wrote to stderr, which name the actual problem.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ToolResult {
  stdout: Buffer;
  stderr: string;
}

export class ToolError extends Error {
  readonly stderr: string;
  readonly timedOut: boolean;
  /** The tool could not be started (missing, not executable, out of processes). */
  readonly notStarted: boolean;
  /** Killed by a signal (the OOM killer, a shutdown): not the file's fault. */
  readonly killed: boolean;
  constructor(message: string, stderr: string, how: { timedOut?: boolean; notStarted?: boolean; killed?: boolean } = {}) {
    super(message);
    this.name = 'ToolError';
    this.stderr = stderr;
    this.timedOut = how.timedOut ?? false;
    this.notStarted = how.notStarted ?? false;
    this.killed = how.killed ?? false;
  }

  /** The tool ran to its end and refused the input: it will refuse it again. */
  get refusedInput(): boolean {
    return !this.timedOut && !this.notStarted && !this.killed;
  }
}

/** The last meaningful line a tool printed, for error messages. */
export function lastLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.at(-1) ?? '';
}

/** Tools running now: a worker that is told to stop ends them rather than leave them orphaned. */
const running = new Set<ChildProcess>();

export function killRunningTools(): void {
  for (const child of running) child.kill('SIGKILL');
}

export function runTool(
  command: string,
  args: readonly string[],
  opts: { timeoutMs: number; maxStdout?: number; signal?: AbortSignal },
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], signal: opts.signal });
    running.add(child);
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let timedOut = false;
    const max = opts.maxStdout ?? 256 * 1024 * 1024;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > max) child.kill('SIGKILL');
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString('utf8')).slice(-8192);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(new ToolError(`${command} could not be started: ${error.message}`, err, { notStarted: true }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (timedOut) return reject(new ToolError(`${command} took longer than ${Math.round(opts.timeoutMs / 1000)} s`, err, { timedOut: true }));
      if (outBytes > max) return reject(new ToolError(`${command} wrote more than ${max} bytes`, err));
      if (code !== 0) {
        const why = lastLine(err) || (signal ? `killed by ${signal}` : `exit code ${code}`);
        return reject(new ToolError(why, err, { killed: signal !== null }));
      }
      resolve({ stdout: Buffer.concat(out), stderr: err });
    });
  });
}
