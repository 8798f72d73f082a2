// Shared helpers for the benchmarks: timing commands, sampling a process's peak memory.
import { spawn, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const APP_DIR = path.resolve(import.meta.dirname, '..');
export const CLI = path.join(APP_DIR, 'src', 'cli', 'shoebox.ts');
export const CORPUS = path.resolve(APP_DIR, '..', '..', '..', 'shared', 'corpus');

export interface Timed {
  ms: number;
  stdout: string;
  stderr: string;
  peakRssMb: number | null;
  code: number | null;
}

function readHwmKb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Runs a command, timing it and sampling its peak resident memory (VmHWM) while it runs. */
export function timed(cmd: string, args: string[], opts: SpawnOptions = {}): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak: number | null = null;
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const sampler = setInterval(() => {
      const kb = child.pid ? readHwmKb(child.pid) : null;
      if (kb !== null) peak = Math.max(peak ?? 0, kb);
    }, 20);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearInterval(sampler);
      resolve({ ms: performance.now() - started, stdout, stderr, peakRssMb: peak === null ? null : Math.round(peak / 1024), code });
    });
  });
}

export function shoeboxArgs(data: string, ...args: string[]): string[] {
  return [CLI, '--data', data, ...args];
}

export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** The nearest-rank percentile (`p` from 0 to 1) of some samples; null without samples. */
export function percentile(samples: readonly number[], p: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export interface LatencyStats {
  p50: number;
  p95: number;
  max: number;
}

/** Median, 95th percentile and maximum of latency samples (ms), rounded to 0.01. */
export function latencyStats(samples: readonly number[]): LatencyStats {
  const at = (p: number): number => round(percentile(samples, p) ?? 0);
  return { p50: at(0.5), p95: at(0.95), max: at(1) };
}
