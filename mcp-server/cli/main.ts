// The `aura` command line: a commander program to which each command module adds its commands.
import { Command, CommanderError } from 'commander';
import { exitCodes } from './command-kit';

/** A command module adds its commands to the program. */
export interface CommandModule {
  register(program: Command): void;
}

/**
 * Every command module, by the command names it adds. A module is loaded only when one of its commands runs (or for
 * help and completions), so `aura runs` does not pay for the database, Docker and model SDKs that `aura serve` loads.
 * Adding a command module is one line here. (`require`, not `import()`: tsx runs this file as CommonJS but hands
 * `import()` to Node's ESM loader, which does not resolve extension-less paths; inside a function `require` is lazy
 * both under tsx and in the build, where these modules are in two bundles beside dist/aura.js, the Director's client
 * commands in dist/aura-client.js and the rest in dist/aura-server.js: esbuild.mjs.)
 * Every module exports `register`; one that parses its own arguments wraps itself with command-kit's passThrough.
 */
export const commandModules: ReadonlyArray<{ names: readonly string[]; load: () => CommandModule }> = [
  { names: ['serve'], load: () => require('./serve-command') },
  { names: ['migrate'], load: () => require('./migrate-command') },
  { names: ['submit', 'runs', 'run', 'pause', 'resume', 'cancel'], load: () => require('./run-commands') },
  { names: ['watch'], load: () => require('./watch-run') },
  { names: ['approvals', 'approve', 'reject', 'retry', 'skip'], load: () => require('./task-commands') },
  { names: ['employees', 'scores'], load: () => require('./employee-commands') },
  { names: ['events'], load: () => require('./events-command') },
  { names: ['doctor'], load: () => require('./doctor-command') },
  { names: ['backup'], load: () => require('./backup-command') },
  { names: ['audit'], load: () => require('./audit-command') },
  { names: ['images'], load: () => require('./images-command') },
  { names: ['mcp'], load: () => require('./mcp-command') },
  { names: ['tokens'], load: () => require('./tokens-command') },
  { names: ['workspaces'], load: () => require('./workspaces-command') },
  { names: ['replay'], load: () => require('./replay-command') },
  { names: ['integrations'], load: () => require('./integrations-command') },
  { names: ['memory'], load: () => require('./memory-command') },
  { names: ['completion'], load: () => require('./completion-command') },
];

export function createProgram(): Command {
  return (
    new Command('aura')
      .description('Aura Orchestra: turns a PRD into tested software, governed and audited.')
      .version('0.1.0', '-V, --version')
      // An option belongs to the command it follows, so `aura employees hire --json` is hire's --json.
      .enablePositionalOptions()
      .showHelpAfterError()
      .exitOverride()
  );
}

/** The modules a command line needs: the one its command names, or all of them for help and completions. */
export function modulesFor(argv: readonly string[]): Array<() => CommandModule> {
  const name = argv.find((a) => !a.startsWith('-'));
  if (name === undefined && (argv.includes('-V') || argv.includes('--version'))) return []; // the version needs no command
  const owner = name === undefined ? undefined : commandModules.find((m) => m.names.includes(name));
  return owner ? [owner.load] : commandModules.map((m) => m.load);
}

export function loadProgram(argv: readonly string[]): Command {
  const program = createProgram();
  for (const load of modulesFor(argv)) load().register(program);
  // exitOverride is inherited only by commands created after it is set on their parent, so set it on every one.
  const override = (c: Command) => {
    c.exitOverride();
    c.commands.forEach(override);
  };
  override(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = loadProgram(argv);
  if (argv.length === 0) {
    program.outputHelp();
    return;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // Commander has printed what was wrong (or the help or version asked for, which exit 0).
    process.exitCode = error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
  }
}

if (require.main === module) void main(process.argv.slice(2));
