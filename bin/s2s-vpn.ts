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
import { CliError, CliIo, processIo } from './cli/io';

/** A subcommand: adds itself (options, action) to the program. */
export type CommandRegistration = (program: Command, io: CliIo) => void;

export const COMMANDS: readonly CommandRegistration[] = [registerConfigCommand, registerVerifyCommand, registerDemoCommand, registerProbeCommand];

export function createProgram(io: CliIo = processIo): Command {
  const program = new Command('s2s-vpn')
    .description('AWS Site-to-Site VPN: on-prem endpoint configs from DescribeVpnConnections')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  for (const register of COMMANDS) register(program, io);
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  return program;
}

/** Run the CLI on `argv` (without `node` and the script). Resolves to the exit code; never throws. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    await createProgram(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode; // commander already printed its message
    if (e instanceof CliError) {
      io.stderr(`s2s-vpn: ${e.message}\n`);
      return 1;
    }
    // Anything else is a bug; still no stack trace, which could quote input.
    io.stderr(`s2s-vpn: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
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
