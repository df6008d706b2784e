// The package version, inlined by the build (scripts/build.ts) so printing it reads no file.
declare const __STSX_VERSION__: string | undefined;
export const VERSION = typeof __STSX_VERSION__ === 'string' ? __STSX_VERSION__ : '0.0.0-dev';
