// The renderer's way into main: one IPC channel for the contract's routes and one for the desktop
// calls, behaving like the HTTP router (inputs parsed with the route's schemas, handlers from the
// engine, errors in the one error shape). Every message's sender is checked first. Answers are
// IpcResult objects and never throw: Electron would flatten a thrown error into a bare message.
// File routes are refused: bytes go through the shoebox:// protocol, never over IPC.
import {
  AppError, desktopCalls, IPC_CHANNELS, isFileRoute, routes, toErrorBody, validationError,
  type DesktopCallKey, type IpcResult, type RequestContext, type RouteHandlers, type RouteKey, type RouteSpec,
} from '@shoebox/core/contract';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { APP_ORIGIN } from './app-protocol.ts';
import type { DesktopCallHandlers } from './desktop-calls.ts';
import type { ElectronApi, IpcInvokeEvent } from './electron-api.ts';

export interface IpcBridgeDeps {
  ipcMain: ElectronApi['ipcMain'];
  /** The engine's route handlers. */
  handlers: RouteHandlers;
  /** The request context of the desktop's one user ({ ownerId: 'local' }). */
  context: () => RequestContext;
  desktop: DesktopCallHandlers;
  isTrustedSender: (event: IpcInvokeEvent) => boolean;
  log: Logger;
}

type Channel = (typeof IPC_CHANNELS)['invoke' | 'desktop'];

const INPUT_PARTS = new Set(['params', 'query', 'body']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The one message shape on both channels: `{ key, input }`. */
function readMessage(args: unknown[]): { key: string; input: unknown } {
  const message = args[0];
  if (args.length !== 1 || !isPlainObject(message) || typeof message.key !== 'string') {
    throw new AppError('BAD_REQUEST', 'malformed IPC message: expected one { key, input } object');
  }
  const extra = Object.keys(message).find((k) => k !== 'key' && k !== 'input');
  if (extra !== undefined) throw new AppError('BAD_REQUEST', `malformed IPC message: unexpected field ${extra}`);
  return { key: message.key, input: message.input };
}

function parse(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return where === 'body' ? undefined : {};
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw validationError(where, result.error.issues);
  return result.data;
}

function fileRouteUrl(route: RouteSpec): string {
  return `${APP_ORIGIN}${route.path}`;
}

export function registerIpcBridge(deps: IpcBridgeDeps): { dispose(): void } {
  const { ipcMain, log } = deps;

  async function invokeRoute(args: unknown[]): Promise<unknown> {
    const { key, input } = readMessage(args);
    if (!Object.hasOwn(routes, key)) throw new AppError('NOT_FOUND', `unknown route ${key}`);
    const route: RouteSpec = routes[key as RouteKey];
    if (isFileRoute(route)) {
      throw new AppError('NOT_SUPPORTED', `${key} answers a file, which never goes over IPC: load ${fileRouteUrl(route)} (the shoebox:// URL) instead`);
    }
    if (input !== undefined && !isPlainObject(input)) throw new AppError('BAD_REQUEST', 'the input must be an object { params, query, body }');
    const parts = input ?? {};
    const extra = Object.keys(parts).find((k) => !INPUT_PARTS.has(k));
    if (extra !== undefined) throw new AppError('BAD_REQUEST', `unexpected input field ${extra}: expected params, query and body`);
    const parsed = {
      params: parse(route.params, parts.params, 'params'),
      query: parse(route.query, parts.query, 'query'),
      body: parse(route.body, parts.body, 'body'),
    };
    const handler = deps.handlers[key as RouteKey] as (input: unknown, ctx: RequestContext) => Promise<unknown>;
    return await handler(parsed, deps.context());
  }

  async function callDesktop(args: unknown[], event: IpcInvokeEvent): Promise<unknown> {
    const { key, input } = readMessage(args);
    if (!Object.hasOwn(desktopCalls, key)) throw new AppError('NOT_FOUND', `unknown desktop call ${key}`);
    const call = key as DesktopCallKey;
    const result = desktopCalls[call].input.safeParse(input ?? {});
    if (!result.success) throw validationError('input', result.error.issues);
    const handler = deps.desktop[call] as (input: unknown, event: IpcInvokeEvent) => Promise<unknown>;
    return await handler(result.data, event);
  }

  function trusted(channel: Channel, event: IpcInvokeEvent): boolean {
    let ok = false;
    try {
      ok = deps.isTrustedSender(event);
    } catch (error) {
      log.warn({ err: error, channel }, 'could not check an IPC sender');
    }
    if (!ok) {
      let url: string | null = null;
      try {
        url = event.senderFrame?.url ?? null;
      } catch {
        // A disposed frame throws on access: there is no URL to report.
      }
      log.warn({ channel, senderId: event.sender.id, url }, 'refused an IPC message from an untrusted sender');
    }
    return ok;
  }

  function answer(channel: Channel, run: (args: unknown[], event: IpcInvokeEvent) => Promise<unknown>) {
    return async (event: IpcInvokeEvent, ...args: unknown[]): Promise<IpcResult> => {
      try {
        if (!trusted(channel, event)) throw new AppError('FORBIDDEN', 'this frame may not call the app');
        return { ok: true, data: await run(args, event) };
      } catch (error) {
        const { status, body } = toErrorBody(error);
        if (status >= 500) log.error({ err: error, channel }, 'IPC call failed');
        return { ok: false, status, body };
      }
    };
  }

  ipcMain.handle(IPC_CHANNELS.invoke, answer(IPC_CHANNELS.invoke, (args) => invokeRoute(args)));
  ipcMain.handle(IPC_CHANNELS.desktop, answer(IPC_CHANNELS.desktop, callDesktop));
  return {
    dispose() {
      ipcMain.removeHandler(IPC_CHANNELS.invoke);
      ipcMain.removeHandler(IPC_CHANNELS.desktop);
    },
  };
}
