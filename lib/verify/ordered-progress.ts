/**
 * Progress of jobs running side by side, printed as if they ran one after another: the first unfinished job's
 * lines go straight through, a later job's are held until every job before it has finished. The output is the
 * same, line for line, as a sequential run's, whatever the timing.
 */
export interface OrderedProgress {
  /** The progress function of job `index`. */
  line(index: number): (line: string) => void;
  /** Job `index` has finished: the held lines of the jobs after it go out, up to the next unfinished one. */
  done(index: number): void;
}

export function orderedProgress(progress: (line: string) => void, count: number): OrderedProgress {
  const held: string[][] = Array.from({ length: count }, () => []);
  const finished: boolean[] = new Array(count).fill(false);
  let current = 0;
  return {
    line: (index) => (line) => {
      if (index === current) progress(line);
      else held[index].push(line);
    },
    done(index) {
      finished[index] = true;
      while (current < count && finished[current]) {
        current++;
        if (current < count) held[current].splice(0).forEach(progress);
      }
    },
  };
}
