// The app's version, from its package.json.
import pkg from '../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
