/** The updown lines the live stage leaves out of a config, as charon's parser would see them. */
import { withoutUpdown } from '../../lib/verify/live/site-hooks';

describe('withoutUpdown', () => {
  const conf = [
    'connections {',
    '  t1 {',
    '    children {',
    '      t1 {',
    '        updown = /usr/local/sbin/vpn-1-tunnels.sh --updown',
    '        # updown = /commented/out',
    '\tupdown=/tabbed.sh',
    '        updown_extra = kept',
    '      }',
    '    }',
    '  }',
    '}',
  ].join('\n');

  test('blanks every updown assignment, keeps comments, other keys and the line count', () => {
    const r = withoutUpdown(conf);
    expect(r.removed).toEqual(['updown = /usr/local/sbin/vpn-1-tunnels.sh --updown', 'updown=/tabbed.sh']);
    expect(r.text.split('\n')).toHaveLength(conf.split('\n').length);
    expect(r.text).not.toMatch(/^\s*updown\s*=/m);
    expect(r.text).toContain('# updown = /commented/out');
    expect(r.text).toContain('updown_extra = kept');
  });

  test('a config without hooks comes back unchanged', () => {
    const plain = 'connections {\n  t1 {\n  }\n}\n';
    expect(withoutUpdown(plain)).toEqual({ text: plain, removed: [] });
  });
});
