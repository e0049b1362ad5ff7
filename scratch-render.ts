import { endpointConfigFromDescribe } from './lib/endpoint';
import { withSiteRouting } from './lib/endpoint/site-routing';
import { renderFrr } from './lib/endpoint/render-frr';
import { renderBird } from './lib/endpoint/render-bird';
import { renderLibreswan } from './lib/endpoint/render-libreswan';
import { renderLinux } from './lib/endpoint/render-linux';
const [fixture, fmt, site] = process.argv.slice(2);
// eslint-disable-next-line
const d = require('./test/fixtures/describe/' + fixture + '.json');
let c = endpointConfigFromDescribe(d.VpnConnections[0]);
if (site) c = withSiteRouting(c, JSON.parse(site));
const r: Record<string, (x: typeof c) => string> = { frr: renderFrr, bird: renderBird, libreswan: (x) => renderLibreswan(x).ipsecConf, secrets: (x) => renderLibreswan(x).ipsecSecrets, linux: renderLinux };
process.stdout.write(r[fmt](c));
