/** Every keyword the renderer writes is one strongSwan 5.9.8's swanctl.conf(5) documents. */
import { existsSync } from 'fs';
import { endpointConfigFromDescribe, renderSwanctl } from '../../../lib/endpoint';
import { FIXTURE_NAMES, loadConnection } from '../fixtures';
import { documentedKeywords, MAN_PAGE, readManPage, storedKeywords, usedKeywords } from './swanctl-keywords';

describe('swanctl.conf keywords', () => {
  const documented = new Set(storedKeywords());

  test.each(FIXTURE_NAMES)('%s: every keyword written is documented (with and without inline secrets)', (name) => {
    for (const inlineSecrets of [false, true]) {
      const config = endpointConfigFromDescribe(loadConnection(name), { inlineSecrets });
      const used = usedKeywords(renderSwanctl(config));
      expect(used.filter((k) => !documented.has(k))).toEqual([]);
      expect(used).toContain('connections.<conn>.children.<child>.esp_proposals'); // the parser did see the file
      const hasInlineKey = config.tunnels.some((t) => t.preSharedKey !== undefined && 'value' in t.preSharedKey);
      expect(used.includes('secrets.ike<suffix>.secret')).toBe(hasInlineKey);
    }
  });

  test('the check does catch a keyword that does not exist', () => {
    expect(usedKeywords('connections {\n  a {\n    dpd_interval = 10s\n  }\n}\n').filter((k) => !documented.has(k))).toEqual([
      'connections.<conn>.dpd_interval',
    ]);
  });

  const manPresent = existsSync(MAN_PAGE);
  if (!manPresent && process.env.CI !== 'true') {
    // eslint-disable-next-line no-console
    console.warn(`skipping the man page comparison: ${MAN_PAGE} is missing (install strongswan-swanctl)`);
  }
  (manPresent || process.env.CI === 'true' ? test : test.skip)('the stored list is what the installed man page documents', () => {
    expect(documentedKeywords(readManPage())).toEqual(storedKeywords());
  });
});
