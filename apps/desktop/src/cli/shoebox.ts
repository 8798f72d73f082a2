#!/usr/bin/env node
// The headless `shoebox` CLI: the library engine without Electron.
import { Command, Option } from 'commander';
import { AppError } from '@shoebox/core/contract';
import { defaultDataDir, env } from '../env.ts';
import { DataFolderBusyError } from '../engine/data-lock.ts';
import { createLogger } from '../logger.ts';
import { VERSION } from '../version.ts';
import {
  addCommand, assetsCommand, regenerateCommand, removeCommand, scanCommand, serveCommand, statusCommand, type GlobalOptions,
} from './commands.ts';

const program = new Command('shoebox')
  .description('Shoebox: index the folders where your photos live, and browse them')
  .version(VERSION)
  .addOption(new Option('--data <dir>', 'data folder (catalog and derivatives)').env('SHOEBOX_DATA'))
  .showHelpAfterError();

function globals(): GlobalOptions {
  const opts = program.opts<{ data?: string }>();
  return { data: opts.data ?? env().SHOEBOX_DATA ?? defaultDataDir(), log: createLogger() };
}

program.command('add').description('add folders to the library').argument('<folders...>')
  .action((folders: string[]) => addCommand(globals(), folders));
program.command('remove').description('remove a folder from the library (files are not touched)').argument('<folder>')
  .action((folder: string) => removeCommand(globals(), folder));
program.command('scan').description('walk every folder, record new and changed files and queue their jobs')
  .option('--wait', 'also run the queue until every job has finished')
  .option('--retry-failed', 'queue failed files again')
  .action((opts: { wait?: boolean; retryFailed?: boolean }) => scanCommand(globals(), opts));
program.command('regenerate').description('remake derivatives (both kinds when no option is given) and wait for them')
  .option('--thumbnails', 'thumbnails, previews and thumbhashes of photos and videos')
  .option('--videos', 'playable versions of videos')
  .action((opts: { thumbnails?: boolean; videos?: boolean }) => regenerateCommand(globals(), opts));
program.command('status').description('assets by type, jobs per lane and state, failures').option('--json', 'machine-readable output')
  .action((opts: { json?: boolean }) => statusCommand(globals(), opts));
program.command('assets').description('list every asset').option('--json', 'one JSON array').option('--failed', 'only failed files')
  .action((opts: { json?: boolean; failed?: boolean }) => assetsCommand(globals(), opts));
program.command('serve').description('run the queue and serve the API on 127.0.0.1 with a per-launch token')
  .option('--port <n>', 'port (0 picks a free one)', '2283')
  .option('--no-scan', 'do not scan the library at start')
  .action((opts: { port: string; scan: boolean }) => serveCommand(globals(), opts));

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof AppError || error instanceof DataFolderBusyError) {
    console.error(`shoebox: ${error.message}`);
    process.exit(error instanceof AppError && (error.code === 'VALIDATION_FAILED' || error.code === 'BAD_REQUEST') ? 2 : 1);
  }
  console.error(error instanceof Error ? `shoebox: ${error.message}` : error);
  process.exit(1);
});
