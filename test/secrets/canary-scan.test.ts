/**
 * The canary scan can fail: a code path made to echo the planted key, on purpose, is caught in an error, on
 * stderr, in the console and in a written file. Without this, a scan that never matches would pass everything.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as errors from '../../lib/endpoint/errors';
import { endpointConfigFromDescribe, renderJson } from '../../lib/endpoint';
import { CANARY, cliScanned, plantInDescribe, plantInEndpointConfig, refused, scanned } from '../helpers/bad-input';
import { loadConnection } from '../endpoint/fixtures';
import { sdkAws, sdkClients } from '../../lambda/endpoint-config/aws';
import { libraryConverter } from '../../lambda/endpoint-config/conversion';
import { Logger } from '../../lambda/endpoint-config/log';
import { expectNoCanary } from '../helpers/canary';
import { createEvent, Harness, PROPS, PSKS } from '../lambda/harness';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 's2s-canary-meta-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => jest.restoreAllMocks());

test('a thrown error carrying the key fails the scan', async () => {
  await expect(refused(() => { throw new Error(`bad key ${CANARY}`); })).rejects.toThrow('secret canary #0 appears in error');
  await expect(refused(() => undefined)).rejects.toThrow('expected a bad-input error, but nothing was thrown');
});

test('the console and a written file are scanned too', async () => {
  await expect(scanned(() => console.error(`key: ${CANARY}`))).rejects.toThrow('secret canary #0 appears in console');
  const input = join(dir, 'input.json');
  writeFileSync(input, CANARY); // an input holds the canary on purpose: not a leak
  await expect(scanned(() => writeFileSync(join(dir, 'out.txt'), `x ${CANARY}`), { dirs: [dir], inputs: [input] })).rejects.toThrow(/secret canary #0 appears in file .*out\.txt/);
});

test("the real checker made to echo a value: the CLI's stderr fails the scan, and passes once restored", async () => {
  const config = plantInEndpointConfig(JSON.parse(renderJson(endpointConfigFromDescribe(loadConnection('hq')))) as { tunnels: Record<string, unknown>[] });
  config.tunnels[0].preSharedKey = CANARY; // a key pasted as a string: the checker names its type and length
  const file = join(dir, 'endpoint.json');
  writeFileSync(file, JSON.stringify(config));
  const ok = await cliScanned(['verify', file, '--static-only'], { dirs: [dir], inputs: [file] });
  expect(ok.code).toBe(2);
  expect(ok.stderr).toContain('tunnels[0].preSharedKey: expected an object, found a string of 25 characters');
  const leaky = jest.spyOn(errors, 'describeValue').mockImplementation((value) => JSON.stringify(value));
  await expect(cliScanned(['verify', file, '--static-only'])).rejects.toThrow('secret canary #0 appears in stderr');
  expect(leaky).toHaveBeenCalled();
});

test('planting reaches every key field of a describe response', () => {
  const c = plantInDescribe(loadConnection('static-routing'));
  expect(c.Options!.TunnelOptions!.map((t) => t.PreSharedKey)).toEqual([CANARY, expect.any(String)]);
  expect(c.CustomerGatewayConfiguration).toContain(`<pre_shared_key>${CANARY}</pre_shared_key>`);
  expect(c.CustomerGatewayConfiguration).not.toMatch(/<pre_shared_key>(?!Canary|Second)/);
});

describe('the lambda harness scan', () => {
  const h = new Harness();
  beforeEach(() => h.reset());
  const failingRender = () => {
    h.converter = { convert: libraryConverter.convert, render: () => { throw new RangeError(`cannot render ${PSKS[0]}`); } };
  };

  test('a handler made to stop masking keys fails it: error.txt and the status are scanned', async () => {
    failingRender();
    const leaky = jest.spyOn(Logger.prototype, 'redact').mockImplementation((text) => text);
    await expect(h.scannedRun(createEvent())).rejects.toThrow('secret canary #0 appears in result');
    expect(leaky).toHaveBeenCalled();
    leaky.mockRestore();
    h.reset();
    failingRender();
    await expect(h.scannedRun(createEvent())).resolves.toEqual(expect.objectContaining({ result: expect.objectContaining({ IsComplete: true }) }));
  });

  test('a key in a PutObject body or a log line fails it, but not the SecretString stored on purpose', async () => {
    await h.scannedRun(createEvent()); // the keys were stored as secrets: not a leak
    h.logLines.push(`oops ${PSKS[1]}`);
    expect(() => expectNoCanary(h.published())).toThrow('secret canary #1 appears in log lines');
    h.logLines.pop();
    await sdkAws(sdkClients({ region: 'eu-west-1' })).putObject(PROPS.BucketName, 'x/error.txt', `key ${PSKS[0]}`, 'text/plain');
    expect(() => expectNoCanary(h.published())).toThrow('secret canary #0 appears in S3 calls');
  });
});
