// Types of bin/electron-abi.js for the tests.
export declare const NATIVE_BINARIES: readonly string[];
export declare function electronRebuildEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
export declare function electronVersion(): string;
export declare function electronAbi(version: string): string;
export declare function abiOfBinary(file: string): string | undefined;
export declare function checkNativeAbi(appDir?: string, version?: string): string[];
export default function beforeBuild(): Promise<boolean>;
