// `--debug` stack frames of the single executable, mapped back to src/*.ts lines. The npm package
// gets them from Node (bin/stsx.js enables source maps before the bundle loads), but in the
// executable the bundle is the main script, compiled before any of stsx runs, so Node's own
// mapping cannot be switched on for it. The build embeds the bundle's source map as an asset
// (scripts/binaries/bundle.ts); here, only when a --debug stack is printed, the frames that point
// into the bundle are rewritten with node:module's SourceMap. Nothing is loaded otherwise.

/** The name of the source map asset in the executable (scripts/binaries/bundle.ts embeds it). */
export const SEA_MAP_ASSET = 'stsx.cjs.map';

interface Entry {
  originalSource?: string;
  originalLine?: number;
  originalColumn?: number;
}
export interface FrameMap {
  findEntry(line: number, column: number): Entry | object;
}

/** `../../src/sts/session.ts` -> `src/sts/session.ts`; a dependency keeps its node_modules path. */
function shortSource(source: string): string {
  const at = Math.max(source.lastIndexOf('src/'), source.lastIndexOf('node_modules/'));
  return at >= 0 ? source.slice(at) : source.replace(/^(\.\.\/)+/, '');
}

/** Rewrites every frame's `file:line:column` whose file is the bundle with its original source position. */
export function mapFrames(stack: string, map: FrameMap, isBundle: (file: string) => boolean): string {
  return stack.split('\n').map((line) => {
    const m = /^(\s+at (?:async )?(?:.*\()?)(.+?):(\d+):(\d+)(\)?)$/.exec(line);
    if (!m || !isBundle(m[2] ?? '')) return line;
    const entry = map.findEntry(Number(m[3]) - 1, Number(m[4]) - 1) as Entry;
    if (entry.originalSource === undefined || entry.originalLine === undefined) return line;
    return `${m[1] ?? ''}${shortSource(entry.originalSource)}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}${m[5] ?? ''}`;
  }).join('\n');
}

/** In the single executable: the stack with source positions; elsewhere (or without the asset): unchanged. */
export function seaMappedStack(stack: string): string {
  try {
    const sea = process.getBuiltinModule('node:sea') as { isSea(): boolean; getAsset(key: string, encoding: string): string } | undefined;
    if (!sea?.isSea()) return stack;
    const { SourceMap } = process.getBuiltinModule('node:module');
    // The executable's frames name the bundle by the path it had on the build machine.
    const map = new SourceMap(JSON.parse(sea.getAsset(SEA_MAP_ASSET, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
    return mapFrames(stack, map, (file) => /(^|[\\/])stsx\.cjs$/.test(file) || file === process.execPath);
  } catch {
    // No map in this build, or one that does not parse: the minified frames are still frames.
    return stack;
  }
}
