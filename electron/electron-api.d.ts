/**
 * A local declaration of the slice of Electron's API this app uses. Electron is an optional
 * dependency that cannot install here (its binary download needs the network), so its own types
 * are absent; this file lets `tsc` check electron/ anyway. Signatures follow Electron 41's docs.
 * When the real package is installed its types take precedence only if this file is removed.
 */
declare module 'electron' {
  interface Event {
    preventDefault(): void;
  }
  interface IpcMainInvokeEvent extends Event {
    sender: WebContents;
    senderFrame: { url: string } | null;
  }
  /** The DOM MessagePort as seen from a preload (declared here: electron/ compiles without the DOM lib). */
  interface RendererMessagePort {
    onmessage: ((event: { data: unknown }) => void) | null;
    postMessage(message: unknown): void;
    start(): void;
    close(): void;
  }
  interface IpcRendererEvent extends Event {
    ports: RendererMessagePort[];
  }
  interface MessagePortMain {
    on(event: 'message', listener: (e: { data: unknown; ports: MessagePortMain[] }) => void): this;
    on(event: 'close', listener: () => void): this;
    postMessage(message: unknown): void;
    start(): void;
    close(): void;
  }
  class MessageChannelMain {
    port1: MessagePortMain;
    port2: MessagePortMain;
  }
  interface WebPreferences {
    preload?: string;
    contextIsolation?: boolean;
    sandbox?: boolean;
    nodeIntegration?: boolean;
    nodeIntegrationInWorker?: boolean;
    nodeIntegrationInSubFrames?: boolean;
    webSecurity?: boolean;
    allowRunningInsecureContent?: boolean;
    webviewTag?: boolean;
    experimentalFeatures?: boolean;
    navigateOnDragDrop?: boolean;
    spellcheck?: boolean;
    devTools?: boolean;
  }
  type PermissionRequestHandler = (
    webContents: WebContents,
    permission: string,
    callback: (granted: boolean) => void,
  ) => void;
  interface Session {
    setPermissionRequestHandler(handler: PermissionRequestHandler | null): void;
    setPermissionCheckHandler(
      handler: ((webContents: WebContents | null, permission: string) => boolean) | null,
    ): void;
    webRequest: {
      onHeadersReceived(
        listener: (
          details: { url: string; responseHeaders?: Record<string, string[]> },
          callback: (response: { responseHeaders?: Record<string, string[]>; cancel?: boolean }) => void,
        ) => void,
      ): void;
      onBeforeRequest(
        listener: (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void,
      ): void;
    };
  }
  interface WebContents {
    id: number;
    session: Session;
    on(event: 'will-navigate' | 'will-redirect', listener: (event: Event, url: string) => void): this;
    on(event: 'will-attach-webview', listener: (event: Event) => void): this;
    on(event: 'did-finish-load', listener: () => void): this;
    once(event: 'destroyed', listener: () => void): this;
    isDestroyed(): boolean;
    send(channel: string, ...args: unknown[]): void;
    setWindowOpenHandler(
      handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' },
    ): void;
    postMessage(channel: string, message: unknown, transfer?: MessagePortMain[]): void;
    getURL(): string;
  }
  class BrowserWindow {
    constructor(options: {
      width?: number;
      height?: number;
      minWidth?: number;
      minHeight?: number;
      title?: string;
      show?: boolean;
      backgroundColor?: string;
      webPreferences?: WebPreferences;
    });
    webContents: WebContents;
    loadFile(file: string): Promise<void>;
    once(event: 'ready-to-show', listener: () => void): this;
    on(event: 'closed', listener: () => void): this;
    show(): void;
    focus(): void;
    restore(): void;
    isMinimized(): boolean;
    static getAllWindows(): BrowserWindow[];
  }
  interface App {
    isPackaged: boolean;
    name: string;
    requestSingleInstanceLock(): boolean;
    quit(): void;
    whenReady(): Promise<void>;
    getPath(name: 'userData' | 'home' | 'documents'): string;
    getVersion(): string;
    on(
      event: 'second-instance' | 'window-all-closed' | 'activate' | 'before-quit',
      listener: () => void,
    ): this;
    on(event: 'web-contents-created', listener: (event: Event, contents: WebContents) => void): this;
  }
  interface OpenDialogReturnValue {
    canceled: boolean;
    filePaths: string[];
  }
  interface Dialog {
    showOpenDialog(
      window: BrowserWindow,
      options: { title?: string; properties: ('openDirectory' | 'openFile')[] },
    ): Promise<OpenDialogReturnValue>;
    showMessageBox(
      window: BrowserWindow,
      options: { type?: 'info'; title?: string; message: string; detail?: string },
    ): Promise<unknown>;
  }
  interface MenuItemConstructorOptions {
    label?: string;
    role?:
      | 'quit'
      | 'reload'
      | 'toggleDevTools'
      | 'resetZoom'
      | 'zoomIn'
      | 'zoomOut'
      | 'togglefullscreen'
      | 'copy'
      | 'paste'
      | 'cut'
      | 'selectAll'
      | 'undo'
      | 'redo'
      | 'about';
    type?: 'separator' | 'submenu';
    accelerator?: string;
    click?: () => void;
    submenu?: MenuItemConstructorOptions[];
  }
  class Menu {
    static buildFromTemplate(template: MenuItemConstructorOptions[]): Menu;
    static setApplicationMenu(menu: Menu | null): void;
  }
  interface UtilityProcess {
    pid: number | undefined;
    postMessage(message: unknown, transfer?: MessagePortMain[]): void;
    on(event: 'message', listener: (message: unknown) => void): this;
    on(event: 'exit', listener: (code: number) => void): this;
    kill(): boolean;
  }
  const utilityProcess: {
    fork(
      modulePath: string,
      args?: string[],
      options?: { serviceName?: string; env?: NodeJS.ProcessEnv; stdio?: 'inherit' | 'pipe' },
    ): UtilityProcess;
  };
  const app: App;
  const session: { defaultSession: Session };
  const dialog: Dialog;
  const ipcMain: {
    handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  };
  const ipcRenderer: {
    on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): void;
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  };
  const contextBridge: {
    exposeInMainWorld(key: string, api: unknown): void;
  };
  const shell: {
    openPath(path: string): Promise<string>;
  };
}

declare namespace NodeJS {
  interface Process {
    /** Electron: the packaged app's resources folder. */
    resourcesPath: string;
  }
}
