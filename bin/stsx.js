#!/usr/bin/env node
// Thin launcher: everything lives in the bundled entry so start-up reads one file.
import '../dist/stsx.js';
