// Plain JavaScript on purpose: it must run on any Node to say clearly which one stsx needs.
// The demo, bench and test scripts are TypeScript run by Node's own type stripping (22.18+).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18) || !process.features?.typescript) {
  console.error(`stsx's scripts need Node.js 22.18+ or 24 (this is ${process.version}); install a current Node and try again.`);
  process.exit(1);
}
