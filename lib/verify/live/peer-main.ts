/**
 * An endpoint as a process inside its namespace (bundled and started by peer-process.ts with
 * `ip netns exec NS node ...`; AWS's side in `verify --live`, ours in the IKE interop tests): a
 * {@link TunnelEndpoint} on ports 500/4500, driven by one JSON command a line on stdin, printing one JSON
 * line per IKE event (key material left out) and per command result.
 *
 * argv[2]: a JSON {@link PeerConfig} file (mode 0600 in the run's temp dir; it holds the key).
 */
import { readFileSync } from 'fs';
import { createInterface } from 'readline';
import { parseProposal } from '../../algorithms/proposal';
import type { PeerCommand, PeerConfig } from './peer-protocol';
import { EndpointEvent, TunnelEndpoint } from './tunnel-endpoint';

const print = (line: unknown): void => void process.stdout.write(JSON.stringify(line) + '\n');

/** An event without keys: CHILD_SAs by SPI, proposal, NAT-T and traffic selectors. */
function printable(e: EndpointEvent): Record<string, unknown> {
  if (e.type === 'child-up' || (e.type === 'rekeyed' && e.child)) {
    const { child, ...rest } = e;
    return { ...rest, proposal: child!.proposal, inboundSpi: child!.inbound.spi, outboundSpi: child!.outbound.spi, natT: child!.outbound.natT !== undefined, localTs: child!.localTsText, remoteTs: child!.remoteTsText };
  }
  return { ...e };
}

async function main(): Promise<void> {
  const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8')) as PeerConfig;
  const endpoint = await TunnelEndpoint.open({
    insideAddress: cfg.insideAddress,
    dpdAction: cfg.dpdAction,
    keepaliveMs: 5000,
    ike: {
      ...cfg.ike,
      psk: cfg.pskHex === undefined ? undefined : Buffer.from(cfg.pskHex, 'hex'),
      ikeProposals: cfg.ikeProposals.map((p) => parseProposal(p, 'ike')),
      espProposals: cfg.espProposals.map((p) => parseProposal(p, 'esp')),
    },
  });
  endpoint.onEvent((e) => print({ event: printable(e) }));
  createInterface({ input: process.stdin }).on('line', (line) => {
    const c = JSON.parse(line) as PeerCommand;
    if (c.cmd === 'start') endpoint.start();
    else if (c.cmd === 'rekey-child') endpoint.rekeyChild();
    else if (c.cmd === 'rekey-ike') endpoint.rekeyIke();
    else if (c.cmd === 'dpd') endpoint.checkLiveness();
    else if (c.cmd === 'delete') void endpoint.delete();
    else if (c.cmd === 'ping') void endpoint.ping(c.destination, c.count, c.timeoutMs, c.intervalMs).then((r) => print({ ping: r, tag: c.tag }));
    else if (c.cmd === 'answered') print({ answered: endpoint.answered, tag: c.tag });
    else if (c.cmd === 'exit') {
      void endpoint.delete(c.deleteTimeoutMs ?? 0).finally(() => {
        endpoint.close();
        process.exit(0);
      });
    }
  });
  print({ ready: endpoint.ports });
}

void main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
