// Which Node.js versions stsx runs on: the one place this is decided. It is plain JavaScript that
// parses on any Node (the launcher and scripts/with-node.mjs import it before anything else), and
// scripts/build.ts refuses to build when package.json's "engines" says something else.
// 22.21 and 24.5 are the first releases whose http/https honour HTTPS_PROXY and NO_PROXY.
export const ENGINES = '^22.21.0 || >=24.5.0';
export const NEEDS = 'Node.js 22.21+ or 24.5+';

/** Whether a version string (`process.versions.node`, with or without a `v`) is one stsx runs on. */
export function nodeSupported(version) {
  const [major, minor] = String(version).replace(/^v/, '').split('.').map(Number);
  return major > 24 || (major === 24 && minor >= 5) || (major === 22 && minor >= 21);
}
