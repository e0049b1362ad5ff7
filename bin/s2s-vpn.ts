#!/usr/bin/env node
/**
 * `s2s-vpn`: the package's command line. Each command lives in `bin/cli/<name>.ts` and registers itself
 * on the program; add a command by adding it to COMMANDS.
 */
import { Command, CommanderError } from 'commander';
import { registerConfigCommand } from './cli/config';
import { registerDemoCommand } from './cli/demo';
import { registerVerifyCommand } from './cli/verify';
import { registerProbeCommand } from './cli/probe';
import { CliError, CliIo, EXIT, processIo } from './cli/io';
import { packageVersion } from './cli/package-info';

/** A subcommand: adds itself (options, action) to the program. */
export type CommandRegistration = (program: Command, io: CliIo) => void;

export const COMMANDS: readonly CommandRegistration[] = [registerConfigCommand, registerVerifyCommand, registerDemoCommand, registerProbeCommand];

export function createProgram(io: CliIo = processIo): Command {
  const program = new Command('s2s-vpn')
    .description('AWS Site-to-Site VPN: on-prem endpoint configs from DescribeVpnConnections')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  for (const register of COMMANDS) register(program, io);
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  return program;
}

/**
 * Run the CLI on `argv` (without `node` and the script). Resolves to the exit code of `EXIT` (one scheme for
 * every command); never throws.
 */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    await createProgram(io).parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander already printed its message. Its own usage errors (unknown option, missing argument, bad
      // value) exit 1, which here means "a check failed": they are bad input.
      return e.code.startsWith('commander.') && e.exitCode === 1 ? EXIT.badInput : e.exitCode;
    }
    if (e instanceof CliError) {
      io.stderr(`s2s-vpn: ${e.message}\n`);
      return e.exitCode;
    }
    // Anything else is a bug; still no stack trace, which could quote input.
    io.stderr(`s2s-vpn: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.internalError;
  }
}

if (require.main === module) {
  // `s2s-vpn config ... | head`: a closed pipe ends the output, not with a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
