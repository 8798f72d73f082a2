// The window's preload (sandboxed: only contextBridge and ipcRenderer exist here). It exposes
// `window.shoebox` and nothing else: no ipcRenderer, no Node. Bundled to CommonJS by the build.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge.ts';

contextBridge.exposeInMainWorld('shoebox', createBridge(ipcRenderer, process.platform));
