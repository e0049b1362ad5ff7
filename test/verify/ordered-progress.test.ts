/** Progress of side-by-side jobs comes out in job order, as a sequential run's would, whatever the timing. */
import { orderedProgress } from '../../lib/verify/ordered-progress';

test('a later job is held until the ones before it finish; the first streams', () => {
  const out: string[] = [];
  const p = orderedProgress((l) => out.push(l), 3);
  p.line(2)('c1');
  p.line(1)('b1');
  p.line(0)('a1');
  expect(out).toEqual(['a1']);
  p.line(1)('b2');
  p.done(2);
  expect(out).toEqual(['a1']);
  p.done(0);
  expect(out).toEqual(['a1', 'b1', 'b2']);
  p.line(1)('b3');
  p.line(2)('c2');
  expect(out).toEqual(['a1', 'b1', 'b2', 'b3']);
  p.done(1);
  // Job 2 finished earlier: its held lines all go out now.
  expect(out).toEqual(['a1', 'b1', 'b2', 'b3', 'c1', 'c2']);
});

test('jobs finishing in reverse order still print in order', () => {
  const out: string[] = [];
  const p = orderedProgress((l) => out.push(l), 3);
  for (const i of [2, 1, 0]) {
    p.line(i)(`job ${i}`);
    p.done(i);
  }
  expect(out).toEqual(['job 0', 'job 1', 'job 2']);
});
