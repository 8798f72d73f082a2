// Module hook for running the built app under Node: `import … from 'electron'` loads the fake.
const FAKE = new URL('./electron.fake.ts', import.meta.url).href;

export async function resolve(
  specifier: string,
  context: unknown,
  next: (specifier: string, context: unknown) => Promise<unknown>,
): Promise<unknown> {
  if (specifier === 'electron') return { url: FAKE, shortCircuit: true };
  return next(specifier, context);
}
