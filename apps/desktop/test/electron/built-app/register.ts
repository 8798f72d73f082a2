// `node --import register.ts out/main/main.js`: installs the 'electron' hook, then the driver that
// uses the app as a user would once its window is up.
import { register } from 'node:module';

register('./electron.loader.ts', import.meta.url);
await import('./app-driver.ts');
