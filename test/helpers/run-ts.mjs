// Runs a TypeScript entry (argv[2]) in this process through Vite's module runner, the transform the
// tests use: unlike tsx (esbuild) it emits the decorator metadata Nest's injection reads.
import { runnerImport } from 'vite';

await runnerImport(process.argv[2], { configFile: false, logLevel: 'error' });
