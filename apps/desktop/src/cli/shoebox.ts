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
import {
  mlDownloadCommand, mlImportCommand, mlStatusCommand, mlSwitchCommand, mlTokenizeCommand, peopleCommand, searchCommand, type SearchOptions,
} from './ml.commands.ts';

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
program.command('serve').description('run the queue, watch the library folders and serve the API on 127.0.0.1 with a per-launch token')
  .option('--port <n>', 'port (0 picks a free one)', '2283')
  .option('--no-scan', 'do not scan the library at start')
  .option('--no-watch', 'do not watch the library folders for changes')
  .action((opts: { port: string; scan: boolean; watch: boolean }) => serveCommand(globals(), opts));

const ml = program.command('ml').description('machine learning: models, downloads, the CLIP tokenizer');
ml.command('status').description('the models (present, missing, loaded) and the ML settings').option('--json', 'machine-readable output')
  .action((opts: { json?: boolean }) => mlStatusCommand(globals(), opts));
ml.command('download').description('download models (with resume and checksum verification)').argument('<model-ids...>')
  .action((ids: string[]) => mlDownloadCommand(globals(), ids));
ml.command('import').description('install models from a folder (offline bundle): only files with the manifest checksum').argument('<folder>')
  .action((folder: string) => mlImportCommand(globals(), folder));
ml.command('tokenize').description('print the CLIP token ids of a text').argument('<text>').option('--json', 'as a JSON array')
  .action((text: string, opts: { json?: boolean }) => mlTokenizeCommand(globals(), text, opts));
ml.command('on').description('switch machine learning on').action(() => mlSwitchCommand(globals(), true));
ml.command('off').description('switch machine learning off (no new faces or CLIP work)').action(() => mlSwitchCommand(globals(), false));
program.command('people').description('everyone found in the library, with the files their faces are in')
  .option('--json', 'machine-readable output')
  .option('--recluster', 'group every face again first (named people and hand-placed faces are kept)')
  .option('--hidden', 'include hidden people')
  .action((opts: { json?: boolean; recluster?: boolean; hidden?: boolean }) => peopleCommand(globals(), opts));
program.command('search').description('smart search: photos that match a description (CLIP), best first')
  .argument('[text]', 'what the photos show, e.g. "dog on a beach"')
  .option('--json', 'machine-readable output')
  .option('--limit <n>', 'how many results', '20')
  .option('--like <file-or-id>', 'photos similar to this one instead of a text')
  .option('--type <type>', 'image or video')
  .option('--from <date>', 'first capture day (YYYY-MM-DD)')
  .option('--to <date>', 'last capture day (YYYY-MM-DD)')
  .option('--person <name-or-id>', 'only photos of this person')
  .option('--folder <folder>', 'only this folder and its subfolders')
  .option('--make <make>', 'only this camera make')
  .action((text: string | undefined, opts: SearchOptions) => searchCommand(globals(), text, opts));

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof AppError || error instanceof DataFolderBusyError) {
    console.error(`shoebox: ${error.message}`);
    process.exit(error instanceof AppError && (error.code === 'VALIDATION_FAILED' || error.code === 'BAD_REQUEST') ? 2 : 1);
  }
  console.error(error instanceof Error ? `shoebox: ${error.message}` : error);
  process.exit(1);
});
