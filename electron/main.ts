/**
 * Electron main process: one window, native menus and folder dialogs, single instance, and the
 * engine in a utility process. Security settings live in security.ts.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  session,
  type MenuItemConstructorOptions,
} from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolveDataPaths } from '../engine/store/paths.js';
import { startEngineProcess, type EngineProcess } from './engine-process.js';
import { hardenSession, hardenWebContents, isTrustedSender, webPreferences } from './security.js';

/** dist/electron/main.js → the app root (the repository, or resources/app.asar when packaged). */
const appRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const rendererIndex = path.join(appRoot, 'dist', 'renderer', 'index.html');
const appUrl = pathToFileURL(rendererIndex).href;
// Packaged: samples ship unpacked next to the asar (extraResources in electron-builder.yml).
const samplesDir = app.isPackaged
  ? path.join(process.resourcesPath, 'samples')
  : path.join(appRoot, 'assets', 'samples');
// Same data folder as the CLI and browser mode, so runs show up everywhere.
const dataDir = resolveDataPaths().dataDir;

let engine: EngineProcess | undefined;
let window: BrowserWindow | undefined;

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'RANP Studio',
    show: false,
    webPreferences: webPreferences(path.join(appRoot, 'dist', 'electron', 'preload.cjs'), !app.isPackaged),
  });
  hardenWebContents(win.webContents);
  win.webContents.on('did-finish-load', () => engine?.connect(win.webContents));
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => (window = undefined));
  void win.loadFile(rendererIndex);
  window = win;
}

async function pickFolder(): Promise<string | null> {
  if (!window) return null;
  const result = await dialog.showOpenDialog(window, {
    title: 'Choose a dataset folder',
    properties: ['openDirectory'],
  });
  const folder = result.canceled ? undefined : result.filePaths[0];
  if (!folder) return null;
  engine?.allowFolder(folder);
  return folder;
}

function buildMenu(): void {
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'Choose dataset folder…', accelerator: 'CmdOrCtrl+O', click: () => void pickFolder() },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' } as const]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Help',
      submenu: [
        {
          label: 'About RANP Studio',
          click: () =>
            window &&
            void dialog.showMessageBox(window, {
              type: 'info',
              title: 'About RANP Studio',
              message: `RANP Studio ${app.getVersion()}`,
              detail: `Resource-aware neuron pruning at initialization for 3D CNNs (Xu et al., 3DV 2020).\nData folder: ${dataDir}`,
            }),
        },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => engine?.dispose());
  await app.whenReady();
  const entry = path.join(appRoot, 'dist', 'engine', 'host', 'ipc-main.js');
  engine = startEngineProcess({ entry, dataDir, samplesDir });
  ipcMain.handle('pick-folder', (event) =>
    isTrustedSender(event.senderFrame?.url, appUrl) ? pickFolder() : null,
  );
  hardenSession(session.defaultSession);
  buildMenu();
  createWindow();
}
