// The transport of the Electron renderer: each route goes to main over the preload's bridge
// (`window.shoebox.invoke`) instead of HTTP. Main answers an IpcResult carrying either the output
// or the same status and error body an HTTP answer would, so callers see the same ApiError.
import type { DesktopBridge, IpcResult } from '@shoebox/core/contract';
import { errorFromResponse, type Transport } from './client.ts';

/** An IpcResult's output, or its error as the ApiError the fetch transport would throw. */
export function unwrapIpcResult(result: IpcResult): unknown {
  if (result.ok) return result.data;
  throw errorFromResponse(result.status, result.body);
}

/**
 * Path and query values as strings, the way a URL carries them: the route schemas are written for
 * what Express hands them (a query's `true` is the text 'true'), and main parses with the same ones.
 */
function asStrings(values: unknown): Record<string, string> | undefined {
  if (values === undefined || values === null) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values as Record<string, unknown>)) {
    if (v !== undefined && v !== null) out[k] = String(v);
  }
  return out;
}

export function ipcTransport(bridge: DesktopBridge): Transport {
  return {
    async call(key, route, input) {
      // As over HTTP, a route with a body gets one even when the caller gave none (fetch sends {}).
      const body = route.body ? (input.body ?? {}) : undefined;
      const result = await bridge.invoke(key, { params: asStrings(input.params), query: asStrings(input.query), body });
      return unwrapIpcResult(result);
    },
  };
}
