// The shells `stsx init` writes for, on its own so the argument parser (cli.ts) does not load the
// completion modules on every run.
export const SHELLS = ['bash', 'zsh', 'fish', 'powershell', 'nu'] as const;
export type Shell = (typeof SHELLS)[number];
