// `aura completion bash|zsh|fish`: a shell completion script generated from the program's own commands and options.
import type { Command } from 'commander';
import { AuraError } from '../../core/domain/errors';
import { act } from './command-kit';

interface Node {
  path: string[];
  subcommands: string[];
  options: string[];
}

/** Every command of the program with its subcommands and long options, depth first. */
export function commandTree(program: Command): Node[] {
  const nodes: Node[] = [];
  const walk = (command: Command, path: string[]) => {
    nodes.push({ path, subcommands: command.commands.map((c) => c.name()), options: command.options.map((o) => o.long).filter((l): l is string => Boolean(l)) });
    for (const c of command.commands) walk(c, [...path, c.name()]);
  };
  walk(program, []);
  return nodes;
}

function bash(nodes: Node[]): string {
  const cases = (pick: (n: Node) => string[]) => nodes.map((n) => `    "${n.path.join(' ')}") echo "${pick(n).join(' ')}" ;;`).join('\n');
  return `# aura completion for bash: add  eval "$(aura completion bash)"  to ~/.bashrc
_aura_subcommands() {
  case "$1" in
${cases((n) => n.subcommands)}
  esac
}
_aura_words() {
  case "$1" in
${cases((n) => [...n.subcommands, ...n.options, '--help'])}
  esac
}
_aura() {
  local cur=\${COMP_WORDS[COMP_CWORD]} path="" w
  for w in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    [[ $w == -* ]] && continue
    [[ " $(_aura_subcommands "$path") " == *" $w "* ]] && path="\${path:+$path }$w"
  done
  COMPREPLY=($(compgen -W "$(_aura_words "$path")" -- "$cur"))
  [[ \${#COMPREPLY[@]} -eq 0 && $cur != -* ]] && COMPREPLY=($(compgen -f -- "$cur"))
}
complete -F _aura aura
`;
}

function zsh(nodes: Node[]): string {
  return `#compdef aura
# aura completion for zsh: add  eval "$(aura completion zsh)"  to ~/.zshrc (after compinit)
${bash(nodes).replace(/^# aura completion for bash.*\n/, '')}`.replace('complete -F _aura aura', 'autoload -U bashcompinit && bashcompinit\ncomplete -F _aura aura');
}

function fish(nodes: Node[]): string {
  const lines = ['# aura completion for fish: aura completion fish > ~/.config/fish/completions/aura.fish', 'complete -c aura -f'];
  for (const n of nodes) {
    const condition = n.path.length === 0 ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${n.path.at(-1)}`;
    for (const s of n.subcommands) lines.push(`complete -c aura -n '${condition}' -a ${s}`);
    for (const o of n.options) lines.push(`complete -c aura -n '${condition}' -l ${o.replace(/^--/, '')}`);
  }
  return lines.join('\n') + '\n';
}

export function register(program: Command): void {
  program
    .command('completion')
    .description('Print a shell completion script (bash, zsh or fish)')
    .argument('<shell>', 'bash, zsh or fish')
    .action(
      act('completion', async (shell: string) => {
        const generate = { bash, zsh, fish }[shell];
        if (!generate) throw new AuraError('invalid_input', `No completion for "${shell}": choose bash, zsh or fish.`);
        // Completions cover every command, so they are generated from the whole program whatever loaded this one.
        const { loadProgram } = require('./main') as typeof import('./main'); // lazily: main loads this module
        process.stdout.write(generate(commandTree(loadProgram(['--help']))));
      }),
    );
}
